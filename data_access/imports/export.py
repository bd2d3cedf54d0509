"""A city's records in the import template, and the empty template: the same workbook, written from the spec.

Each table is a sheet: row 1 the Chinese headers (required columns shaded), row 2 the English names in a
lighter style (the importer recognises and skips it), then the records; a last sheet "说明 Notes" describes
every column (type, unit, required, allowed values, example). Enumerations are written as their Chinese
labels and yes/no as 是/否, with drop-down lists; instants as Beijing wall-clock time (xlsx has no time zones,
and the importer reads such a time as Beijing time), so an exported file imports back unchanged. Text cells
are always text: a value starting with `=` is never written as a formula. Rows are streamed from the database
into a write-only workbook.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator, Mapping
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from sqlalchemy import Select, func, literal, select
from sqlalchemy.orm import Session, aliased

from data_access.core.models import (
    Building,
    Compound,
    District,
    Elevator,
    ElevatorFault,
    HotlineWorkOrder,
    InsuranceClaim,
    InsurancePolicy,
    Insurer,
    MaintenanceCompany,
    MaintenanceFundEntry,
    MaintenanceVisit,
    PooledAccount,
    PooledAccountEntry,
    PropertyCompany,
    Unit,
)
from data_access.core.scope import ON_COMPOUND_DISTRICT, ON_WORK_ORDER, Anchor, Area, on_elevator, within
from data_access.imports.pipeline import find_city, kind_spec
from data_access.imports.spec import NOTES_TITLE, TYPE_LABELS, Column, KindSpec, SheetSpec
from data_access.imports.tables import CityInfo
from data_access.imports.values import local_naive

_HEADER = Font(bold=True)
_SECOND_HEADER = Font(italic=True, color="808080", size=9)
_REQUIRED_FILL = PatternFill("solid", fgColor="DDEBF7")
_OPTIONAL_FILL = PatternFill("solid", fgColor="F2F2F2")
_WRAP = Alignment(wrap_text=True, vertical="top")
_LAST_ROW = 1_048_576
_WIDTHS = {"text": 24, "code": 20, "int": 10, "date": 13, "datetime": 19, "money": 14, "bool": 10, "enum": 14}


def export_kind(session: Session, kind: str, city_code: str) -> bytes:
    """The city's records of `kind` as an xlsx workbook in the import template (importing it changes nothing)."""
    spec, city = kind_spec(kind), find_city(session, city_code)
    conn = session.connection()

    def rows(sheet: SheetSpec) -> Iterator[Any]:
        """Streamed (a server-side cursor on PostgreSQL): a city's work orders are not held in memory twice."""
        stmt = _QUERIES[sheet.key](city).execution_options(stream_results=True, yield_per=2_000)
        as_written = _AS_WRITTEN.get(sheet.key)
        with conn.execute(stmt) as result:
            for record in result:
                yield as_written(record._mapping) if as_written else record._mapping

    return _workbook(spec, rows)


def template_bytes(kind: str) -> bytes:
    """The empty template of `kind`: the export's workbook without records."""
    return _workbook(kind_spec(kind), lambda _sheet: iter(()))


def _workbook(spec: KindSpec, rows: Any) -> bytes:
    workbook = Workbook(write_only=True)
    for sheet in spec.sheets:
        ws = workbook.create_sheet(sheet.title)
        _headers(ws, sheet)
        for record in rows(sheet):
            ws.append([_cell(ws, c, record.get(c.key)) for c in sheet.columns])
    _notes(workbook.create_sheet(NOTES_TITLE), spec)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _headers(ws: Any, sheet: SheetSpec) -> None:
    ws.freeze_panes = "A3"
    for index, column in enumerate(sheet.columns, 1):
        letter = get_column_letter(index)
        ws.column_dimensions[letter].width = max(_WIDTHS[column.type], len(column.en) + 2)
        if column.type in ("code", "text"):
            ws.column_dimensions[letter].number_format = "@"  # typed codes stay text (no lost digits)
        allowed = [c.zh for c in column.choices] or (["是", "否"] if column.type == "bool" else [])
        if allowed:
            validation = DataValidation(type="list", formula1=f'"{",".join(allowed)}"', allow_blank=True)
            validation.add(f"{letter}3:{letter}{_LAST_ROW}")
            ws.data_validations.append(validation)
    first, second = [], []
    for column in sheet.columns:
        top = WriteOnlyCell(ws, value=column.zh)
        top.font, top.fill = _HEADER, _REQUIRED_FILL if column.required else _OPTIONAL_FILL
        below = WriteOnlyCell(ws, value=column.en)
        below.font = _SECOND_HEADER
        first.append(top)
        second.append(below)
    ws.append(first)
    ws.append(second)


def _cell(ws: Any, column: Column, value: Any) -> Any:
    """A stored value as the template writes it (and the importer reads it back)."""
    if value is None:
        return None
    if column.type == "enum":
        code = getattr(value, "value", value)
        return next(c.zh for c in column.choices if c.value == code)
    if column.type == "bool":
        return "是" if value else "否"
    if column.type == "money":
        return Decimal(value) / 100
    if isinstance(value, datetime):
        local = local_naive(value)
        return local if not local.microsecond else local.isoformat(sep=" ")
    if isinstance(value, date | int):
        return value
    text = str(value)
    if text.startswith("="):
        cell = WriteOnlyCell(ws, value=text)
        cell.data_type = "s"  # never a formula
        return cell
    return text


def _notes(ws: Any, spec: KindSpec) -> None:
    headers = (
        ("表", "列名", "Column", "类型", "单位", "必填", "可选值", "示例", "说明", "Description"),
        ("Table", "Column (Chinese)", "Column (English)", "Type", "Unit", "Required", "Allowed values", "Example",
         "Description (Chinese)", "Description (English)"),
    )  # fmt: skip
    for letter, width in zip("ABCDEFGHIJ", (18, 16, 22, 22, 8, 8, 30, 22, 40, 50), strict=True):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "A3"
    for values, font in zip(headers, (_HEADER, _SECOND_HEADER), strict=True):
        cells = [WriteOnlyCell(ws, value=v) for v in values]
        for cell in cells:
            cell.font = font
        ws.append(cells)
    for sheet in spec.sheets:
        for column in sheet.columns:
            kind, allowed = TYPE_LABELS[column.type], column.allowed()
            row = (
                sheet.title,
                column.zh,
                column.en,
                f"{kind.zh} / {kind.en}",
                " / ".join(u for u in dict.fromkeys(column.unit) if u),
                "是 / yes" if column.required else "否 / no",
                f"{allowed.zh}\n{allowed.en}" if allowed.zh != allowed.en else allowed.zh,
                column.example,
                column.description.zh,
                column.description.en,
            )
            cells = [WriteOnlyCell(ws, value=v) for v in row]
            for cell in cells:
                cell.alignment = _WRAP
            ws.append(cells)
        key = f"识别依据：{sheet.key_label.zh}（相同则更新，不会重复新增） / Identified by: {sheet.key_label.en}"
        ws.append([sheet.title, key])


# --------------------------------------------------------------------------- what each table exports


def _companies(city: CityInfo) -> Select[Any]:
    pc = PropertyCompany
    stmt = select(
        pc.name.label("name"),
        literal(city.name).label("city"),
        pc.registered_on.label("registered_on"),
        pc.party_org_founded_on.label("party_org_founded_on"),
    ).order_by(pc.name, pc.id)
    return within(stmt, Area(city_id=city.id), Anchor(city=pc.city_id))


def _compounds(city: CityInfo) -> Select[Any]:
    c = Compound
    stmt = (
        select(
            literal(city.name).label("city"),
            District.name.label("district"),
            c.name.label("name"),
            c.households.label("households"),
            c.residents.label("residents"),
            c.completed_on.label("completed_on"),
            PropertyCompany.name.label("property_company"),
            c.owners_committee_formed_on.label("owners_committee_formed_on"),
            c.management_orderly.label("management_orderly"),
            c.party_org_founded_on.label("party_org_founded_on"),
        )
        .join(District, District.id == c.district_id)
        .outerjoin(PropertyCompany, PropertyCompany.id == c.property_company_id)
        .order_by(District.name, c.name, c.id)
    )
    return within(stmt, Area(city_id=city.id), ON_COMPOUND_DISTRICT)


def _place(city: CityInfo, *columns: Any) -> Select[Any]:
    """Rows placed in a building of the city: city, district and compound names first."""
    stmt = (
        select(literal(city.name).label("city"), District.name.label("district"), Compound.name.label("compound"))
        .add_columns(*columns)
        .select_from(Building)
        .join(Compound, Compound.id == Building.compound_id)
        .join(District, District.id == Compound.district_id)
    )
    return within(stmt, Area(city_id=city.id), ON_COMPOUND_DISTRICT)


def _buildings(city: CityInfo) -> Select[Any]:
    stmt = _place(city, Building.number.label("number"), Building.floors.label("floors"))
    return stmt.order_by(District.name, Compound.name, Building.id)


def _units(city: CityInfo) -> Select[Any]:
    stmt = _place(
        city, Building.number.label("building"), Unit.number.label("number"), Unit.households.label("households")
    )
    return stmt.join(Unit, Unit.building_id == Building.id).order_by(District.name, Compound.name, Building.id, Unit.id)


def _elevators(city: CityInfo) -> Select[Any]:
    e, unit = Elevator, aliased(Unit)
    stmt = _place(
        city,
        e.registration_code.label("registration_code"),
        Building.number.label("building"),
        unit.number.label("unit"),
        e.in_service_on.label("in_service_on"),
        MaintenanceCompany.name.label("maintenance_company"),
        e.maintenance_normal.label("maintenance_normal"),
        e.insurer_conditions_met.label("insurer_conditions_met"),
    )
    stmt = stmt.join(e, e.building_id == Building.id).outerjoin(unit, unit.id == e.unit_id)
    return stmt.outerjoin(MaintenanceCompany, MaintenanceCompany.id == e.maintenance_company_id).order_by(
        e.registration_code
    )


def _work_orders(city: CityInfo) -> Select[Any]:
    wo = HotlineWorkOrder
    stmt = (
        select(
            wo.order_no.label("order_no"),
            wo.received_at.label("received_at"),
            wo.category.label("category"),
            literal(city.name).label("city"),
            District.name.label("district"),
            Compound.name.label("compound"),
            Elevator.registration_code.label("elevator"),
            wo.summary.label("summary"),
            wo.closed_at.label("closed_at"),
            wo.satisfaction.label("satisfaction"),
        )
        .join(District, District.id == wo.district_id)
        .outerjoin(Compound, Compound.id == wo.compound_id)
        .outerjoin(Elevator, Elevator.id == wo.elevator_id)
        .order_by(wo.received_at, wo.id)
    )
    return within(stmt, Area(city_id=city.id), ON_WORK_ORDER)


def _faults(city: CityInfo) -> Select[Any]:
    f = ElevatorFault
    stmt = (
        select(
            Elevator.registration_code.label("elevator"),
            f.reported_at.label("reported_at"),
            f.responded_at.label("responded_at"),
            f.repaired_at.label("repaired_at"),
            f.severity.label("severity"),
            f.trapped_passengers.label("trapped_passengers"),
            f.released_at.label("released_at"),
            f.cause.label("cause"),
        )
        .join(Elevator, Elevator.id == f.elevator_id)
        .order_by(f.reported_at, f.id)
    )
    return within(stmt, Area(city_id=city.id), on_elevator(f.elevator_id))


def _visits(city: CityInfo) -> Select[Any]:
    v = MaintenanceVisit
    stmt = (
        select(
            Elevator.registration_code.label("elevator"),
            v.started_at.label("started_at"),
            v.duration_minutes.label("duration_minutes"),
        )
        .join(Elevator, Elevator.id == v.elevator_id)
        .order_by(v.started_at, v.id)
    )
    return within(stmt, Area(city_id=city.id), on_elevator(v.elevator_id))


def _fund_entries(city: CityInfo) -> Select[Any]:
    e = MaintenanceFundEntry
    stmt = _place(
        city,
        Building.number.label("building"),
        e.reference.label("reference"),
        e.booked_on.label("booked_on"),
        e.kind.label("kind"),
        e.amount_fen.label("amount"),
        e.memo.label("memo"),
    )
    return stmt.join(e, e.building_id == Building.id).order_by(e.booked_on, e.id)


def _account_place(city: CityInfo, *columns: Any) -> Select[Any]:
    """Rows of a pooled account of the city: its place (building and unit numbers) and `columns`."""
    stmt = _place(city, Building.number.label("building"), Unit.number.label("unit"), *columns)
    stmt = stmt.join(PooledAccount, PooledAccount.building_id == Building.id)
    return stmt.outerjoin(Unit, Unit.id == PooledAccount.unit_id)


def _pooled_accounts(city: CityInfo) -> Select[Any]:
    stmt = _account_place(city, PooledAccount.opened_on.label("opened_on"))
    return stmt.order_by(District.name, Compound.name, Building.id, PooledAccount.id)


def _pooled_entries(city: CityInfo) -> Select[Any]:
    e = PooledAccountEntry
    stmt = _account_place(
        city,
        e.reference.label("reference"),
        e.booked_on.label("booked_on"),
        e.kind.label("kind"),
        e.amount_fen.label("amount"),
    )
    return stmt.join(e, e.pooled_account_id == PooledAccount.id).order_by(e.booked_on, e.id)


def _policies(city: CityInfo) -> Select[Any]:
    p, e = InsurancePolicy, PooledAccountEntry
    # The voucher that paid it (a correlated subquery: a policy stays one row even if two entries name it).
    voucher = select(func.min(e.reference)).where(e.insurance_policy_id == p.id).scalar_subquery()
    stmt = (
        select(
            p.policy_no.label("policy_no"),
            Elevator.registration_code.label("elevator"),
            Insurer.name.label("insurer"),
            p.period_start.label("period_start"),
            p.period_end.label("period_end"),
            p.premium_fen.label("premium"),
            p.cover_fen.label("cover"),
            voucher.label("premium_reference"),
        )
        .join(Elevator, Elevator.id == p.elevator_id)
        .join(Insurer, Insurer.id == p.insurer_id)
        .order_by(p.period_start, p.policy_no)
    )
    return within(stmt, Area(city_id=city.id), on_elevator(p.elevator_id))


def _claims(city: CityInfo) -> Select[Any]:
    """The city's claims (placed by their policy's elevator), each with its policy number, the elevator's code and,
    when it answers one, the time its fault was reported: the fault's key in the faults template."""
    c, p = InsuranceClaim, InsurancePolicy
    stmt = (
        select(
            c.reference.label("reference"),
            p.policy_no.label("policy_no"),
            Elevator.registration_code.label("elevator"),
            c.paid_on.label("paid_on"),
            c.amount_fen.label("amount"),
            c.kind.label("kind"),
            ElevatorFault.reported_at.label("fault_reported_at"),
        )
        .join(p, p.id == c.insurance_policy_id)
        .join(Elevator, Elevator.id == p.elevator_id)
        .outerjoin(ElevatorFault, ElevatorFault.id == c.elevator_fault_id)
        .order_by(c.paid_on, c.reference)
    )
    return within(stmt, Area(city_id=city.id), on_elevator(p.elevator_id))


def _last_day_of_cover(record: Mapping[Any, Any]) -> dict[Any, Any]:
    """A policy's period as the policy states it: the stored end is exclusive, the file's last day is covered."""
    return {**record, "period_end": record["period_end"] - timedelta(days=1)}


# Per table, how a stored record is shown where the file's convention differs from the database's.
_AS_WRITTEN: dict[str, Callable[[Mapping[Any, Any]], Mapping[Any, Any]]] = {"policies": _last_day_of_cover}

_QUERIES = {
    "companies": _companies,
    "compounds": _compounds,
    "buildings": _buildings,
    "units": _units,
    "elevators": _elevators,
    "work_orders": _work_orders,
    "faults": _faults,
    "visits": _visits,
    "fund_entries": _fund_entries,
    "pooled_accounts": _pooled_accounts,
    "pooled_entries": _pooled_entries,
    "policies": _policies,
    "claims": _claims,
}
