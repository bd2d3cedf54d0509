"""URL arguments: what each page's link may say, reduced and checked in one place for every page and callback.

Why this exists: Dash Pages calls a page's `layout(**query)` with whatever the address bar held — a string, a list
when a name repeats (`?id=7851&id=1`), text nobody checked. Pages called `.isdigit()` on such lists (a 500), took
`int()` of Unicode digits (`?id=²`, a 500) or of 20-digit numbers (an SQLite overflow, a 500), and replaced a bad
year with another without saying so. Now each page declares its arguments once (`UrlArgs`, stored in its
`dash.page_registry` entry as `url_args`) and every layout and every callback that reads the page's URL gets them
through `parse`, which:

- treats an empty value (`?year=`) as absent, and ignores names the page does not declare (tracking parameters and
  the like change nothing);
- reduces a repeated name: the same value repeated counts once; *different* values are refused, as if the argument
  were absent, with a notice. Taking the first (or last) would silently open something the link may not mean
  (`/councils/meeting?id=7851&id=1` names two meetings), and browsers, proxies and Flask disagree on which one wins;
- accepts only the argument's kind — ASCII digits for numbers and ids (ids from 1 to 2**31-1, what the database's
  integer columns hold), four-digit years, ISO dates, a fixed set of choices, a short city code — and otherwise
  shows the default with a notice ("年份 abc 无效，已显示 2026");
- brings a year outside the page's range to the nearest year it has, with a notice ("2010 年无数据，已显示 2021 年").

A page about one record (a compound, a meeting) names it in `UrlArgs.subject`: when the record is missing, refused as
above, does not exist or the viewer may not see it, the page shows the not-found page (the same answer in each case,
so nobody learns which records exist) and `register_status` makes the first HTML request answer HTTP 404, as it does
for an address no page has.
"""

from __future__ import annotations

import logging
import re
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar, cast
from urllib.parse import parse_qs

import dash
from flask import Flask, Response, request

from auth import current_viewer
from components.i18n import t

if TYPE_CHECKING:
    from data_access.users import Viewer

log = logging.getLogger("housing.urlargs")

T = TypeVar("T")

MAX_ID = 2**31 - 1  # the largest id an INTEGER column holds (PostgreSQL int4); larger is junk, not a lookup
MAX_TEXT = 200  # longer argument text is refused before it is read
SHOWN_CHARS = 32  # a refused value is quoted in the notice up to this length
_DIGITS = re.compile(r"[0-9]{1,10}")  # ASCII only: str.isdigit() also accepts "²" and "١", which int() may refuse
_YEAR = re.compile(r"[0-9]{4}")
_CODE = re.compile(r"[A-Za-z0-9_-]{1,16}")  # a city code (String(16)) or "province"
_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


# --------------------------------------------------------------------------- kinds of argument


class Kind(ABC, Generic[T]):
    """What one argument may hold: how its text is read, what is shown without it, and its range."""

    silent: ClassVar[bool] = False  # True: never named in a notice (nothing the reader chose depends on it)

    @abstractmethod
    def read(self, text: str) -> T | None:
        """The value this text stands for, or None when it is not one (the text is ASCII-stripped, non-empty)."""

    def default(self, today: date) -> T | None:
        """What the page shows when the argument is absent or refused (None: the page's own default)."""
        return None

    def within(self, value: T, today: date) -> T:
        """The value brought into the range the page can show (a year the data covers)."""
        return value

    def show(self, value: T) -> str:
        """The value as a notice quotes it."""
        return str(value)


@dataclass(frozen=True)
class Year(Kind[int]):
    """A four-digit year from `first` to this year; absent or refused: this year; outside: the nearest year."""

    first: int

    def read(self, text: str) -> int | None:
        return int(text) if _YEAR.fullmatch(text) else None

    def default(self, today: date) -> int:
        return today.year

    def within(self, value: int, today: date) -> int:
        return max(self.first, min(value, today.year))


@dataclass(frozen=True)
class PositiveId(Kind[int]):
    """A record's id: ASCII digits, 1 to 2**31-1."""

    def read(self, text: str) -> int | None:
        if not _DIGITS.fullmatch(text):
            return None
        number = int(text)
        return number if 1 <= number <= MAX_ID else None


@dataclass(frozen=True)
class IdList(Kind[tuple[int, ...]]):
    """Comma-separated ids (each as PositiveId), at most `most` of them, in order, without repeats."""

    most: int = 50

    def read(self, text: str) -> tuple[int, ...] | None:
        ids: list[int] = []
        for part in text.split(","):
            number = PositiveId().read(part.strip())
            if number is None:
                return None
            if number not in ids:
                ids.append(number)
        return tuple(ids) if len(ids) <= self.most else None

    def show(self, value: tuple[int, ...]) -> str:
        return ",".join(map(str, value))


@dataclass(frozen=True)
class CityCode(Kind[str]):
    """A city's code as the filters write it (or "province"); whether that city exists, and may be seen, is
    page_context's question."""

    def read(self, text: str) -> str | None:
        return text if _CODE.fullmatch(text) else None


@dataclass(frozen=True)
class Choice(Kind[str]):
    """One of a fixed set of values (a category, an outcome)."""

    values: tuple[str, ...]

    def read(self, text: str) -> str | None:
        return text if text in self.values else None


@dataclass(frozen=True)
class IsoDate(Kind[date]):
    """A day written YYYY-MM-DD."""

    def read(self, text: str) -> date | None:
        if not _DAY.fullmatch(text):
            return None
        try:
            return date.fromisoformat(text)
        except ValueError:
            return None

    def show(self, value: date) -> str:
        return value.isoformat()


@dataclass(frozen=True)
class Opaque(Kind[str]):
    """A value the page never reads (`v`, which only makes a navigation after a save a new URL): anything goes, and
    nothing about it is worth a notice."""

    silent: ClassVar[bool] = True

    def read(self, text: str) -> str | None:
        return text


# --------------------------------------------------------------------------- a page's arguments


@dataclass(frozen=True)
class Arg(Generic[T]):
    """One URL argument: its name in the query string, its kind, and the i18n key naming it in a notice."""

    name: str
    kind: Kind[T]
    label: str = ""  # default: url.arg.<name>

    @property
    def label_key(self) -> str:
        return self.label or f"url.arg.{self.name}"


CITY = Arg("city", CityCode())
DISTRICT = Arg("district", PositiveId())


@dataclass(frozen=True)
class Subject:
    """The record a page is about, named by an id argument. `visible(viewer, id)` says whether it exists and the
    viewer may see it (cheap: it also decides the HTTP status of the page's first request); `missing` is the i18n key
    of what the not-found page says instead. An `optional` subject may be absent; given, it must be found."""

    arg: Arg[int]
    visible: Callable[[Viewer, int], bool]
    missing: str
    optional: bool = False  # without the argument the page is about no record (a form for a new one)
    # The page's own layout reads the record and shows the not-found page when it cannot (it must, to render it):
    # page_layout then leaves the test to it instead of asking the database twice. register_status still asks
    # `visible` for the first HTML request's status.
    layout_checks: bool = False


@dataclass(frozen=True)
class UrlArgs:
    """Every argument a page's URL may carry (others are ignored), and the record it is about, if any."""

    args: tuple[Arg[Any], ...] = ()
    subject: Subject | None = None

    def __post_init__(self) -> None:
        names = [a.name for a in self.args]
        if len(set(names)) != len(names):
            raise ValueError(f"an argument is declared twice: {names}")
        if self.subject is not None and self.subject.arg not in self.args:
            raise ValueError("the subject's argument must be one of the page's arguments")


def year_arg(first_year: int) -> Arg[int]:
    """The year filter of a page whose data starts in `first_year`."""
    return Arg("year", Year(first_year))


def indicator_args(first_year: int) -> UrlArgs:
    """The indicator pages' filters: city, district and a year from `first_year` to this one."""
    return UrlArgs((CITY, DISTRICT, year_arg(first_year)))


def record_missing(spec: UrlArgs, args: PageArgs, viewer: Viewer) -> bool:
    """True when the page is about one record (spec.subject) and its arguments name none the viewer may see: missing,
    refused, not there, or not the viewer's to see. Page layouts and register_status decide by this one test."""
    subject = spec.subject
    if subject is None:
        return False
    record = args.get(subject.arg)
    if record is None:
        return not subject.optional or args.was_refused(subject.arg)
    return not subject.visible(viewer, record)


# --------------------------------------------------------------------------- notices


@dataclass(frozen=True)
class Notice:
    """What was wrong with one argument: `key` is the message (url.invalid, url.conflict, url.year_clamped, with
    `_shown` when something else is shown instead), `label` names the argument, `values` are the texts refused."""

    key: str
    label: str
    values: tuple[str, ...]
    shown: str | None = None


def refused(arg: Arg[Any], texts: Sequence[str], shown: str | None = None) -> Notice:
    """The notice for an argument whose texts were refused (one text: not valid; several: they disagree)."""
    key = "url.conflict" if len(texts) > 1 else "url.invalid"
    return Notice(key + ("_shown" if shown is not None else ""), arg.label_key, tuple(texts), shown)


def notice_text(notice: Notice, lang: str) -> str:
    """The notice in the UI language, quoting at most SHOWN_CHARS of each refused text."""
    quoted = [v if len(v) <= SHOWN_CHARS else v[:SHOWN_CHARS] + "…" for v in notice.values]
    label = t(notice.label, lang)
    return t(
        notice.key,
        lang,
        arg=label,
        Arg=label[:1].upper() + label[1:],
        value=("、" if lang == "zh" else ", ").join(quoted),
        shown=notice.shown or "",
    )


# --------------------------------------------------------------------------- reading a query


@dataclass
class PageArgs:
    """A page's arguments as read: the values (absent, refused or defaulted as parse decided) and the notices the
    page shows above itself (page_context adds its own: a city or district that does not exist)."""

    values: dict[str, Any] = field(default_factory=dict)
    notices: list[Notice] = field(default_factory=list)
    refused_names: set[str] = field(default_factory=set)

    def get(self, arg: Arg[T]) -> T | None:
        return cast("T | None", self.values.get(arg.name))

    def was_refused(self, arg: Arg[Any]) -> bool:
        """The link gave this argument, and its value was not accepted (so the page shows something else)."""
        return arg.name in self.refused_names


def texts_of(raw: object) -> list[str]:
    """The distinct non-empty texts a query value holds, in order: Dash passes a str, or a list for a repeated name."""
    items = raw if isinstance(raw, (list, tuple)) else [raw]
    texts: list[str] = []
    for item in items:
        if not isinstance(item, str):
            continue
        text = item.strip()
        if text and text not in texts:
            texts.append(text)
    return texts


def parse(spec: UrlArgs, query: Mapping[str, object], today: date) -> PageArgs:
    """Read the page's declared arguments from a query (as Dash passes it to a layout, or as query_of gives it)."""
    out = PageArgs()
    for arg in spec.args:
        texts = texts_of(query.get(arg.name))
        default = arg.kind.default(today)
        if not texts:
            out.values[arg.name] = default
            continue
        value = arg.kind.read(texts[0]) if len(texts) == 1 and len(texts[0]) <= MAX_TEXT else None
        if value is None:
            shown = arg.kind.show(default) if default is not None else None
            if not arg.kind.silent:
                out.notices.append(refused(arg, texts, shown))
            out.refused_names.add(arg.name)
            out.values[arg.name] = default
            continue
        kept = arg.kind.within(value, today)
        if kept != value:
            out.notices.append(Notice("url.year_clamped", arg.label_key, (arg.kind.show(value),), arg.kind.show(kept)))
        out.values[arg.name] = kept
    return out


def query_of(search: str | None) -> dict[str, list[str]]:
    """A URL's query string (`?a=1&a=2`, as a dcc.Location's `search` holds it) as Dash Pages reads it for a layout:
    every value of every name, blanks kept (parse treats them as absent)."""
    return parse_qs(search.lstrip("?") if isinstance(search, str) else "", keep_blank_values=True)


def reduce_query(search: str | None) -> dict[str, str]:
    """A query string as one value per name, by parse's rule: blanks dropped, a value repeated counts once, a name
    with different values is left out (what a callback compares the current filters with)."""
    reduced: dict[str, str] = {}
    for name, raw in query_of(search).items():
        texts = texts_of(raw)
        if len(texts) == 1:
            reduced[name] = texts[0]
    return reduced


# --------------------------------------------------------------------------- the HTTP status of a page's first request

# Addresses that are not pages even when Dash's catch-all route serves them: their answers stay as they are.
NOT_PAGES = (
    "/api/",
    "/_dash-",
    "/_reload-hash",
    "/_favicon",
    "/assets/",
    "/login",
    "/logout",
    "/lang/",
    "/notices/",
    "/healthz",
    "/councils/attachments/",
)
NOT_FOUND_MODULE = "not_found_404"  # Dash Pages shows this module's layout for an address no page has


def page_at(path: str, routes_prefix: str = "/") -> Mapping[str, Any] | None:
    """The registered page Dash Pages shows at this path (as its router matches: slashes stripped), or None when it
    shows its not-found page. The not-found module's own path counts as not found too."""
    relative = path[len(routes_prefix) :] if path.startswith(routes_prefix) else path
    wanted = relative.strip("/")
    for page in dash.page_registry.values():
        if str(page.get("module", "")).split(".")[-1] == NOT_FOUND_MODULE:
            continue
        template = str(page.get("path_template") or "").strip("/")
        if template and re.fullmatch(re.sub(r"<[^>]+>", "[^/]+", re.escape(template)), wanted):
            return page
        if str(page.get("path", "")).strip("/") == wanted:
            return page
    return None


def register_status(server: Flask) -> None:
    """Make the first HTML request of a page that is not there answer HTTP 404 (Dash's index is otherwise 200 for
    every address): an address no registered page has, and an address naming a record (UrlArgs.subject) that does
    not exist or the viewer may not see. Only GET/HEAD answers of Dash's own index routes are touched, never the
    addresses in NOT_PAGES; the body stays Dash's page, which then renders the not-found page in the app's shell.

    Call it in create_app before auth.init_app: Flask runs after_request functions in reverse order of registration,
    so the status is changed after auth's hook has handed the page its CSRF cookie (which it does on a 200 only) and a
    user who lands on a not-found page can still save from the next page they open in the app. Idempotent."""
    if server.extensions.get("housing_url_status"):
        return
    server.extensions["housing_url_status"] = True
    from pages._common import today  # pages._common imports this module: imported here, once, not at module level

    @server.after_request
    def _not_found_status(response: Response) -> Response:
        if request.method not in ("GET", "HEAD") or response.status_code != 200 or response.mimetype != "text/html":
            return response
        dash_app = server.extensions.get("dash_app")  # app.py's _build_dash keeps the Dash app here
        prefix = dash_app.config.routes_pathname_prefix if dash_app is not None else "/"
        if request.endpoint not in (prefix, prefix + "<path:path>") or request.path.startswith(NOT_PAGES):
            return response  # Dash's index and catch-all routes are named by their rule
        viewer = current_viewer()
        if viewer is None:  # the gate sent the signed-out to the sign-in page already; nothing to judge
            return response
        try:
            page = page_at(request.path, prefix)
            spec = page.get("url_args") if page is not None else None
            missing = page is None or (
                isinstance(spec, UrlArgs)
                and record_missing(spec, parse(spec, request.args.to_dict(flat=False), today()), viewer)
            )
        except Exception:  # a refinement of the status must never turn a page into an error: keep the 200
            log.warning("could not decide the status of %s", request.path, exc_info=True)
            return response
        if missing:
            response.status_code = 404
        return response
