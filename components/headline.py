"""An indicator page's headline: its finding stated in a sentence under the page's title.

Why: a leader or a journalist reads the title and the first sentence, and quotes the sentence; the cards and
charts below are the evidence. The sentences are the deck's (`Finding`s worded by components/presentation.py
`finding_text`), built from the page's own data (data_access/presentation.py: `elevator_findings` …), so the
page, /present and the briefing say the same thing in the same words. The lead sentence is large; at most two
supporting sentences follow in body type. Red marks bad news only (a missed target, complaints rising, overdue
tasks); good and neutral news are both in ink, so red keeps its meaning.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from dash import html

from components.i18n import t
from components.presentation import finding_text
from data_access.presentation import Finding

SUPPORTING = 2  # sentences under the lead: more would compete with the page's cards
TONE_CLASS = {"bad": "headline-bad", "good": "headline-good", "neutral": "headline-neutral"}


def headline(findings: Sequence[Finding], lang: str, headline_id: str = "page-headline") -> html.Section | None:
    """The lead finding large (id `<headline_id>-lead`), then up to SUPPORTING more (`<headline_id>-1`, `-2`);
    None when the page has nothing to state."""
    if not findings:
        return None
    lead, *rest = findings[: 1 + SUPPORTING]
    sentences = [
        html.P(
            finding_text(lead, lang),
            className=f"page-headline-lead {TONE_CLASS[lead.tone]}",
            id=f"{headline_id}-lead",
        ),
        *(
            html.P(
                finding_text(f, lang),
                className=f"page-headline-support {TONE_CLASS[f.tone]}",
                id=f"{headline_id}-{i}",
            )
            for i, f in enumerate(rest, start=1)
        ),
    ]
    props: dict[str, Any] = {"className": "page-headline", "id": headline_id, "aria-label": t("headline.label", lang)}
    return html.Section(sentences, **props)
