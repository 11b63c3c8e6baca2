"""The calendar file: VEVENTs with stable UIDs, timed in UTC or all-day."""

from __future__ import annotations

from datetime import UTC, date, datetime

import vobject

from bot.rules.ics import Event, birthday_uid, follow_up_uid, ics

NOW = datetime(2026, 12, 2, 12, 0, tzinfo=UTC)


def test_uids_name_the_seller_and_the_row_so_a_new_import_updates_the_same_event() -> None:
    assert follow_up_uid(1001, 7) == follow_up_uid(1001, 7) != follow_up_uid(1002, 7)
    assert birthday_uid(1001, 7) not in (follow_up_uid(1001, 7), birthday_uid(1002, 7))


def test_timed_and_all_day_events_are_vevents() -> None:
    text = ics(
        [
            Event("a@p", "Follow up with Kåre, Ørn; AS", datetime(2027, 1, 11, 9, tzinfo=UTC)),
            Event("b@p", "🎂 Kari", date(2027, 3, 14), "Acme AS"),
        ],
        name="Prospekt",
        now=NOW,
    )
    calendar = vobject.readOne(text)
    timed, all_day = calendar.vevent_list
    assert "VTODO" not in text and "\r\n" in text
    assert timed.summary.value == "Follow up with Kåre, Ørn; AS"
    assert timed.dtstart.value == datetime(2027, 1, 11, 9, tzinfo=UTC)
    assert "DTSTART:20270111T090000Z" in text
    assert (all_day.dtstart.value, all_day.dtend.value) == (date(2027, 3, 14), date(2027, 3, 15))
    assert all_day.description.value == "Acme AS"
    assert [e.uid.value for e in calendar.vevent_list] == ["a@p", "b@p"]
