"""Command-line tasks, registered on the Flask app: `flask --app app <command>`."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from data_access import get_engine, get_session
from data_access.core.clock import today_local
from data_access.core.dataset import DEMO_KEY, rollups_ready
from data_access.core.models import City, Compound, DatasetInfo, Role, User
from data_access.demo_accounts import DEMO_ACCOUNTS, DEMO_PASSWORD, create_demo_accounts
from data_access.imports import (
    KINDS,
    TABLE_LABELS,
    ImportLimits,
    ImportReport,
    ImportRequestError,
    Source,
    analyse_tables,
    delete_city_data,
    export_kind,
    load_file,
    plan_deletion,
    render,
    template_bytes,
    validate_file,
)
from data_access.imports.reference import CITIES, load_reference
from data_access.migrate import upgrade
from data_access.rollup_refresh import refresh_rollups
from data_access.tokens import TokenError, create_token, revoke_token
from data_access.users import UserError, create_user, set_password


@click.command("db-upgrade")
@with_appcontext
def db_upgrade() -> None:
    """Upgrade the database schema to the newest migration."""
    upgrade(current_app.config["DATABASE_URL"])
    click.echo("database is at the newest migration")


def _progress(stage: str, done: int, total: int) -> None:
    width = 30
    filled = int(width * done / total) if total else width
    sys.stderr.write(f"\r  {stage:<28} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
    if done >= total:
        sys.stderr.write("\n")
    sys.stderr.flush()


@click.command("seed-demo")
@with_appcontext
@click.option("--scale", type=click.Choice(["small", "city", "large"]), default="city", show_default=True)
@click.option("--if-empty", is_flag=True, help="Do nothing when the database already holds compounds.")
@click.option(
    "--seed", type=int, default=20210101, show_default=True, help="Random seed (fixed: same data every time)."
)
def seed_demo_command(scale: str, if_empty: bool, seed: int) -> None:
    """Fill an empty database with the synthetic demo province (Zhuzhou calibrated to seed 000)."""
    from data_access.demo import seed_demo

    upgrade(current_app.config["DATABASE_URL"])
    session = get_session()
    # A deployment's reference places (init-deployment) count as data too: the demo never seeds over them.
    if session.scalar(select(func.count()).select_from(Compound)) or session.scalar(select(func.count(City.id))):
        if if_empty:
            click.echo("database already holds data: demo seed skipped")
            if not rollups_ready(session):  # loaded by an older version, or by a bulk load without a refresh
                _refresh(session)
            _print_accounts()
            return
        raise click.ClickException("the database is not empty; seed-demo only fills an empty database")
    started = time.perf_counter()
    report = seed_demo(get_engine(), scale=scale, seed=seed, today=today_local(), progress=_progress)
    create_demo_accounts(session)
    session.commit()
    click.echo(f"seeded the {scale} demo in {time.perf_counter() - started:.1f} s")
    for table, n in sorted(report.rows.items()):
        click.echo(f"  {table:<28} {n:>10,}")
    _print_accounts()


@click.command("init-deployment")
@with_appcontext
@click.option("--admin", "admin_name", required=True, help="Username of the first administrator.")
@click.option("--name", "display_name", help="Name shown in the navbar.")
@click.password_option(help="The administrator's password (at least 10 characters); prompted for when omitted.")
def init_deployment_command(admin_name: str, display_name: str | None, password: str) -> None:
    """Start a real deployment on an empty database: migrate, load the province's cities, districts and programme
    rules (no demo compounds, elevators, ledgers or accounts) and create the first administrator. Then import each
    city's registry (`import registry FILE --city CODE` or /import). Run again, it changes nothing that exists."""
    upgrade(current_app.config["DATABASE_URL"])
    session = get_session()
    if session.scalar(select(DatasetInfo.value).where(DatasetInfo.key == DEMO_KEY)) == "true":
        raise click.ClickException("this database holds the demo data set; start a deployment on an empty database")
    report = load_reference(session)
    existing = session.scalar(select(User).where(User.username == admin_name.strip()))
    if existing is not None and existing.role is not Role.admin:
        session.rollback()
        raise click.ClickException(f"{admin_name!r} exists and is not an administrator")
    if existing is None:
        try:
            create_user(session, admin_name, password, Role.admin, display_name)
        except UserError as exc:
            session.rollback()
            raise click.ClickException(str(exc)) from exc
    session.commit()
    if report.loaded:
        click.echo(f"loaded {report.cities} cities, {report.districts} districts and {report.rules} programme rules")
    else:
        click.echo("the province's cities are already there: left as they are")
    click.echo(f"administrator {admin_name!r} " + ("already existed" if existing is not None else "created"))
    codes = ", ".join(c.code for c in CITIES)
    click.echo(f"next: import each city's registry ({codes}), e.g. flask --app app import registry FILE --city CODE")


@click.command("refresh-rollups")
@with_appcontext
@click.option("--if-stale", is_flag=True, help="Do nothing when they already match the data set.")
def refresh_rollups_command(if_stale: bool) -> None:
    """Rebuild the pre-aggregated tables the pages read (run after loading data in bulk)."""
    upgrade(current_app.config["DATABASE_URL"])
    session = get_session()
    if if_stale and rollups_ready(session):
        click.echo("pre-aggregated tables are up to date")
        return
    _refresh(session)


def _refresh(session: Session) -> None:
    started = time.perf_counter()

    def progress(step: str) -> None:
        sys.stderr.write(f"  rebuilding {step}\n")

    refresh_rollups(session, progress=progress)
    session.commit()
    click.echo(f"pre-aggregated tables rebuilt in {time.perf_counter() - started:.1f} s")


def _print_accounts() -> None:
    click.echo(f"demo accounts (password for all: {DEMO_PASSWORD}):")
    for a in DEMO_ACCOUNTS:
        scope = a.city_code or a.compound_name or "province"
        click.echo(f"  {a.username:<10} {a.role.value:<10} {scope}")


@click.command("create-user")
@with_appcontext
@click.argument("username")
@click.option("--role", type=click.Choice([r.value for r in Role]), required=True)
@click.option("--name", "display_name", help="Name shown in the navbar.")
@click.option("--city", "city_code", help="City code for a leader scoped to one city (omit for province).")
@click.option("--compound", "compound_ids", type=int, multiple=True, help="Compound id an organiser records for.")
@click.password_option(help="At least 10 characters; prompted for when omitted.")
def create_user_command(
    username: str,
    role: str,
    display_name: str | None,
    city_code: str | None,
    compound_ids: tuple[int, ...],
    password: str,
) -> None:
    """Create an account (passwords are stored as scrypt hashes)."""
    session = get_session()
    try:
        user = create_user(
            session,
            username,
            password,
            role,
            display_name,
            city_code=city_code,
            compound_ids=list(compound_ids) or None,
        )
    except UserError as exc:
        session.rollback()
        raise click.ClickException(str(exc)) from exc
    session.commit()
    click.echo(f"created {user.role.value} {user.username!r} (id {user.id})")


@click.command("set-password")
@with_appcontext
@click.argument("username")
@click.password_option(help="At least 10 characters; prompted for when omitted.")
def set_password_command(username: str, password: str) -> None:
    """Replace an account's password; every session of the account is signed out."""
    session = get_session()
    try:
        set_password(session, username, password)
    except UserError as exc:
        session.rollback()
        raise click.ClickException(str(exc)) from exc
    session.commit()
    click.echo(f"password of {username!r} replaced; its sessions are signed out")


@click.command("create-token")
@with_appcontext
@click.argument("name")
def create_token_command(name: str) -> None:
    """Create an API token for the data-sharing API and print it (shown only this once)."""
    session = get_session()
    try:
        token = create_token(session, name)
    except TokenError as exc:
        raise click.ClickException(str(exc)) from exc
    session.commit()
    click.echo(token)


@click.command("revoke-token")
@with_appcontext
@click.argument("name")
def revoke_token_command(name: str) -> None:
    """Revoke an API token by name; requests carrying it are refused from now on."""
    session = get_session()
    try:
        revoke_token(session, name)
    except TokenError as exc:
        raise click.ClickException(str(exc)) from exc
    session.commit()
    click.echo(f"revoked token {name!r}")


# --------------------------------------------------------------------------- data import and export (issue 15)


@click.command("export-data")
@with_appcontext
@click.argument("kind", type=click.Choice(list(KINDS)))
@click.option("--city", "city_code", required=True, help="City code, e.g. zhuzhou.")
@click.option("--out", "out", type=click.Path(dir_okay=False, path_type=Path), required=True, help="FILE.xlsx")
@click.option("--empty", is_flag=True, help="Write the empty template (no records).")
def export_data_command(kind: str, city_code: str, out: Path, empty: bool) -> None:
    """Write a city's records of KIND in the import template (.xlsx), or the empty template."""
    try:
        data = template_bytes(kind) if empty else export_kind(get_session(), kind, city_code)
    except ImportRequestError as exc:
        raise click.ClickException(str(exc)) from exc
    out.write_bytes(data)
    click.echo(f"wrote {out} ({len(data):,} bytes)")


@click.command("import")
@with_appcontext
@click.argument("kind", type=click.Choice(list(KINDS)))
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--city", "city_code", required=True, help="The city the file's records belong to, e.g. xiangtan.")
@click.option("--dry-run", is_flag=True, help="Validate and report only; write nothing.")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True, help="Report language.")
@click.option("--max-mb", type=click.FloatRange(min=0.001), default=20, show_default=True, help="Largest file taken.")
def import_command(kind: str, file: Path, city_code: str, dry_run: bool, lang: str, max_mb: float) -> None:
    """Import FILE (.xlsx or .csv) as KIND for a city: all rows or none. Exit status 1 if any row is rejected."""
    session = get_session()
    today = current_app.config.get("TODAY")
    limits = ImportLimits(max_bytes=int(max_mb * 1024 * 1024))
    bar, source = _ImportProgress(), Source.from_path(file)
    try:
        if dry_run:
            report = validate_file(session, kind, source, city_code, limits=limits, today=today, progress=bar)
        else:
            report = load_file(session, kind, source, city_code, limits=limits, today=today, progress=bar)
    except ImportRequestError as exc:
        raise click.ClickException(exc.message.text(lang)) from exc
    finally:
        bar.close()
    if report.loaded:
        session.commit()
        analyse_tables(session, kind)
        session.commit()
    else:
        session.rollback()
    _print_report(report, lang)
    if not report.ok:
        raise SystemExit(1)


class _ImportProgress:
    """click progress bars on stderr, one per stage (validate, write, rollups), fed by the importer."""

    def __init__(self) -> None:
        self.stage = ""
        self.bar: Any = None
        self.done = 0

    def __call__(self, stage: str, done: int, total: int) -> None:
        if stage != self.stage:
            self.close()
            self.stage, self.done = stage, 0
            self.bar = click.progressbar(length=max(total, 1), label=f"{stage:<9}", file=sys.stderr)
            self.bar.__enter__()
        self.bar.length = max(total, done, 1)
        self.bar.update(done - self.done)
        self.done = done

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None


def _print_report(report: ImportReport, lang: str) -> None:
    def say(key: str, **params: Any) -> str:
        return render(key, lang, **params)

    click.echo(f"{report.filename}  sha256 {report.sha256[:16]}…  {report.seconds:.1f} s")
    if report.refusal is not None:
        click.echo(say("import.report.refused", reason=report.refusal.text(lang)), err=True)
        return
    words = [say(f"import.count.{w}") for w in ("new", "updated", "unchanged", "rejected")]
    click.echo(f"  {'':<22}" + "".join(f"{w:>10}" for w in words))
    for table, c in report.counts.items():
        label = TABLE_LABELS[table].en if lang == "en" else TABLE_LABELS[table].zh
        click.echo(f"  {label:<22}{c.new:>10,}{c.updated:>10,}{c.unchanged:>10,}{c.rejected:>10,}")
    if report.ignored_columns:
        click.echo(say("import.report.ignored", columns=", ".join(report.ignored_columns)))
    for r in report.rejections:
        sheet = f"{r.sheet} " if r.sheet else ""
        line = say(
            "import.report.row", sheet=sheet, row=r.row, column=r.column, value=r.value, reason=r.reason.text(lang)
        )
        click.echo("  " + line, err=True)
    if report.rejections_not_listed:
        click.echo(say("import.report.more", n=report.rejections_not_listed, shown=len(report.rejections)), err=True)
    total = report.total
    if not report.ok:
        click.echo(say("import.report.rejected", rows=total.rejected), err=True)
    else:
        key = "import.report.loaded" if report.loaded else "import.report.loadable"
        click.echo(say(key, new=total.new, updated=total.updated, unchanged=total.unchanged))


@click.command("delete-city-data")
@with_appcontext
@click.argument("kind", type=click.Choice(list(KINDS)))
@click.option("--city", "city_code", required=True, help="The city whose records of KIND are deleted, e.g. xiangtan.")
@click.option("--yes", is_flag=True, help="Really delete; without it, say what would be deleted and delete nothing.")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True, help="Message language.")
def delete_city_data_command(kind: str, city_code: str, yes: bool, lang: str) -> None:
    """Delete a city's records of KIND in one transaction (children first), then rebuild the pre-aggregated tables.
    Refused while other records refer to them: delete kinds in the reverse of their load order (claims, visits,
    faults, work-orders, policies, pooled-accounts, fund-ledger, registry). Exit status 1 when nothing was deleted."""
    session = get_session()
    try:
        plan = plan_deletion(session, kind, city_code)
    except ImportRequestError as exc:
        raise click.ClickException(exc.message.text(lang)) from exc
    city = plan.city.label.en if lang == "en" else plan.city.label.zh
    label = KINDS[kind].label.en if lang == "en" else KINDS[kind].label.zh
    click.echo(render("import.delete.counts", lang, city=city, kind=label))
    for table, n in plan.counts.items():
        click.echo(f"  {table:<28}{n:>10,}")
    if plan.blockers or not yes:
        session.rollback()
        for blocker in plan.blockers:
            click.echo("  " + blocker.message().text(lang), err=True)
        click.echo(render("import.delete.refused" if plan.blockers else "import.delete.confirm", lang), err=True)
        raise SystemExit(1)
    bar = _ImportProgress()
    try:
        report = delete_city_data(session, kind, city_code, progress=bar)
    finally:
        bar.close()
    if not report.deleted:  # something came to refer to them since the plan was read
        session.rollback()
        for blocker in report.blockers:
            click.echo("  " + blocker.message().text(lang), err=True)
        raise SystemExit(1)
    session.commit()
    click.echo(render("import.delete.done", lang, city=city, kind=label, n=f"{report.total:,}"))


def init_app(server: Flask) -> None:
    for command in (
        db_upgrade,
        init_deployment_command,
        seed_demo_command,
        refresh_rollups_command,
        create_user_command,
        set_password_command,
        create_token_command,
        revoke_token_command,
        export_data_command,
        import_command,
        delete_city_data_command,
    ):
        server.cli.add_command(command)
