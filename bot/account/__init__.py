"""The seller's whole account: take everything out (/export, /calendar), or have it forgotten."""
