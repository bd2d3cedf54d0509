"""Alembic is the only way the schema is made: it upgrades an empty database and matches the models."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect
from sqlalchemy.engine import Engine

from data_access.core.db import Base


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
