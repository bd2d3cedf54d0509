"""Alembic is the only way the schema is made: it upgrades an empty database and matches the models."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlalchemy.engine import Engine

from data_access.core.db import Base, make_engine
from data_access.migrate import upgrade


def test_migrations_match_models(engine: Engine) -> None:
    """`engine` was made empty and upgraded to head by the migrations (see conftest)."""
    with engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True})
        assert ctx.get_current_revision() is not None
        diff = compare_metadata(ctx, Base.metadata)
    assert diff == [], f"models and migrations disagree: {diff}"


def test_constraint_names_follow_the_convention(engine: Engine) -> None:
    insp = inspect(engine)
    fks = insp.get_foreign_keys("elevator")
    assert {fk["name"] for fk in fks} >= {"fk_elevator_building_id_building"}
    assert insp.get_pk_constraint("elevator")["name"] in ("pk_elevator", None)  # SQLite does not keep PK names
    assert any(ix["name"] == "ix_hotline_work_order_city_received" for ix in insp.get_indexes("hotline_work_order"))


def test_a_sqlite_database_holding_data_upgrades(tmp_path: Path) -> None:
    """Batch mode copies a table to change a constraint (0007: the role CHECK on user_account, which the audit log
    and others reference). With rows pointing at it, SQLite's enforced foreign keys refused to drop the old copy;
    migrations/env.py suspends them for the upgrade and checks every reference afterwards."""
    url = f"sqlite:///{tmp_path / 'old.sqlite3'}"
    upgrade(url, "0006")
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO user_account (id, username, display_name, password_hash, role, active, created_at,"
                " session_generation) VALUES (1, 'lead', 'lead', 'x', 'leader', 1, '2026-01-01 00:00:00', 0)"
            )
        )
        conn.execute(
            text(
                "INSERT INTO audit_log (at, user_id, action, entity) VALUES ('2026-01-01 00:00:00', 1, 'login', 'user')"
            )
        )
    engine.dispose()
    upgrade(url)
    engine = make_engine(url)
    with engine.begin() as conn:
        assert conn.execute(text("SELECT user_id FROM audit_log")).scalar() == 1
        assert conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall() == []
        conn.execute(text("UPDATE user_account SET role = 'data_steward' WHERE id = 1"))  # the widened CHECK
    engine.dispose()
