"""Alembic environment: the app's metadata, and the same database URL the app uses."""

from logging.config import fileConfig

from alembic import context
from sqlalchemy.engine import Connection

from data_access.core import models  # noqa: F401  (registers every table on the metadata)
from data_access.core.db import AwareDateTime, Base, make_engine
from settings import database_url

config = context.config
if config.config_file_name is not None and config.attributes.get("configure_logger", True):
    fileConfig(config.config_file_name, disable_existing_loggers=False)

target_metadata = Base.metadata


def _url() -> str:
    return config.attributes.get("database_url") or config.get_main_option("sqlalchemy.url") or database_url()


def _render_item(type_: str, obj: object, autogen_context: object) -> str | bool:
    """Write AwareDateTime as a plain timestamptz: the UTC handling is Python-side only."""
    if type_ == "type" and isinstance(obj, AwareDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def _configure(connection: Connection | None = None, url: str | None = None) -> None:
    context.configure(
        render_item=_render_item,
        connection=connection,
        url=url,
        target_metadata=target_metadata,
        render_as_batch=True,  # SQLite needs batch mode to alter tables
        compare_type=True,
        literal_binds=connection is None,
    )


def run_migrations_offline() -> None:
    _configure(url=_url())
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _configure(connection=connection)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = make_engine(_url())
    with engine.connect() as conn:
        sqlite = conn.dialect.name == "sqlite"
        if sqlite:
            # Batch mode copies a table to alter it (SQLite cannot alter a constraint); with foreign keys enforced,
            # dropping the old copy of a table others reference fails once they hold rows. The pragma only takes
            # effect outside a transaction, so it is set before; the references are checked after, instead.
            conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
            conn.commit()
        _configure(connection=conn)
        with context.begin_transaction():
            context.run_migrations()
            if sqlite:
                broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                if broken:
                    raise RuntimeError(f"the migration left rows pointing at nothing: {broken[:5]}")
        if sqlite:
            conn.exec_driver_sql("PRAGMA foreign_keys=ON")
    engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
