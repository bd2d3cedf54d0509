"""What every table's importer shares: the import's context, a row in flight, and how a table is written.

A `Table` knows, for its model, how a row's references become ids (`resolve`: a district of this city, a
compound in the database or earlier in this file, an elevator of this city …, each failure a problem on the
cell that named it), how to find the record a row's natural key already names (`lookup`), and what the row
would store (`record`). The pipeline compares `record` with the stored record on the columns the file has
(`fields`): a column the file lacks is left as it is, so a clerk's registry without Party dates does not erase
them. New rows are inserted and changed rows updated in batches (executemany), never row by row.

Place is always this import's city: maps and lookups go through `core.scope.within` with the city's `Area`,
and a row naming a district, elevator or work order of another city is rejected saying whose it is.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, ClassVar

from sqlalchemy import Table as SqlTable
from sqlalchemy import and_, bindparam, insert, select, update
from sqlalchemy.engine import Connection

from data_access.core.models import Building, City, Compound, District, Elevator, PropertyCompany, Unit
from data_access.core.scope import ON_COMPOUND, Anchor, Area, within
from data_access.imports.messages import Message, Text
from data_access.imports.spec import SheetSpec, header_key

NEW = "<new in this file>"  # a reference to a record earlier in the same file, not yet written
# registration code → (elevator id, compound id, city id, city name, city English name)
ElevatorsFound = dict[str, tuple[int, int, int, str, str]]


@dataclass(frozen=True)
class CityInfo:
    id: int
    code: str
    name: str
    name_en: str

    @property
    def label(self) -> Text:
        return Text(self.name, self.name_en)


@dataclass(slots=True)
class Row:
    """One data row between validation and writing: typed values, resolved ids, the stored record if any."""

    number: int
    values: dict[str, Any]
    problems: list[tuple[str, Message]] = field(default_factory=list)
    refs: dict[str, Any] = field(default_factory=dict)
    existing: dict[str, Any] | None = None  # the stored record's compared columns and its "id"

    def problem(self, column: str, key: str, **params: Any) -> None:
        self.problems.append((column, Message(key, params)))


class Context:
    """The import's city, today, the city's districts, compounds and companies, and the keys seen so far."""

    def __init__(self, conn: Connection, city: CityInfo, today: date) -> None:
        self.conn, self.city, self.today = conn, city, today
        self.area = Area(city_id=city.id)
        self.seen: dict[str, dict[tuple[Any, ...], int]] = {}  # table → natural key → first row number
        # What a later table of the file needs to know of an earlier table's new records, beyond their keys (a new
        # pooled account's opening day): table → natural key → value. Small: one value per record.
        self.file_values: dict[str, dict[tuple[Any, ...], Any]] = {}
        # Every district, so that a row naming another city's is told whose it is.
        rows = conn.execute(select(District.name, District.id, City.id, City.name, City.name_en).join(City))
        self.districts: dict[str, int] = {}
        self.other_districts: dict[str, Text] = {}
        for name, district_id, city_id, city_name, city_en in rows:
            if city_id == city.id:
                self.districts[name] = district_id
            else:
                self.other_districts.setdefault(name, Text(city_name, city_en))
        self.city_names = {header_key(n) for n in (city.code, city.name, city.name_en)}
        self.city_labels = {i: Text(n, en) for i, n, en in conn.execute(select(City.id, City.name, City.name_en))}
        self.compounds: dict[tuple[int, str], int] = {}
        self.compound_districts: dict[int, int] = {}
        self.companies: dict[str, list[int]] = {}
        self.reload()

    def reload(self) -> None:
        """Read the city's compounds and companies again (after a table of them was written)."""
        stmt = within(select(Compound.district_id, Compound.name, Compound.id), self.area, ON_COMPOUND)
        self.compounds = {(d, n): i for d, n, i in self.conn.execute(stmt)}
        self.compound_districts = {i: d for (d, _n), i in self.compounds.items()}
        companies = within(
            select(PropertyCompany.name, PropertyCompany.id), self.area, Anchor(city=PropertyCompany.city_id)
        )
        self.companies = {}
        for name, company_id in self.conn.execute(companies.order_by(PropertyCompany.id)):
            self.companies.setdefault(name, []).append(company_id)

    def city_label(self, city_id: int) -> Text:
        return self.city_labels.get(city_id, Text(str(city_id), str(city_id)))

    # ----------------------------------------------------------------------- references every table makes

    def check_city(self, row: Row) -> None:
        value = row.values.get("city")
        if value is not None and header_key(value) not in self.city_names:
            row.problem("city", "import.err.city", city=self.city.label)

    def district(self, row: Row) -> int | None:
        name = row.values["district"]
        if name in self.districts:
            return self.districts[name]
        if name in self.other_districts:
            other = self.other_districts[name]
            row.problem("district", "import.err.district_other_city", other=other, city=self.city.label)
        else:
            row.problem("district", "import.err.district_unknown", city=self.city.label)
        return None

    def compound(self, row: Row, district_id: int | None, column: str = "compound", in_file: bool = True) -> Any:
        """The compound a row names (its district + name): the id, NEW when an earlier row of this file adds it,
        or None (with a problem) when neither. Nothing when the district itself failed."""
        if district_id is None:
            return None
        name = row.values[column]
        found = self.compounds.get((district_id, name))
        if found is not None:
            return found
        if in_file and (row.values["district"], name) in self.seen.get("compounds", {}):
            return NEW
        row.problem(column, "import.err.compound_unknown")
        return None

    def buildings(self, rows: list[Row], column: str = "building") -> None:
        """Set refs["building"] of rows whose refs["compound"] is known: an id, NEW, or a problem."""
        wanted = {(r.refs["compound"], r.values[column]) for r in rows if isinstance(r.refs.get("compound"), int)}
        ids = self.ids_by_key(Building.__table__, ("compound_id", "number"), wanted)  # type: ignore[arg-type]
        for row in rows:
            compound = row.refs.get("compound")
            number = row.values[column]
            found = ids.get((compound, number)) if isinstance(compound, int) else None
            file_key = (row.values["district"], row.values["compound"], number)
            if found is not None:
                row.refs["building"] = found
            elif compound is not None and file_key in self.seen.get("buildings", {}):
                row.refs["building"] = NEW
            elif compound is not None:
                row.problem(column, "import.err.building_unknown")

    def units(self, rows: list[Row], column: str) -> None:
        """Set refs["unit"] of rows whose building is known and that name a unit."""
        wanted = {(r.refs["building"], r.values[column]) for r in rows if isinstance(r.refs.get("building"), int)}
        wanted = {w for w in wanted if w[1] is not None}
        ids = self.ids_by_key(Unit.__table__, ("building_id", "number"), wanted)  # type: ignore[arg-type]
        for row in rows:
            building, number = row.refs.get("building"), row.values.get(column)
            if building is None or number is None:
                row.refs["unit"] = None
                continue
            found = ids.get((building, number)) if isinstance(building, int) else None
            file_key = (row.values["district"], row.values["compound"], row.values["building"], number)
            if found is not None:
                row.refs["unit"] = found
            elif file_key in self.seen.get("units", {}):
                row.refs["unit"] = NEW
            else:
                row.problem(column, "import.err.unit_unknown")

    def elevators(self, codes: Iterable[str]) -> ElevatorsFound:
        """The elevators of these registration codes, whatever their city."""
        wanted = sorted(set(codes))
        if not wanted:
            return {}
        stmt = (
            select(Elevator.registration_code, Elevator.id, Building.compound_id, City.id, City.name, City.name_en)
            .join(Building, Building.id == Elevator.building_id)
            .join(Compound, Compound.id == Building.compound_id)
            .join(District, District.id == Compound.district_id)
            .join(City, City.id == District.city_id)
            .where(Elevator.registration_code.in_(wanted))
        )
        return {code: (e, c, city, name, en) for code, e, c, city, name, en in self.conn.execute(stmt)}

    def elevator(self, row: Row, column: str, found: ElevatorsFound) -> int | None:
        """The id of the elevator a row names (of this city), or None with a problem."""
        hit = found.get(row.values[column])
        if hit is None:
            row.problem(column, "import.err.elevator_unknown")
            return None
        if hit[2] != self.city.id:
            row.problem(column, "import.err.elevator_other_city", other=Text(hit[3], hit[4]), city=self.city.label)
            return None
        return hit[0]

    def ids_by_key(
        self, table: SqlTable, columns: tuple[str, ...], keys: set[tuple[Any, ...]]
    ) -> dict[tuple[Any, ...], int]:
        """Stored ids by a composite key, for a batch of keys (one statement)."""
        if not keys:
            return {}
        cols = [table.c[c] for c in columns]
        stmt = select(table.c.id, *cols).where(key_condition(cols, keys))
        found = ((tuple(key), row_id) for row_id, *key in self.conn.execute(stmt))
        return {key: row_id for key, row_id in found if key in keys}


def key_condition(columns: list[Any], keys: set[tuple[Any, ...]]) -> Any:
    """A condition that selects (at least) the rows of these composite keys: each column IN its values. The
    caller keeps the exact pairs. `(a, b) IN ((…), …)` would be exact, but PostgreSQL plans it as one OR branch
    per key (2,000 per batch: 0.4 s of planning per batch of faults), where two IN lists use an index at once."""
    return and_(*(column.in_(sorted({key[i] for key in keys})) for i, column in enumerate(columns)))


class Table:
    """The importer of one table of a kind (see the module's docstring)."""

    spec: ClassVar[SheetSpec]
    table: ClassVar[SqlTable]
    # stored column → the file column it comes from (a column absent from the file is not compared or updated)
    columns: ClassVar[dict[str, str]]

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    def key(self, row: Row) -> tuple[Hashable, ...]:
        return tuple(row.values[k] for k in self.spec.natural_key)

    def resolve(self, rows: list[Row]) -> None:
        """Set each row's refs; a reference that fails is a problem on its cell."""

    def lookup(self, rows: list[Row]) -> None:
        """Set each row's `existing` (the stored record its natural key names), or a problem (another city's)."""

    def record(self, row: Row) -> dict[str, Any]:
        """The stored columns' values for the row (absent optional columns at their defaults)."""
        raise NotImplementedError

    def fields(self, present: frozenset[str]) -> list[str]:
        return [stored for stored, source in self.columns.items() if source in present]

    def before_write(self, rows: list[Row]) -> None:
        """Create what the rows need that no table of the file holds (e.g. a new maintenance company)."""

    def write(self, rows: list[Row], present: frozenset[str]) -> None:
        """Insert the new rows and update the changed ones (the rows given are only those)."""
        conn = self.ctx.conn
        new = [self.record(r) for r in rows if r.existing is None]
        if new:
            conn.execute(insert(self.table), new)
        changed = [r for r in rows if r.existing is not None]
        cols = self.fields(present)
        if changed and cols:
            stmt = (
                update(self.table)
                .where(self.table.c.id == bindparam("_id"))
                .values({c: bindparam(f"_v_{c}") for c in cols})
            )
            params = []
            for row in changed:
                rec = self.record(row)
                assert row.existing is not None
                params.append({"_id": row.existing["id"], **{f"_v_{c}": rec[c] for c in cols}})
            conn.execute(stmt, params)

    def stored(
        self, key_columns: tuple[str, ...], keys: set[tuple[Any, ...]], extra: tuple[str, ...] = ()
    ) -> dict[tuple[Any, ...], dict[str, Any]]:
        """The stored records of a batch of natural keys (the first by id where the database has two), with
        their compared columns, "id" and `extra` columns."""
        if not keys:
            return {}
        t = self.table
        cols = [t.c[c] for c in key_columns]
        names = dict.fromkeys(["id", *key_columns, *self.columns, *extra])
        found: dict[tuple[Any, ...], dict[str, Any]] = {}
        stmt = select(*(t.c[n] for n in names)).where(key_condition(cols, keys)).order_by(t.c.id)
        for record in self.ctx.conn.execute(stmt):
            values = dict(record._mapping)
            key = tuple(values[c] for c in key_columns)
            if key in keys:
                found.setdefault(key, values)
        return found

    def same(self, row: Row, present: frozenset[str]) -> bool:
        """The row would change nothing stored."""
        assert row.existing is not None
        rec = self.record(row)
        return all(rec[c] == row.existing[c] for c in self.fields(present))

    def counts_extra(self) -> dict[str, int]:
        """Records made on the side (new maintenance companies), by table name."""
        return {}
