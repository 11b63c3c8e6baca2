"""The presentation floor: what every feature shows with, and nothing any one feature owns.

Screens (replying and editing), the label tables, callback data and the button router, text
that fits Telegram's limits, dates in words, and the one contact card. It imports no feature.
"""
