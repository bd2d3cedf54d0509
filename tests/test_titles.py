"""Browser-tab titles follow the session's language (issue 17: "English mode: tab titles stay Chinese").

Dash calls a page's callable title while it renders the page (pages/_titles.py); these call each registered page's
title in a request of either language, as the router callback does."""

from __future__ import annotations

from collections.abc import Iterator

import dash
import pytest
from flask import Flask, session

from app import create_app


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    url = f"sqlite:///{tmp_path_factory.mktemp('titles') / 'titles.sqlite3'}"
    yield create_app({"DATABASE_URL": url, "SECRET_KEY": "titles", "TESTING": True})


def _titles(app: Flask, lang: str) -> dict[str, str]:
    with app.test_request_context("/"):
        session["lang"] = lang
        return {p["module"].rsplit(".", 1)[-1]: p["title"]() for p in dash.page_registry.values()}


def test_every_tab_title_speaks_the_session_language(app: Flask) -> None:
    zh, en = _titles(app, "zh"), _titles(app, "en")
    assert zh["elevators"] == "电梯保险 · 住建治理看板"
    assert en["elevators"] == "Elevators · Housing Governance"
    assert en["insurance_application"] == "Insurance application · Housing Governance"
    assert en["not_found_404"] == "Page not found · Housing Governance"
    for name, title in en.items():
        assert not any("\u4e00" <= ch <= "\u9fff" for ch in title), f"{name}'s English tab title: {title}"
    for name, title in zh.items():
        assert title.endswith("住建治理看板") and title != "住建治理看板", name
