"""The seller's follow-ups and birthdays as an iCalendar file, for any calendar app.

Events are VEVENTs (Google ignores VTODO in a subscribed feed). Each UID is made from the
seller and the reminder or contact it stands for, so importing the file again, or the feed
refreshing, moves an event rather than adding a second. A follow-up at an exact time is a
30-minute event in UTC; one for a day (sent at the morning digest) and a birthday are
all-day events on the seller's calendar day.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import vobject
import vobject.icalendar

PRODID = "-//Prospekt//Prospekt CRM//EN"
MEETING = timedelta(minutes=30)
DOMAIN = "prospekt"


@dataclass(frozen=True)
class Event:
    """One event: `start` is a `date` for an all-day event, an aware `datetime` otherwise."""

    uid: str
    summary: str
    start: date | datetime
    description: str = ""


def follow_up_uid(seller_id: int, reminder_id: int) -> str:
    return f"follow-up-{reminder_id}-{seller_id}@{DOMAIN}"


def birthday_uid(seller_id: int, contact_id: int) -> str:
    return f"birthday-{contact_id}-{seller_id}@{DOMAIN}"


def ics(events: Iterable[Event], *, name: str, now: datetime) -> str:
    """The whole calendar, CRLF line ends and folded lines as RFC 5545 asks."""
    calendar = vobject.iCalendar()
    calendar.add("prodid").value = PRODID
    calendar.add("x-wr-calname").value = name
    stamp = now.astimezone(vobject.icalendar.utc)
    for event in events:
        vevent = calendar.add("vevent")
        vevent.add("uid").value = event.uid
        vevent.add("dtstamp").value = stamp
        vevent.add("summary").value = event.summary
        if event.description:
            vevent.add("description").value = event.description
        if isinstance(event.start, datetime):
            start = event.start.astimezone(vobject.icalendar.utc)
            vevent.add("dtstart").value = start
            vevent.add("dtend").value = start + MEETING
        else:
            vevent.add("dtstart").value = event.start
            vevent.add("dtend").value = event.start + timedelta(days=1)
    return str(calendar.serialize())
