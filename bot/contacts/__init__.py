"""The contact book: /contacts lists, the contact card and its buttons, delete with undo."""
