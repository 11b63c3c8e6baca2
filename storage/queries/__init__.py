"""Owner-scoped, keyword-only query functions. They flush; the caller commits."""
