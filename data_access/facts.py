"""The facts a page can ask for, one reader per subject, chosen once per session.

Each subject of facts has one interface: a class that answers from the raw tables, and a subclass that answers
the same questions from the pre-aggregated tables (data_access.core.rollup_tables), overriding only what those
tables can answer and deferring to the raw reader for the rest (one compound, a range the tables do not hold).
`facts(session)` hands out the set that serves the session: the choice is made here, once, from
`core.dataset.rollups_ready` — page assemblers never make it, and nothing else reads that switch
(tests/test_layers.py checks).

    f = facts(session)
    totals = f.work_orders.period_totals(area, first, last)

| subject                | interface (raw)        | module               |
|------------------------|------------------------|----------------------|
| work orders            | WorkOrderCounts        | complaint_counts     |
| work orders × cohorts  | ComplaintCohorts       | complaint_cohorts    |
| work orders × compound | CompoundWorkOrders     | complaint_compounds  |
| faults and visits      | FaultsAndVisits        | elevator_service     |
| elevator stock, funnel | ElevatorStock          | elevator_coverage    |
| elevators × compound   | CompoundElevators      | elevator_compounds   |
| fund ledger, pooled    | Funds                  | funds                |
| councils               | CouncilFacts           | council_facts        |

The readers are cheap objects bound to the session; the set is kept in `session.info` and rebuilt when the
reader is decided again (a full rollup refresh inside the session). The subject modules are imported when the
first set is built, not at import time: several of them offer cached entry points (`indicators.fund_summary`,
`councils.council_rollup`) that themselves ask `facts(session)`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

from data_access.core.dataset import rollups_ready

if TYPE_CHECKING:
    from data_access.complaint_cohorts import ComplaintCohorts
    from data_access.complaint_compounds import CompoundWorkOrders
    from data_access.complaint_counts import WorkOrderCounts
    from data_access.council_facts import CouncilFacts
    from data_access.elevator_compounds import CompoundElevators
    from data_access.elevator_coverage import ElevatorStock
    from data_access.elevator_service import FaultsAndVisits
    from data_access.funds import Funds

_INFO_KEY = "facts"


@dataclass(frozen=True)
class Facts:
    """One reader per subject, all from the same side (raw or pre-aggregated)."""

    from_rollups: bool
    work_orders: WorkOrderCounts
    cohorts: ComplaintCohorts
    compound_work_orders: CompoundWorkOrders
    service: FaultsAndVisits
    elevator_stock: ElevatorStock
    compound_elevators: CompoundElevators
    funds: Funds
    councils: CouncilFacts


def facts(session: Session) -> Facts:
    """The readers that serve this session (decided once per session, like `rollups_ready`)."""
    ready = rollups_ready(session)
    cached = session.info.get(_INFO_KEY)
    if isinstance(cached, Facts) and cached.from_rollups == ready:
        return cached
    built = _build(session, ready)
    session.info[_INFO_KEY] = built
    return built


def _build(session: Session, from_rollups: bool) -> Facts:
    from data_access import (
        complaint_cohorts,
        complaint_compounds,
        complaint_counts,
        council_facts,
        elevator_compounds,
        elevator_coverage,
        elevator_service,
        funds,
    )

    readers: dict[str, tuple[type[Any], type[Any]]] = {  # subject → (raw reader, pre-aggregated reader)
        "work_orders": (complaint_counts.WorkOrderCounts, complaint_counts.WorkOrderCountsFromRollups),
        "cohorts": (complaint_cohorts.ComplaintCohorts, complaint_cohorts.ComplaintCohortsFromRollups),
        "compound_work_orders": (
            complaint_compounds.CompoundWorkOrders,
            complaint_compounds.CompoundWorkOrdersFromRollups,
        ),
        "service": (elevator_service.FaultsAndVisits, elevator_service.FaultsAndVisitsFromRollups),
        "elevator_stock": (elevator_coverage.ElevatorStock, elevator_coverage.ElevatorStockFromRollups),
        "compound_elevators": (
            elevator_compounds.CompoundElevators,
            elevator_compounds.CompoundElevatorsFromRollups,
        ),
        "funds": (funds.Funds, funds.FundsFromRollups),
        "councils": (council_facts.CouncilFacts, council_facts.CouncilFactsFromRollups),
    }
    return Facts(from_rollups, **{name: pair[from_rollups](session) for name, pair in readers.items()})


__all__ = ["Facts", "facts"]
