"""A seller's contact records: each change saved the moment it is made, with its effects.

A qualification answer moves the stage, an outcome records a sale, do-not-contact cancels
reminders, a birthday plans its nudges. The meeting and the contact card both write through
here, so the effects are the same whichever way the seller went. Every method goes through
the owner-scoped queries, so a contact id from a forged button simply finds nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from datetime import datetime
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from bot.records import planning
from bot.records.look_alikes import LookAlikes, find_look_alikes
from bot.rules.birthdays import Birthday
from bot.rules.qualification import next_stage
from bot.rules.typed_answers import open_question
from storage.db import SessionSource
from storage.models import Concern, Contact, Interaction, Reminder, Sale
from storage.queries import concerns, contacts, interactions, reminders, sales, stages
from storage.vocabulary import Answer, Criterion, InteractionKind, Outcome, ReminderKind, Stage


async def _restage(
    session: AsyncSession, owner_id: int, contact: Contact, outcome: Outcome | None = None
) -> Contact:
    """Move the contact to the stage its answers (and a purchase) put it in, with history."""
    stage = next_stage(contact.stage, contact.answers(), outcome)
    if stage is not contact.stage:
        await stages.move_to_stage(session, owner_id=owner_id, contact_id=contact.id, stage=stage)
    return contact


ALL_NOTES = 10_000  # "All notes": beyond a few messages they come as one file


class ContactRecords:
    """One seller's contacts: reads, and writes with their effects."""

    def __init__(
        self, sessions: SessionSource, owner_id: int, clock: Callable[[], datetime]
    ) -> None:
        self._sessions = sessions
        self.owner_id = owner_id
        self._clock = clock

    async def contact(self, contact_id: int) -> Contact | None:
        async with self._sessions.begin() as session:
            return await contacts.get_contact(
                session, owner_id=self.owner_id, contact_id=contact_id
            )

    async def look_alikes(
        self,
        name: str,
        *,
        telegram_user_id: int | None = None,
        phones: Collection[str] = (),
        emails: Collection[str] = (),
    ) -> LookAlikes:
        """Existing contacts that may be this person (`bot.records.look_alikes`)."""
        async with self._sessions.begin() as session:
            return await find_look_alikes(
                session,
                self.owner_id,
                name,
                telegram_user_id=telegram_user_id,
                phones=phones,
                emails=emails,
            )

    async def create(
        self,
        *,
        name: str,
        company: str | None,
        phone: str | None,
        source: str | None,
        email: str | None = None,
        telegram_user_id: int | None = None,
    ) -> Contact:
        async with self._sessions.begin() as session:
            return await contacts.create_contact(
                session,
                owner_id=self.owner_id,
                name=name,
                company=company,
                phone=phone,
                source=source,
                email=email,
                telegram_user_id=telegram_user_id,
            )

    async def log_meeting(self, contact_id: int, forwarded: str | None = None) -> None:
        """The meeting happened: it counts as contact, whatever else gets recorded."""
        async with self._sessions.begin() as session:
            await interactions.add_interaction(
                session, owner_id=self.owner_id, contact_id=contact_id, kind=InteractionKind.MEETING
            )
            if forwarded:
                await interactions.add_interaction(
                    session,
                    owner_id=self.owner_id,
                    contact_id=contact_id,
                    kind=InteractionKind.MESSAGE,
                    text=forwarded,
                )

    async def update(self, contact_id: int, **fields: object) -> Contact | None:
        async with self._sessions.begin() as session:
            return await contacts.update_contact(
                session, owner_id=self.owner_id, contact_id=contact_id, **fields
            )

    async def answer(self, contact_id: int, criterion: Criterion, answer: Answer) -> Contact | None:
        async with self._sessions.begin() as session:
            contact = await contacts.update_contact(
                session, owner_id=self.owner_id, contact_id=contact_id, **{criterion.value: answer}
            )
            return None if contact is None else await _restage(session, self.owner_id, contact)

    async def outcome(
        self, contact_id: int, outcome: Outcome | None, *, stage_before: Stage
    ) -> Contact | None:
        """Record how it went; a purchase makes a customer (or repeat buyer) and lifts
        do-not-contact.

        The stage is worked out from `stage_before`, the stage when this meeting's outcome was
        first given, so a seller who changes their mind (Bought, Back, Interested) unmakes
        the sale instead of stacking a second one.
        """
        async with self._sessions.begin() as session:
            fields: dict[str, object] = {"outcome": outcome}
            if outcome is Outcome.BOUGHT:
                fields["do_not_contact"] = False
            was_dnc = await self._forbidden(session, contact_id)
            contact = await contacts.update_contact(
                session, owner_id=self.owner_id, contact_id=contact_id, **fields
            )
            if contact is None:
                return None
            if was_dnc and not contact.do_not_contact:
                await planning.plan_birthdays(session, contact=contact, now=self._clock())
            stage = next_stage(stage_before, contact.answers(), outcome)
            if stage is not contact.stage:
                await stages.move_to_stage(
                    session, owner_id=self.owner_id, contact_id=contact.id, stage=stage
                )
            return contact

    async def do_not_contact(self, contact_id: int, forbidden: bool) -> None:
        """They said no and asked not to be contacted: no reminders, ever (until lifted)."""
        async with self._sessions.begin() as session:
            contact = await contacts.update_contact(
                session, owner_id=self.owner_id, contact_id=contact_id, do_not_contact=forbidden
            )
            if forbidden:
                await reminders.cancel_for_contact(
                    session, owner_id=self.owner_id, contact_id=contact_id
                )
            elif contact is not None:  # lifted: their birthday counts again
                await planning.plan_birthdays(session, contact=contact, now=self._clock())

    async def _forbidden(self, session: AsyncSession, contact_id: int) -> bool:
        contact = await contacts.get_contact(session, owner_id=self.owner_id, contact_id=contact_id)
        return contact is not None and contact.do_not_contact

    async def note(self, contact_id: int, text: str) -> Interaction | None:
        async with self._sessions.begin() as session:
            return await interactions.add_interaction(
                session,
                owner_id=self.owner_id,
                contact_id=contact_id,
                kind=InteractionKind.NOTE,
                text=text,
            )

    async def concern(self, contact_id: int, text: str) -> Concern | None:
        async with self._sessions.begin() as session:
            return await concerns.add_concern(
                session, owner_id=self.owner_id, contact_id=contact_id, text=text
            )

    async def jot(self, contact_id: int, text: str) -> Interaction | Concern | None:
        """What the seller typed about a contact: a note, or with a leading "?" an open
        question (an objection to answer later)."""
        question = open_question(text)
        if question is not None:
            return await self.concern(contact_id, question)
        return await self.note(contact_id, text)

    async def note_to_concern(self, contact_id: int, interaction_id: int) -> Concern | None:
        """Turn a saved note into an open concern (the button under the note)."""
        async with self._sessions.begin() as session:
            text = await interactions.delete_note(
                session,
                owner_id=self.owner_id,
                contact_id=contact_id,
                interaction_id=interaction_id,
            )
            if text is None:
                return None
            return await concerns.add_concern(
                session, owner_id=self.owner_id, contact_id=contact_id, text=text
            )

    async def follow_up(self, contact_id: int, due_at: datetime | None, *, exact: bool) -> None:
        """The one next follow-up: replaces any pending one; None clears it."""
        async with self._sessions.begin() as session:
            await reminders.cancel_for_contact(
                session,
                owner_id=self.owner_id,
                contact_id=contact_id,
                kinds=[ReminderKind.FOLLOW_UP],
            )
            if due_at is not None:
                await reminders.schedule_reminder(
                    session,
                    owner_id=self.owner_id,
                    kind=ReminderKind.FOLLOW_UP,
                    due_at=due_at,
                    contact_id=contact_id,
                    exact_time=exact,
                )

    async def birthday(self, contact_id: int, birthday: Birthday | None) -> None:
        """Set (or with None remove) the birthday, and plan its nudges accordingly."""
        fields = (
            {"birth_day": None, "birth_month": None, "birth_year": None}
            if birthday is None
            else {
                "birth_day": birthday.day,
                "birth_month": birthday.month,
                "birth_year": birthday.year,
            }
        )
        async with self._sessions.begin() as session:
            contact = await contacts.update_contact(
                session, owner_id=self.owner_id, contact_id=contact_id, **fields
            )
            if contact is not None:
                await planning.plan_birthdays(session, contact=contact, now=self._clock())

    async def sale(self, contact_id: int, amount: Decimal, currency: str) -> Sale | None:
        """What a purchase was worth, recorded now."""
        async with self._sessions.begin() as session:
            return await sales.record_sale(
                session,
                owner_id=self.owner_id,
                contact_id=contact_id,
                amount=amount,
                currency=currency,
                sold_at=self._clock(),
            )

    async def take_back_sale(self, sale_id: int) -> None:
        """The "Bought" it came with was taken back."""
        async with self._sessions.begin() as session:
            await sales.delete_sale(session, owner_id=self.owner_id, sale_id=sale_id)

    async def open_concerns(self, contact_id: int) -> Sequence[Concern]:
        """The contact's unanswered questions and objections, oldest first."""
        async with self._sessions.begin() as session:
            return await concerns.open_concerns(
                session, owner_id=self.owner_id, contact_id=contact_id
            )

    async def resolve_concern(self, contact_id: int, concern_id: int) -> bool:
        """Mark one of the contact's open questions answered; False when it is not one."""
        async with self._sessions.begin() as session:
            open_ = await concerns.open_concerns(
                session, owner_id=self.owner_id, contact_id=contact_id
            )
            if concern_id not in {c.id for c in open_}:
                return False
            await concerns.resolve_concern(
                session, owner_id=self.owner_id, concern_id=concern_id, resolved_at=self._clock()
            )
            return True

    async def next_follow_up(self, contact_id: int) -> Reminder | None:
        """The contact's pending follow-up, if one is planned."""
        async with self._sessions.begin() as session:
            pending = await reminders.pending_for_contact(
                session, owner_id=self.owner_id, contact_id=contact_id
            )
        return next((r for r in pending if r.kind is ReminderKind.FOLLOW_UP), None)

    async def all_notes(self, contact_id: int) -> Sequence[Interaction]:
        async with self._sessions.begin() as session:
            return await interactions.notes_for(
                session, owner_id=self.owner_id, contact_id=contact_id, limit=ALL_NOTES
            )
