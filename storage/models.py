"""The tables of the whole CRM. Every row a seller owns carries `owner_id` so queries can scope.

All timestamps are timezone-aware UTC (`DateTime(timezone=True)`): SQLite would silently drop an
offset and asyncpg refuses aware values in naive columns, so one rule serves both databases.
"""

from __future__ import annotations

import enum
from datetime import datetime
from decimal import Decimal
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Enum,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    Numeric,
    SmallInteger,
    String,
)
from sqlalchemy.ext.asyncio import AsyncAttrs
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from storage.types import TypedLongText, TypedText, UTCDateTime, utcnow
from storage.vocabulary import (
    Answer,
    ConcernStatus,
    Criterion,
    InteractionKind,
    Outcome,
    ReminderKind,
    ReminderStatus,
    Stage,
)

__all__ = [
    "Answer",
    "Base",
    "Concern",
    "ConcernStatus",
    "Contact",
    "ConversationState",
    "InboxUpdate",
    "Interaction",
    "InteractionKind",
    "Outcome",
    "Reminder",
    "ReminderKind",
    "ReminderStatus",
    "Sale",
    "Seller",
    "Stage",
    "StageChange",
    "UndoItem",
]

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

NAME_MAX = 128
NOTE_MAX = 4000


def _enum(cls: type[enum.Enum], name: str) -> Enum:
    """Store enums by value as plain strings (no native PG enum types to migrate)."""
    return Enum(
        cls,
        name=name,
        native_enum=False,
        create_constraint=False,
        length=16,
        values_callable=lambda members: [member.value for member in members],
    )


class Base(AsyncAttrs, DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {datetime: UTCDateTime()}


class Seller(Base):
    """A Telegram user who keeps contacts; the primary key is their Telegram user id."""

    __tablename__ = "seller"
    __table_args__ = (Index("ix_seller_calendar_token", "calendar_token", unique=True),)

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    language: Mapped[str] = mapped_column(String(8))
    timezone: Mapped[str] = mapped_column(String(64))
    timezone_confirmed: Mapped[bool] = mapped_column(Boolean, default=False)
    digest_hour: Mapped[int] = mapped_column(SmallInteger, default=8)
    quiet_start_hour: Mapped[int] = mapped_column(SmallInteger, default=21)
    quiet_end_hour: Mapped[int] = mapped_column(SmallInteger, default=8)
    birthday_lead_days: Mapped[int] = mapped_column(SmallInteger, default=5)
    # Days without contact before a contact counts as stuck, by stage value; missing stages
    # use the product's defaults (bot.rules.pipeline).
    keep_in_touch: Mapped[dict[str, int]] = mapped_column(JSON, default=dict)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # The secret in the seller's calendar subscription address (webhook mode); None: no feed.
    calendar_token: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class Contact(Base):
    """A person the seller tracks, with the three qualification answers and pipeline stage."""

    __tablename__ = "contact"
    # AUTOINCREMENT: SQLite would otherwise hand a deleted contact's id to the next new one,
    # and an old button naming that id would open someone else.
    __table_args__ = (
        Index("ix_contact_owner_stage", "owner_id", "stage"),
        # Is this forwarded sender already one of the seller's contacts? (queries.contacts)
        Index("ix_contact_owner_telegram_user", "owner_id", "telegram_user_id"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("seller.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(TypedText(NAME_MAX))
    company: Mapped[str | None] = mapped_column(TypedText(NAME_MAX))
    phone: Mapped[str | None] = mapped_column(String(20))  # E.164, e.g. +4791234567
    email: Mapped[str | None] = mapped_column(TypedText(254))
    # The person's own Telegram user id, when known (the seller forwarded a message of theirs).
    telegram_user_id: Mapped[int | None] = mapped_column(BigInteger)
    birth_day: Mapped[int | None] = mapped_column(SmallInteger)
    birth_month: Mapped[int | None] = mapped_column(SmallInteger)
    birth_year: Mapped[int | None] = mapped_column(SmallInteger)
    # When the seller last skipped the birthday question, so it is not asked again for a while.
    birthday_skipped_at: Mapped[datetime | None] = mapped_column()
    stage: Mapped[Stage] = mapped_column(_enum(Stage, "stage"), default=Stage.LEAD)
    market_fit: Mapped[Answer] = mapped_column(_enum(Answer, "answer"), default=Answer.UNKNOWN)
    budget: Mapped[Answer] = mapped_column(_enum(Answer, "answer"), default=Answer.UNKNOWN)
    authority: Mapped[Answer] = mapped_column(_enum(Answer, "answer"), default=Answer.UNKNOWN)
    outcome: Mapped[Outcome | None] = mapped_column(_enum(Outcome, "outcome"))
    source: Mapped[str | None] = mapped_column(String(64))
    do_not_contact: Mapped[bool] = mapped_column(Boolean, default=False)
    last_contacted_at: Mapped[datetime | None] = mapped_column()
    # fold() of name, company, e-mail and phone digits, kept by the queries that write them,
    # so search compares "Kåre" and "Kare" alike on SQLite and PostgreSQL.
    search_key: Mapped[str] = mapped_column(TypedText(1024), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    def answers(self) -> dict[Criterion, Answer]:
        """The qualification answers by criterion: each criterion is the column of its name."""
        return {criterion: getattr(self, criterion.value) for criterion in Criterion}


class Interaction(Base):
    """A logged meeting, call, message or note with a contact."""

    __tablename__ = "interaction"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("seller.id", ondelete="CASCADE"), index=True)
    contact_id: Mapped[int] = mapped_column(
        ForeignKey("contact.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[InteractionKind] = mapped_column(_enum(InteractionKind, "interaction_kind"))
    text: Mapped[str | None] = mapped_column(TypedLongText)
    search_text: Mapped[str | None] = mapped_column(TypedLongText)  # fold(text), for search
    occurred_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Concern(Base):
    """An open question or objection the contact raised, kept until the seller answers it."""

    __tablename__ = "concern"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("seller.id", ondelete="CASCADE"), index=True)
    contact_id: Mapped[int] = mapped_column(
        ForeignKey("contact.id", ondelete="CASCADE"), index=True
    )
    text: Mapped[str] = mapped_column(TypedLongText)
    status: Mapped[ConcernStatus] = mapped_column(
        _enum(ConcernStatus, "concern_status"), default=ConcernStatus.OPEN
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column()


class StageChange(Base):
    """One move along the pipeline, kept so the card can say how long a contact has been there."""

    __tablename__ = "stage_change"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("seller.id", ondelete="CASCADE"), index=True)
    contact_id: Mapped[int] = mapped_column(
        ForeignKey("contact.id", ondelete="CASCADE"), index=True
    )
    from_stage: Mapped[Stage | None] = mapped_column(_enum(Stage, "stage"))
    to_stage: Mapped[Stage] = mapped_column(_enum(Stage, "stage"))
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)


class Sale(Base):
    """What a purchase was worth, when the seller said: a meeting's "Bought" with an amount."""

    __tablename__ = "sale"
    __table_args__ = (Index("ix_sale_owner_sold_at", "owner_id", "sold_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("seller.id", ondelete="CASCADE"))
    contact_id: Mapped[int] = mapped_column(
        ForeignKey("contact.id", ondelete="CASCADE"), index=True
    )
    amount: Mapped[Decimal] = mapped_column(Numeric(14, 2))
    currency: Mapped[str] = mapped_column(String(3))  # ISO 4217, e.g. NOK
    sold_at: Mapped[datetime] = mapped_column(default=utcnow)


class Reminder(Base):
    """A scheduled nudge; the database, not the job queue, is the source of truth."""

    __tablename__ = "reminder"
    __table_args__ = (
        Index("ix_reminder_status_due", "status", "due_at"),  # the dispatcher: what is due
        # One seller's reminders of a kind (/today: follow-ups due, contacts with a next step).
        Index("ix_reminder_owner_kind_status_due", "owner_id", "kind", "status", "due_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("seller.id", ondelete="CASCADE"), index=True)
    contact_id: Mapped[int | None] = mapped_column(
        ForeignKey("contact.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[ReminderKind] = mapped_column(_enum(ReminderKind, "reminder_kind"))
    due_at: Mapped[datetime] = mapped_column()
    exact_time: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[ReminderStatus] = mapped_column(
        _enum(ReminderStatus, "reminder_status"), default=ReminderStatus.PENDING
    )
    attempts: Mapped[int] = mapped_column(SmallInteger, default=0)
    last_error: Mapped[str | None] = mapped_column(String(255))
    sent_message_id: Mapped[int | None] = mapped_column(BigInteger)
    sent_at: Mapped[datetime | None] = mapped_column()
    # When a dispatcher took the row (status `sending`); an old claim means it died mid-send.
    claimed_at: Mapped[datetime | None] = mapped_column()
    # Which dispatcher process holds the claim (`host:pid:boot`): a dead one's come back at start.
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    # A send timed out or got a 5xx after it was written (perhaps delivered): resent once at most.
    outcome_unknown_at: Mapped[datetime | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ConversationState(Base):
    """The step a seller is at in a multi-step conversation, and what they typed so far.

    Kept in the database (read on every update) so a restart resumes at the same step and
    several workers on one PostgreSQL see the same conversation.
    """

    __tablename__ = "conversation_state"

    seller_id: Mapped[int] = mapped_column(
        ForeignKey("seller.id", ondelete="CASCADE"), primary_key=True
    )
    flow: Mapped[str] = mapped_column(String(32))
    step: Mapped[str] = mapped_column(String(32))
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class UndoItem(Base):
    """What a destructive action removed, kept briefly so the seller can take it back."""

    __tablename__ = "undo_item"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("seller.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime] = mapped_column()


class InboxUpdate(Base):
    """An update from a seller, stored before Telegram is told it arrived.

    Handled from here under a lease: a crash, a kill or a restart finds it still `queued` and
    handles it again; the handler's writes and the `done` mark are one transaction, so its
    effects happen once. No foreign key: the first update of a new seller comes before their
    row. Only updates the CRM handles are kept (an outsider's or a group's never are).
    """

    __tablename__ = "inbox_update"
    __table_args__ = (Index("ix_inbox_update_state_lease", "state", "lease_until"),)

    update_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    seller_id: Mapped[int] = mapped_column(BigInteger, index=True)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    state: Mapped[str] = mapped_column(String(8), default="queued")  # queued, done, failed
    attempts: Mapped[int] = mapped_column(SmallInteger, default=0)
    lease_until: Mapped[datetime | None] = mapped_column()
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
    handled_at: Mapped[datetime | None] = mapped_column()
