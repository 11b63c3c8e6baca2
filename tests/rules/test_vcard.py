"""Reading the vCard of a shared Telegram contact, as iPhones and Android phones write them."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.rules.vcard import SharedCard, read_vcard


def card(*lines: str, version: str = "3.0") -> str:
    """A vCard with `lines` between its header and its end, CRLF as phones send it."""
    return "\r\n".join(["BEGIN:VCARD", f"VERSION:{version}", *lines, "END:VCARD", ""])


IPHONE = card(
    "PRODID:-//Apple Inc.//iPhone OS 17.4//EN",
    "N:Nordmann;Kari;;;",
    "FN:Kari Nordmann",
    "ORG:Bøker & Blomster AS;Salg",
    "TITLE:Salgssjef",
    "TEL;type=CELL;type=VOICE;type=pref:+47 912 34 567",
    "TEL;type=WORK;type=VOICE:22 33 44 55",
    "EMAIL;type=INTERNET;type=HOME;type=pref:kari@example.no",
    "item1.EMAIL;type=INTERNET:kari@bokerblomster.no",
    "item1.X-ABLabel:_$!<Other>!$_",
    "PHOTO;ENCODING=b;TYPE=JPEG:/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAMCAgICAgMCAgIDAwMDBAYEBAQE",
    " BAgGBgUGBwkJCAgJCAcHCAgJCAgKCgoKCgoKCgo",
)

# Android's contacts app, vCard 2.1: UTF-8 text in quoted-printable, the long FN broken by a
# soft line break (`=` at the end of the line), a base64 photo continued over indented lines
# and closed by an empty one.
ANDROID = card(
    "N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:Kj=C3=A6rstad-=C3=98vreb=C3=B8;=C3=85se;;;",
    "FN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=C3=85se Kj=C3=A6rstad-=C3=98vr=",
    "eb=C3=B8",
    "TEL;CELL:912 34 567",
    "TEL;WORK;PREF:+47 22 33 44 55",
    "EMAIL;HOME:ase@example.no",
    "ORG;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:Fjord =C3=98kologi AS",
    "PHOTO;ENCODING=BASE64;JPEG:/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAMCAgICAgMCAgIDAwMDBAYEBAQE",
    "  BAgGBgUGBwkJCAgJCAcHCAgJCAgKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgo",
    "",
    version="2.1",
)


def test_an_iphone_card_gives_company_title_every_phone_and_email() -> None:
    assert read_vcard(IPHONE) == SharedCard(
        name="Kari Nordmann",
        company="Bøker & Blomster AS",
        phones=("+4791234567", "+4722334455"),
        emails=("kari@example.no", "kari@bokerblomster.no"),
        title="Salgssjef",
    )


def test_an_android_21_card_is_decoded_across_its_soft_line_breaks() -> None:
    assert read_vcard(ANDROID) == SharedCard(
        name="Åse Kjærstad-Øvrebø",
        company="Fjord Økologi AS",
        phones=("+4791234567", "+4722334455"),
        emails=("ase@example.no",),
        title=None,
    )


def test_a_soft_break_inside_the_n_of_a_card_without_fn_is_unfolded() -> None:
    shared = read_vcard(
        card(
            "N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:Kj=C3=A6rstad-=C3=98vr=",
            "eb=C3=B8;=C3=85se;;;",
            version="2.1",
        )
    )

    assert shared is not None and shared.name == "Åse Kjærstad-Øvrebø"


def test_a_card_with_only_n_is_named_given_name_first() -> None:
    assert read_vcard(card("N:Nordmann;Kari;Anne;Dr.;")) == SharedCard(
        name="Kari Anne Nordmann", company=None, phones=(), emails=(), title=None
    )


def test_quoted_printable_follows_the_cards_charset() -> None:
    shared = read_vcard(
        card("FN;CHARSET=ISO-8859-1;ENCODING=QUOTED-PRINTABLE:=C5se =D8deg=E5rd", version="2.1")
    )

    assert shared is not None and shared.name == "Åse Ødegård"


def test_the_bare_21_parameter_form_and_8bit_encoding_are_read() -> None:
    shared = read_vcard(
        card(
            "FN;QUOTED-PRINTABLE;CHARSET=UTF-8:=C3=85se",
            "ORG;ENCODING=8BIT;CHARSET=UTF-8:Ørn AS",
            version="2.1",
        )
    )

    assert shared is not None and (shared.name, shared.company) == ("Åse", "Ørn AS")


@pytest.mark.parametrize("charset", ["NO-SUCH-CHARSET", "hex", "rot13", "idna", "base64", ""])
def test_an_unknown_or_odd_charset_falls_back_to_utf8(charset: str) -> None:
    shared = read_vcard(
        card(f"FN;CHARSET={charset};ENCODING=QUOTED-PRINTABLE:Kari =C3=98rn", version="2.1")
    )

    assert shared is not None and shared.name == "Kari Ørn"


def test_a_malformed_line_costs_only_that_line() -> None:
    shared = read_vcard(card("FN:Kari Nordmann", "TEL;=:x", "not a property", "TEL:+4791234567"))

    assert shared is not None
    assert (shared.name, shared.phones) == ("Kari Nordmann", ("+4791234567",))


def test_a_company_with_an_unescaped_comma_keeps_it() -> None:
    shared = read_vcard(card("FN:Kari", "ORG:Hansen, Olsen & Co;Salg"))

    assert shared is not None and shared.company == "Hansen, Olsen & Co"


def test_phones_and_emails_are_cleaned_and_kept_once() -> None:
    shared = read_vcard(
        card(
            "FN:Kari",
            "TEL;VALUE=uri;TYPE=cell:tel:+47-912-34-567",
            "TEL:0047 912 34 567",
            "TEL:12",
            "EMAIL:mailto:kari@example.no",
            "EMAIL:KARI@EXAMPLE.NO",
            "EMAIL:not an address",
        )
    )

    assert shared is not None
    assert (shared.phones, shared.emails) == (("+4791234567",), ("kari@example.no",))


def test_local_numbers_are_read_in_the_given_region() -> None:
    text = card("FN:Jane Doe", "TEL;TYPE=CELL:(415) 555-2671")

    assert read_vcard(text) == SharedCard(
        "Jane Doe", None, (), (), None, unread_phones=("(415) 555-2671",)
    )
    shared = read_vcard(text, region="US")
    assert shared is not None and shared.phones == ("+14155552671",)


def test_a_card_without_a_name_but_with_a_number_is_kept() -> None:
    assert read_vcard(card("TEL:+4791234567")) == SharedCard("", None, ("+4791234567",), (), None)


def test_only_the_first_card_is_read() -> None:
    text = card("FN:Kari", "TEL:+4791234567") + card("FN:Ola", "TEL:+4798765432")

    assert read_vcard(text) == SharedCard("Kari", None, ("+4791234567",), (), None)


def test_unix_line_ends_and_folded_lines_are_read() -> None:
    shared = read_vcard("BEGIN:VCARD\nVERSION:3.0\nFN:Kari\n  Nordmann\nEND:VCARD\n")

    assert shared is not None and shared.name == "Kari Nordmann"


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "hello, this is not a card",
        "FN:Kari Nordmann",  # no BEGIN:VCARD
        "BEGIN:VCARD\r\nEND:VCARD",
        card("FN:", "N:;;;;", "ORG:;Salg", "TITLE:Sjef"),  # nothing worth keeping
        card("TEL:12", "EMAIL:nobody"),
        "BEGIN:VCALENDAR\r\nFN:Kari\r\nEND:VCALENDAR",
        "BEGIN:VCARD\r\nVERSION:2.1\r\nFN;ENCODING=QUOTED-PRINTABLE:=\r\n=\r\n=",
        "\x00\x01BEGIN:VCARD\x00",
    ],
)
def test_text_with_nothing_usable_gives_none(text: str) -> None:
    assert read_vcard(text) is None


@given(st.text(max_size=400))
def test_arbitrary_text_never_raises(text: str) -> None:
    read_vcard(text)


VCARDISH = st.lists(
    st.tuples(
        st.sampled_from(
            [
                "",
                " ",
                "BEGIN:VCARD",
                "END:VCARD",
                "VERSION:2.1",
                "FN:",
                "N:",
                "ORG:",
                "item1.TEL;TYPE=CELL:",
                "EMAIL;",
                "TITLE;CHARSET=",
                "FN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:",
                "N;ENCODING=QUOTED-PRINTABLE;CHARSET=",
                "ORG;ENCODING=8BIT:",
                "TEL;ENCODING=B:",
            ]
        ),
        st.text(alphabet=st.characters(codec="utf-8"), max_size=30),
    ).map("".join),
    max_size=12,
)


@given(VCARDISH, st.sampled_from(["\r\n", "\n", "\r", "=\r\n"]))
def test_card_like_text_never_raises(lines: list[str], line_break: str) -> None:
    shared = read_vcard(line_break.join(lines))

    if shared is not None:
        assert all(phone.startswith("+") and phone[1:].isdigit() for phone in shared.phones)
        assert all("@" in email for email in shared.emails)
        assert "\n" not in shared.name and shared.name == shared.name.strip()
