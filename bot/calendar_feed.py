"""The seller's calendar (`bot.rules.ics`) from their follow-ups and birthdays.

In the core floor because two doors lead to it: /calendar sends it as a file, and in webhook
mode the worker's web server serves it at the seller's private subscription address,
`/calendar/<token>.ics` on the webhook's host, which a calendar app polls. The token is
`secrets.token_urlsafe(32)` (256 random bits); renewing it or turning it off in /settings
makes the old address answer 404.
"""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import NamedTuple
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from bot.rules.birthdays import Birthday, next_birthday
from bot.rules.ics import Event, birthday_uid, follow_up_uid, ics
from bot.rules.pipeline import local_today
from bot.texts import Texts
from storage.db import SessionSource
from storage.models import Seller
from storage.queries import exports

FILE_NAME = "prospekt.ics"
FEED_PATH = "/calendar/{token}.ics"


class Calendar(NamedTuple):
    events: int
    data: bytes


def new_token() -> str:
    return secrets.token_urlsafe(32)


def feed_url(webhook_url: str, token: str) -> str:
    """The subscription address: the webhook's scheme and host, the feed's path."""
    parts = urlsplit(webhook_url)
    return f"{parts.scheme}://{parts.netloc}{FEED_PATH.format(token=token)}"


async def calendar_for(sessions: SessionSource, *, seller: Seller, now: datetime) -> Calendar:
    """Every open follow-up and each contact's next birthday, as an .ics file."""
    async with sessions.begin() as session:
        follow_ups = await exports.follow_up_lines(session, owner_id=seller.id)
        birthdays = await exports.birthday_lines(session, owner_id=seller.id)
    t, zone, today = Texts(seller.language), seller.timezone, local_today(now, seller.timezone)
    events = [
        Event(
            follow_up_uid(seller.id, item.reminder_id),
            t.plain("calendar.follow_up", name=item.name),
            item.due_at if item.exact_time else item.due_at.astimezone(ZoneInfo(zone)).date(),
            item.company or "",
        )
        for item in follow_ups
    ]
    events += [
        Event(
            birthday_uid(seller.id, item.contact_id),
            t.plain("calendar.birthday", name=item.name),
            next_birthday(Birthday(item.day, item.month, item.year), today=today),
        )
        for item in birthdays
    ]
    return Calendar(len(events), ics(events, name=t.plain("calendar.name"), now=now).encode())
