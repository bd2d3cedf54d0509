"""Run a module's query tests twice: on the raw tables, and on the pre-aggregated tables.

A test module opts in with a module-level `BOTH_READERS = True`; conftest then runs each of its tests that
use the `session` fixture once per reader. In "rollups" mode the session rebuilds the rollups
(data_access.rollup_refresh) before the first read that follows any write, so a test that builds its little
world and then asks a query gets the rollup reader's answer: the hand-computed expectations hold for both.
In "raw" mode the rollups are switched off for the session.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session

from data_access.rollup_refresh import refresh_rollups

READERS = ("raw", "rollups")


def use_readers(session: Session, readers: str) -> Callable[[], None]:
    """Set the session up for one reader; gives the function that undoes it."""
    if readers == "raw":
        session.info["rollups"] = False
        return lambda: None
    state = {"dirty": True, "refreshing": False}

    def wrote(*_args: Any) -> None:
        state["dirty"] = True

    def before_read(orm_state: Any) -> None:
        if not orm_state.is_select:
            state["dirty"] = True
            return
        pending = bool(session.new or session.dirty or session.deleted)
        if (state["dirty"] or pending) and not state["refreshing"]:
            state["refreshing"] = True
            try:
                session.flush()
                refresh_rollups(session)
            finally:
                state["refreshing"] = False
            state["dirty"] = False

    event.listen(session, "after_flush", wrote)
    event.listen(session, "do_orm_execute", before_read)

    def undo() -> None:
        event.remove(session, "do_orm_execute", before_read)
        event.remove(session, "after_flush", wrote)

    return undo
