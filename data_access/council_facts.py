"""Council facts: four-party meetings, agenda items, follow-ups and resolution times, for an area or one compound.

`CouncilFacts` reads the meetings, items and follow-ups themselves; `CouncilFactsFromRollups` reads an area's
figures from the per-district daily tables (agg_council_day, agg_council_agenda, agg_council_resolve) and the
compound table from agg_council_compound_day, and leaves one compound's figures to the raw reader: they are
a handful of rows behind an index. Which one serves a session is decided in data_access.facts; the figures'
definitions (what a counted meeting, a live item, an overdue follow-up is) live in core.rules for both.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from data_access.core.scope import Area
from data_access.council_sql import (
    overdue_follow_ups_from_raw,
    overdue_follow_ups_from_rollups,
    resolved_items_from_raw,
    resolved_items_from_rollups,
)
from data_access.councils import MeetingSums, meeting_sums_from_raw, meeting_sums_from_rollups
from data_access.red_property import (
    AgendaCount,
    CompoundRedRow,
    QuarterCount,
    ResolveTimes,
    agenda_by_category_from_raw,
    agenda_by_category_from_rollups,
    compound_red_table_from_raw,
    compound_red_table_from_rollups,
    meetings_by_quarter_from_raw,
    meetings_by_quarter_from_rollups,
    resolve_times_from_raw,
    resolve_times_from_rollups,
)


class CouncilFacts:
    """Council facts from the raw meetings, items and follow-ups (deleted and draft records left out by the
    rules in core.rules). `compound_id` narrows any of them to one compound of the area."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def resolved_items(self, area: Area, first: date | None, last: date, compound_id: int | None = None) -> int:
        """Agenda items resolved from `first` (None: ever) to `last`, inclusive."""
        return resolved_items_from_raw(self.session, area, first, last, compound_id)

    def overdue_follow_ups(self, area: Area, as_of: date, compound_id: int | None = None) -> int:
        """Follow-ups past their due date and not done at as_of."""
        return overdue_follow_ups_from_raw(self.session, area, as_of, compound_id)

    def meeting_sums(self, area: Area, as_of: date, compound_id: int | None = None) -> MeetingSums:
        """(meetings this year, of them with a party absent, follow-ups due by as_of, of them done by then)."""
        return meeting_sums_from_raw(self.session, area, as_of, compound_id)

    def agenda_by_category(self, area: Area, as_of: date, compound_id: int | None = None) -> list[AgendaCount]:
        """Items raised at the year's meetings (1 January to as_of), by category and recorded outcome."""
        return agenda_by_category_from_raw(self.session, area, as_of, compound_id)

    def resolve_times(self, area: Area, as_of: date, compound_id: int | None = None) -> ResolveTimes:
        """Items resolved from 1 January to as_of: days from the meeting that first raised them (an item carried
        over counts from the earlier item's meeting)."""
        return resolve_times_from_raw(self.session, area, as_of, compound_id)

    def meetings_by_quarter(self, area: Area, as_of: date, compound_id: int | None = None) -> list[QuarterCount]:
        """Meetings per local quarter, for the previous year and this year up to as_of (every quarter listed)."""
        return meetings_by_quarter_from_raw(self.session, area, as_of, compound_id)

    def compound_table(self, area: Area, as_of: date) -> list[CompoundRedRow]:
        """One row per compound completed by as_of: project stage and score, station, this year's meetings and
        resolved items, overdue follow-ups."""
        return compound_red_table_from_raw(self.session, area, as_of)


class CouncilFactsFromRollups(CouncilFacts):
    """The same from the council rollups for an area; one compound's figures come from the raw reader."""

    def resolved_items(self, area: Area, first: date | None, last: date, compound_id: int | None = None) -> int:
        if compound_id is not None:
            return super().resolved_items(area, first, last, compound_id)
        return resolved_items_from_rollups(self.session, area, first, last)

    def overdue_follow_ups(self, area: Area, as_of: date, compound_id: int | None = None) -> int:
        if compound_id is not None:
            return super().overdue_follow_ups(area, as_of, compound_id)
        return overdue_follow_ups_from_rollups(self.session, area, as_of)

    def meeting_sums(self, area: Area, as_of: date, compound_id: int | None = None) -> MeetingSums:
        if compound_id is not None:
            return super().meeting_sums(area, as_of, compound_id)
        return meeting_sums_from_rollups(self.session, area, as_of)

    def agenda_by_category(self, area: Area, as_of: date, compound_id: int | None = None) -> list[AgendaCount]:
        if compound_id is not None:
            return super().agenda_by_category(area, as_of, compound_id)
        return agenda_by_category_from_rollups(self.session, area, as_of)

    def resolve_times(self, area: Area, as_of: date, compound_id: int | None = None) -> ResolveTimes:
        if compound_id is not None:
            return super().resolve_times(area, as_of, compound_id)
        return resolve_times_from_rollups(self.session, area, as_of)

    def meetings_by_quarter(self, area: Area, as_of: date, compound_id: int | None = None) -> list[QuarterCount]:
        if compound_id is not None:
            return super().meetings_by_quarter(area, as_of, compound_id)
        return meetings_by_quarter_from_rollups(self.session, area, as_of)

    def compound_table(self, area: Area, as_of: date) -> list[CompoundRedRow]:
        return compound_red_table_from_rollups(self.session, area, as_of)


__all__ = ["CouncilFacts", "CouncilFactsFromRollups"]
