"""The settings summary and the keep-in-touch periods, shown by /settings and onboarding."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from bot.rules.pipeline import DEFAULT_KEEP_IN_TOUCH, keep_in_touch
from bot.rules.timezones import local_clock
from bot.texts import LANGUAGE_NAMES, N_, Safe, Texts
from bot.ui.labels import STAGE_GROUPS, quiet_label
from storage.models import Seller


def settings_summary(t: Texts, seller: Seller, now: datetime) -> Safe:
    return t(
        "settings.summary",
        language=LANGUAGE_NAMES.get(seller.language, seller.language),
        zone=seller.timezone,
        clock=local_clock(seller.timezone, now),
        digest=f"{seller.digest_hour:02d}:00",
        quiet=quiet_label(t, seller.quiet_start_hour, seller.quiet_end_hour),
        card=(
            t("settings.card.days", days=seller.birthday_lead_days)
            if seller.birthday_lead_days
            else t("settings.card.off")
        ),
    )


def keep_in_touch_summary(t: Texts, overrides: Mapping[str, object] | None) -> Safe:
    """Each stage's keep-in-touch period, marking those left at the default."""
    lines = []
    for stage, days in keep_in_touch(overrides).items():
        default = days == DEFAULT_KEEP_IN_TOUCH[stage]
        key = N_("settings.kit.line_default") if default else N_("settings.kit.line")
        lines.append(t(key, stage=t(STAGE_GROUPS[stage]), days=days))
    return t("settings.kit.summary", periods=Safe("\n".join(lines)))
