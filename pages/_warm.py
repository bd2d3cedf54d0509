"""Fill the result cache with the views leaders open first: this year, province-wide, per city and per district.

Run in a background thread at start-up when WARM_CACHE is set (make run does), so the first visitor
of the morning does not wait for the ledgers to be summed. The calls are the pages' own, with the
same arguments, so their cache keys are the ones the pages will ask for.
"""

from __future__ import annotations

import logging
import threading
import time
from datetime import date, datetime, timedelta
from datetime import time as dtime
from typing import TYPE_CHECKING

from flask import Flask

from data_access import get_session
from data_access.cache import claim, data_generation
from data_access.complaints import complaints_page_data
from data_access.core.clock import CITY_TZ
from data_access.core.scope import Area
from data_access.elevators import elevators_page_data
from data_access.funds import funds_page_data
from data_access.geography import district_options, list_cities
from data_access.indicators import as_of_for_year, overview
from data_access.insurance_value import insurance_value_page
from data_access.red_property import red_property_compounds, red_property_page_data
from pages import complaints, funds, red_property
from pages._common import today

if TYPE_CHECKING:  # pages hand a session on; they never make one or write SQL
    from sqlalchemy.orm import Session

log = logging.getLogger("housing.warm")
WARM_CLAIM_SECONDS = 6 * 3600  # long enough for a `large` warm-up; a worker that died mid-way frees it by then


def _warm_area(session: Session, area: Area, year: int, now: date) -> None:
    """The pages' own calls, with their arguments as the pages pass them (the cache key depends on it): each
    page's render (without its compound table), then the compound table its grid and exports read; /insurance-value
    has no compound table (its one call is its render)."""
    if year == now.year:
        overview(session, area, as_of_for_year(now.year, now))
    funds_page_data(session, area, year, now, funds.FIRST_YEAR, include_compounds=False)
    funds_page_data(session, area, year, now, funds.FIRST_YEAR, compounds_only=True)
    elevators_page_data(session, area, year, now, include_compounds=False)
    elevators_page_data(session, area, year, now, compounds_only=True)
    complaints_page_data(session, area, year, now, complaints.FIRST_YEAR, include_compounds=False)
    complaints_page_data(session, area, year, now, complaints.FIRST_YEAR, compounds_only=True)
    red_property_page_data(session, area, year, now, red_property.FIRST_YEAR, include_compounds=False)
    red_property_compounds(session, area, year, now, red_property.FIRST_YEAR)
    insurance_value_page(session, area, year, now)


def warm(server: Flask) -> float:
    """Compute this year's pages of the province and each city; then of each district (where a click on a chart
    leads); then last year's of the province and each city. An entry is keyed by its area, so every viewer who
    may see that area is served by it. Returns seconds."""
    started = time.perf_counter()
    with server.test_request_context():
        session = get_session()
        now = today()
        # Once per deployment, not per worker: with the shared (Redis) cache one worker warms each data set and
        # day, and the others serve requests meanwhile instead of computing the same entries.
        if not claim(f"warm:{data_generation(session)}:{now.isoformat()}", WARM_CLAIM_SECONDS):
            log.info("result cache: another worker is warming it (or has) for %s", now)
            return 0.0
        cities = list_cities(session)
        tops = [Area(), *(Area(city_id=c.id) for c in cities)]
        districts = [Area(city_id=c.id, district_id=d.id) for c in cities for d in district_options(session, c.id)]
        for year, areas in ((now.year, tops), (now.year, districts), (now.year - 1, tops)):
            for area in areas:
                _warm_area(session, area, year, now)
    seconds = time.perf_counter() - started
    log.info("result cache warmed in %.1f s", seconds)
    return seconds


def _seconds_to_next_morning() -> float:
    """Until 00:05 tomorrow in the cities' zone, when "today" (and so every as-of key) changes."""
    now = datetime.now(CITY_TZ)
    morning = datetime.combine(now.date() + timedelta(days=1), dtime(0, 5), CITY_TZ)
    return (morning - now).total_seconds()


def _keep_warm(server: Flask) -> None:
    while True:
        try:
            warm(server)
        except Exception:  # a failed warm-up only costs speed; say so and try again tomorrow
            log.exception("warming the result cache failed")
        time.sleep(_seconds_to_next_morning())


def warm_in_background(server: Flask) -> threading.Thread:
    thread = threading.Thread(target=_keep_warm, args=(server,), name="warm-cache", daemon=True)
    thread.start()
    return thread
