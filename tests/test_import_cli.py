"""`flask import` and `flask export-data` through Flask's CliRunner, on a SQLite file with the import world:
exit status 0 when loaded (or loadable with --dry-run), 1 when a row is rejected and then nothing is written;
every rejected row printed with its row, column, value and reason."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app import create_app
from data_access.core.db import make_engine
from data_access.core.models import AuditLog, HotlineWorkOrder
from data_access.migrate import upgrade
from tests.test_import_world import TODAY, WO_GOOD, WO_HEADERS, build_import_world, csv_bytes, xlsx_bytes


@pytest.fixture()
def server(tmp_path: Path) -> Iterator[Flask]:
    url = f"sqlite:///{tmp_path / 'import.sqlite3'}"
    upgrade(url)
    engine = make_engine(url)
    with Session(engine) as s:
        build_import_world(s)
        s.commit()
    engine.dispose()
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "t", "TESTING": True, "TODAY": TODAY})
    yield app
    app.extensions["db_engine"].dispose()


def _count(server: Flask, model: type) -> int:
    with Session(server.extensions["db_engine"]) as s:
        return int(s.scalar(select(func.count()).select_from(model)) or 0)


def test_a_dry_run_reports_and_writes_nothing(server: Flask, tmp_path: Path) -> None:
    path = tmp_path / "工单.csv"
    path.write_bytes(csv_bytes([WO_HEADERS, *WO_GOOD], "gbk"))
    result = server.test_cli_runner().invoke(args=["import", "work-orders", str(path), "--city", "ia", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "试运行" in result.output and "2 条新增" in result.output
    assert _count(server, HotlineWorkOrder) == 2 and _count(server, AuditLog) == 0


def test_a_load_exits_0_and_a_second_load_changes_nothing(server: Flask, tmp_path: Path) -> None:
    path = tmp_path / "orders.xlsx"
    path.write_bytes(xlsx_bytes({"s": [WO_HEADERS, *WO_GOOD]}))
    runner = server.test_cli_runner()
    first = runner.invoke(args=["import", "work-orders", str(path), "--city", "ia", "--lang", "en"])
    assert first.exit_code == 0, first.output
    assert "Loaded: 2 new, 0 updated, 0 unchanged." in first.output
    assert _count(server, HotlineWorkOrder) == 4 and _count(server, AuditLog) == 1
    second = runner.invoke(args=["import", "work-orders", str(path), "--city", "ia", "--lang", "en"])
    assert second.exit_code == 0 and "Loaded: 0 new, 0 updated, 2 unchanged." in second.output
    assert _count(server, HotlineWorkOrder) == 4


def test_a_rejected_row_exits_1_lists_the_row_and_writes_nothing(server: Flask, tmp_path: Path) -> None:
    bad = ["WA0009", "2025-04-01 09:00", "天气", "甲一区", None, None, "x", None, None]
    path = tmp_path / "orders.xlsx"
    path.write_bytes(xlsx_bytes({"工单": [WO_HEADERS, *WO_GOOD, bad]}))
    result = server.test_cli_runner().invoke(args=["import", "work-orders", str(path), "--city", "ia"])
    assert result.exit_code == 1
    assert "工单 第 4 行，“诉求类别”＝“天气”：不是可选值之一" in result.output
    assert "整个文件未导入" in result.output
    assert _count(server, HotlineWorkOrder) == 2 and _count(server, AuditLog) == 0


def test_a_refused_file_exits_1_with_the_reason(server: Flask, tmp_path: Path) -> None:
    path = tmp_path / "orders.csv"
    path.write_bytes(b"%PDF-1.4 not a table")
    result = server.test_cli_runner().invoke(args=["import", "work-orders", str(path), "--city", "ia", "--lang", "en"])
    assert result.exit_code == 1
    assert "The file's content does not match its extension" in result.output


def test_an_unknown_city_is_an_error(server: Flask, tmp_path: Path) -> None:
    path = tmp_path / "orders.csv"
    path.write_bytes(csv_bytes([WO_HEADERS, *WO_GOOD]))
    result = server.test_cli_runner().invoke(args=["import", "work-orders", str(path), "--city", "nowhere"])
    assert result.exit_code != 0 and "nowhere" in result.output


def test_export_data_writes_a_file_that_imports_back_unchanged(server: Flask, tmp_path: Path) -> None:
    runner = server.test_cli_runner()
    for kind in ("registry", "work-orders", "faults", "visits"):
        out = tmp_path / f"{kind}.xlsx"
        exported = runner.invoke(args=["export-data", kind, "--city", "ia", "--out", str(out)])
        assert exported.exit_code == 0, exported.output
        again = runner.invoke(args=["import", kind, str(out), "--city", "ia", "--lang", "en"])
        assert again.exit_code == 0, again.output
        assert ", 0 new, 0 updated," not in again.output  # the sentence starts with the count
        assert "Loaded: 0 new, 0 updated" in again.output
    empty = tmp_path / "template.xlsx"
    assert (
        runner.invoke(args=["export-data", "registry", "--city", "ia", "--out", str(empty), "--empty"]).exit_code == 0
    )
    assert empty.stat().st_size > 0
