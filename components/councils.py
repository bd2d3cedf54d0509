"""Four-party council module: filters, roll-up cards, lists, the meeting view and the meeting form.

Pure functions of plain data (query rows, views, input dataclasses). Every text a person typed is
passed to Dash as a string child or a grid cell value, so markup in it is shown, never executed.

The components live in one module per thing the user sees; this module gathers them under one name:
- `councils_common`: value lists and labels (party, category, outcome, local time);
- `councils_lists`: the list page's filter bar and its items, meetings and overdue follow-up lists;
- `councils_rollup`: the list page's roll-up cards;
- `councils_meeting`: the meeting view (header, attendees, items, attachments, notice, history);
- `councils_form`: the meeting form around its item blocks, with the attendees and the carry-over panel;
- `councils_form_items`: the form's agenda item blocks and their follow-up rows;
- `councils_form_fields`: the form's field id shape and field builders.
"""

from __future__ import annotations

from components.councils_common import (
    CATEGORIES,
    FU_STATUSES,
    KINDS,
    OUTCOMES,
    category_label,
    local_time,
    outcome_label,
    party_label,
)
from components.councils_form import attendee_text, carry_panel, meeting_form, missing_parties_note
from components.councils_form_fields import ROOT, fb, fid
from components.councils_form_items import follow_up_row, item_block
from components.councils_lists import (
    compound_picker_options,
    council_filter_bar,
    council_tabs,
    follow_up_rows,
    follow_ups_grid,
    item_columns,
    item_rows,
    items_grid,
    items_xlsx,
    meeting_rows,
    meetings_grid,
    row_key,
)
from components.councils_meeting import (
    attachments_card,
    attendees_card,
    history_card,
    items_section,
    meeting_header,
    notice_card,
)
from components.councils_rollup import rollup_cards
from data_access.council_access import PARTIES

__all__ = [
    "CATEGORIES",
    "FU_STATUSES",
    "KINDS",
    "OUTCOMES",
    "PARTIES",
    "ROOT",
    "attachments_card",
    "attendee_text",
    "attendees_card",
    "carry_panel",
    "category_label",
    "compound_picker_options",
    "council_filter_bar",
    "council_tabs",
    "fb",
    "fid",
    "follow_up_row",
    "follow_up_rows",
    "follow_ups_grid",
    "history_card",
    "item_block",
    "item_columns",
    "item_rows",
    "items_grid",
    "items_section",
    "items_xlsx",
    "local_time",
    "meeting_form",
    "meeting_header",
    "meeting_rows",
    "meetings_grid",
    "missing_parties_note",
    "notice_card",
    "outcome_label",
    "party_label",
    "rollup_cards",
    "row_key",
]
