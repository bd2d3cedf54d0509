"""Dump every answer of the data-sharing API to one JSON file, to prove a refactor changes no figure.

A refactor of `data_access/` must leave every figure as it was. This script asks
`GET /api/v1/indicators` for every year 2021–2026 × (the province, every city, every district of every
city, all listed from the database) and writes the answers, in a fixed order and byte-stable form, to one
file. Dump with the code before the refactor and with the code after it, against the same seeded database
and the same --today, then compare the two files byte for byte: `cmp` says nothing when no figure changed.

The request goes through the whole app (create_app, auth, the API view, the result cache) with an API
token: the script deletes any token named "api-dump", creates a new one, and deletes it again at the end.
That is its only write; it touches no figure. `--today` is the app's TODAY, so a dump does not depend on
the day it runs (the seeded data do: seed-demo dates its rows from the real date, so seed once and reuse
the database for both dumps).

Seed once (SQLite and/or PostgreSQL; seed-demo migrates first):

    DATABASE_URL=sqlite:////work/dumps/city.sqlite3 .venv/bin/flask --app app seed-demo --scale city
    psql -h 127.0.0.1 -U postgres -c 'CREATE DATABASE api_dump_city'
    DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/api_dump_city \\
        .venv/bin/flask --app app seed-demo --scale city

Dump before the refactor (a checkout of the old commit; PYTHONPATH makes `import app` load that checkout):

    cd /work/baseline && PYTHONPATH=/work/baseline /work/main/.venv/bin/python bench/api_dump.py \\
        --database-url sqlite:////work/dumps/city.sqlite3 --out /work/dumps/before-sqlite.json

Dump after it, and compare (exit status 0 and no output: identical):

    cd /work/main && PYTHONPATH=/work/main .venv/bin/python bench/api_dump.py \\
        --database-url sqlite:////work/dumps/city.sqlite3 --out /work/dumps/after-sqlite.json
    cmp /work/dumps/before-sqlite.json /work/dumps/after-sqlite.json \\
        || diff /work/dumps/before-sqlite.json /work/dumps/after-sqlite.json | head -50

The same with --database-url postgresql+psycopg://postgres@127.0.0.1:5432/api_dump_city.
Exit status 1 when any answer is not 200.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the checkout this script lies in, not whichever one the venv installed

from flask import Flask  # noqa: E402
from sqlalchemy import text  # noqa: E402

import app as app_module  # noqa: E402
from data_access import get_session  # noqa: E402
from data_access.geography import district_options, list_cities  # noqa: E402
from data_access.tokens import create_token  # noqa: E402

PATH = "/api/v1/indicators"
YEARS = range(2021, 2027)
TOKEN_NAME = "api-dump"


def build_app(database_url: str, today: date) -> Flask:
    """The app as served, but on this database, with a fixed today and a private in-process cache."""
    return app_module.create_app(
        {
            "DATABASE_URL": database_url,
            "SECRET_KEY": "api-dump",
            "TODAY": today,
            "WARM_CACHE": False,
            "CACHE_TYPE": "SimpleCache",
            "CACHE_REDIS_URL": None,
        }
    )


def _delete_token(server: Flask) -> None:
    with server.app_context():
        session = get_session()
        session.execute(text("DELETE FROM api_token WHERE name = :name"), {"name": TOKEN_NAME})
        session.commit()


def fresh_token(server: Flask) -> str:
    """Replace the token named TOKEN_NAME by a new one and return its value."""
    _delete_token(server)
    with server.app_context():
        session = get_session()
        token = create_token(session, TOKEN_NAME)
        session.commit()
    return token


def areas(server: Flask) -> list[dict[str, str]]:
    """Query parameters of every area: the province, then each city followed by its districts (database order)."""
    with server.app_context():
        session = get_session()
        result: list[dict[str, str]] = [{}]
        for city in list_cities(session):
            result.append({"city": city.code})
            result.extend({"city": city.code, "district": d.name} for d in district_options(session, city.id))
    return result


def dump(server: Flask, token: str) -> list[dict[str, Any]]:
    """Every year × area, year by year; the URL is recorded unencoded so that a diff reads plainly."""
    client = server.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    entries: list[dict[str, Any]] = []
    places = areas(server)
    for year in YEARS:
        for place in places:
            params = {"year": str(year), **place}
            response = client.get(PATH, query_string=params, headers=headers)
            body = response.get_json(silent=True)
            entries.append(
                {
                    "url": PATH + "?" + "&".join(f"{k}={v}" for k, v in params.items()),
                    "status": response.status_code,
                    "body": body if body is not None else response.get_data(as_text=True),
                }
            )
    return entries


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True, help="a database seeded with the demo")
    parser.add_argument("--out", required=True, type=Path, help="the JSON file to write")
    parser.add_argument("--today", default="2026-12-05", type=date.fromisoformat, help="the app's TODAY (YYYY-MM-DD)")
    args = parser.parse_args(argv)

    server = build_app(args.database_url, args.today)
    print(f"code: {app_module.__file__}; today: {args.today.isoformat()}")
    token = fresh_token(server)
    try:
        entries = dump(server, token)
    finally:
        _delete_token(server)
        server.extensions["db_engine"].dispose()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(entries, sort_keys=True, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    failed = [e for e in entries if e["status"] != 200]
    print(f"dumped {len(entries)} URLs to {args.out}; {len(failed)} not 200")
    for entry in failed[:10]:
        print(f"  {entry['status']} {entry['url']}: {entry['body']}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
