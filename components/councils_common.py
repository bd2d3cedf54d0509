"""What every council view shares: the glossary's value lists and how a party, category, outcome or time reads."""

from __future__ import annotations

from datetime import datetime

from components.formatting import colon, day_time
from components.i18n import t
from data_access.core.clock import CITY_TZ
from data_access.core.models import AgendaCategory, AgendaOutcome, AttachmentKind, FollowUpStatus

CATEGORIES = tuple(c.value for c in AgendaCategory)
OUTCOMES = tuple(o.value for o in AgendaOutcome)
FU_STATUSES = tuple(s.value for s in FollowUpStatus)
KINDS = tuple(k.value for k in AttachmentKind)


def party_label(party: str, lang: str) -> str:
    return t(f"party.{party}", lang)


def category_label(category: str, lang: str) -> str:
    return t(f"red_property.category.{category}", lang)


def outcome_label(outcome: str | None, lang: str) -> str:
    return t(f"red_property.outcome.{outcome or 'none'}", lang)


def label_colon(lang: str) -> str:
    """The colon after a label: full-width in Chinese, ": " in English."""
    return colon(lang)


def local_time(at: datetime, lang: str) -> str:
    return day_time(at.astimezone(CITY_TZ), lang)
