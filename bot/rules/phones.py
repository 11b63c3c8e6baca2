"""Phone numbers in E.164, whatever shape Telegram or the seller gives them."""

from __future__ import annotations

import phonenumbers

# Telegram shares numbers as bare international digits ("4791234567"); a seller types local
# ones ("912 34 567"), read in Norway unless the seller's language says otherwise.
DEFAULT_REGION = "NO"


def _candidates(raw: str) -> list[str]:
    """Ways to read `raw`: as typed (local or +international), then as bare international."""
    text = raw.strip()
    if text.startswith("00"):
        return ["+" + text[2:]]
    if text.startswith("+"):
        return [text]
    digits = "".join(char for char in text if char.isdigit())
    return [text, f"+{digits}"]


def to_e164(raw: str, *, region: str = DEFAULT_REGION) -> str | None:
    """ "+4791234567" for any valid form of the number, or None if it is not one."""
    for candidate in _candidates(raw):
        try:
            number = phonenumbers.parse(candidate, region)
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_valid_number(number):
            return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    return None
