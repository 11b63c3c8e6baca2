"""Importing contacts from a vCard or CSV file the seller sends: preview, then a background
import in batches, then a summary."""
