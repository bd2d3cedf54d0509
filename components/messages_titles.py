"""Browser-tab titles of the pages the menu does not list (the listed ones use their menu label): Chinese first."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "title.council_edit": ("记录四方议事会", "Record a council meeting"),
    "title.council_meeting": ("四方议事会记录", "Council meeting"),
    "title.insurance_application": ("电梯保险申请", "Insurance application"),
    "title.not_found_404": ("页面不存在", "Page not found"),
    "title.pattern": ("{page} · 住建治理看板", "{page} · Housing Governance"),
}
