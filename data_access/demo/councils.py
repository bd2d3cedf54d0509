"""Stage 8: four-party councils (四方议事会) — meetings, attendees, agenda items, follow-ups.

Calibration: Zhuzhou agenda items resolved up to 2022-12-31 number exactly 1,726. Meetings before
the article (to 2022-08-25) are generated in memory at a rate that slightly overshoots, then a few
outcomes are switched (resolved ↔ referred/rejected, which never carry over) to hit the figure.
Items at the autumn-2022 meetings are deferred or only partly settled and carried into 2023, so the
count is the same on the article date and at the end of 2022.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from data_access.demo import names
from data_access.demo.config import ARTICLE_CUTOFF, COUNCILS_START, ZZ_RESOLVED_ITEMS_2022
from data_access.demo.world import CompoundRec, WeightedPicker, World, local, rand_date

NORMAL_OUTCOMES = (
    ("resolved", 84),
    ("partly_resolved", 5),
    ("deferred", 5),
    ("referred", 4),
    ("rejected", 2),
)
AUTUMN_2022_OUTCOMES = (("deferred", 50), ("partly_resolved", 30), ("referred", 20))
CATEGORIES = (
    ("ebike_charging", 14),
    ("water_leak", 14),
    ("add_elevator", 10),
    ("parking", 16),
    ("unsafe_facility", 10),
    ("elevator_insurance", 8),
    ("property_service", 18),
    ("other", 10),
)
RAISERS = (("residents", 45), ("owners_committee", 25), ("party_org", 15), ("property_company", 15))
FOLLOW_UP_OWNERS = (("property_company", 45), ("owners_committee", 25), ("party_org", 20), ("residents", 10))
ORDER_CATEGORY = {
    "ebike_charging": "ebike_charging",
    "water_leak": "water_leak",
    "parking": "parking",
    "property_service": "property_fee",
    "elevator_insurance": "elevator",
}
PARTIES = ("party_org", "property_company", "owners_committee", "residents")
AUTUMN_2022_END = date(2022, 12, 31)
EXPECTED_RESOLVED_PER_MEETING = 1.6
XINGUIDU_QUIET = (date(2021, 12, 1), date(2022, 6, 15))  # only the e-bike meetings in this window


@dataclass(slots=True, eq=False)
class Item:
    id: int
    category: str
    title: str
    raising: str
    description: str
    outcome: str = "resolved"
    method: str | None = None
    votes: tuple[int | None, int | None, int | None] = (None, None, None)
    resolution: str | None = None
    carried_from: int | None = None
    depth: int = 0
    fixed: bool = False  # a seed-fact item: its outcome is never switched


@dataclass(slots=True, eq=False)
class Meeting:
    id: int
    compound: CompoundRec
    held: datetime
    venue: str
    convener: str
    attendees: list[tuple[str, str, str]]  # (party, name, role)
    items: list[Item] = field(default_factory=list)
    special: bool = False


class Councils:
    """Generates every compound's meetings in date order, carrying open items to the next meeting."""

    def __init__(self, w: World) -> None:
        self.w = w
        self.rng = w.rng
        self.casts: dict[int, dict[str, list[tuple[str, str]]]] = {}
        self.carry: dict[int, list[Item]] = {}
        self.categories = WeightedPicker([c for c, _ in CATEGORIES], [wt for _, wt in CATEGORIES])
        self.raisers = WeightedPicker([p for p, _ in RAISERS], [wt for _, wt in RAISERS])
        self.owners = WeightedPicker([p for p, _ in FOLLOW_UP_OWNERS], [wt for _, wt in FOLLOW_UP_OWNERS])
        self.normal = WeightedPicker([o for o, _ in NORMAL_OUTCOMES], [wt for _, wt in NORMAL_OUTCOMES])
        self.autumn = WeightedPicker([o for o, _ in AUTUMN_2022_OUTCOMES], [wt for _, wt in AUTUMN_2022_OUTCOMES])

    # ------------------------------------------------------------------ orchestration

    def run(self) -> None:
        w = self.w
        post_rate = w.scale.council_rate
        before_article = self._before_article()
        self._calibrate(before_article)
        for m in before_article:
            self._write(m)
        last = w.today - timedelta(days=1)
        for c in w.zhuzhou.compounds:
            if c.party_org_on is None:
                continue
            autumn_start = max(c.party_org_on, ARTICLE_CUTOFF + timedelta(days=1))
            for d in self._dates(autumn_start, AUTUMN_2022_END, post_rate * 0.5):
                self._write(self._meeting(c, d, self.autumn))
            for d in self._dates(max(c.party_org_on, date(2023, 1, 1)), last, post_rate):
                self._write(self._meeting(c, d, self.normal))
        for c in w.xiangtan.compounds:
            if c.party_org_on is not None:
                for d in self._dates(max(c.party_org_on, COUNCILS_START), last, post_rate):
                    self._write(self._meeting(c, d, self.normal))
        w.writer.flush()

    def _before_article(self) -> list[Meeting]:
        """Zhuzhou meetings from March 2021 to the article date, held in memory for calibration."""
        w = self.w
        active = [c for c in w.zhuzhou.compounds if c.party_org_on and c.party_org_on <= ARTICLE_CUTOFF]
        years = sum(
            (ARTICLE_CUTOFF - max(on, COUNCILS_START)).days / 365
            for c in active
            if (on := c.party_org_on) is not None  # all of `active` have one
        )
        rate = min(6.0, ZZ_RESOLVED_ITEMS_2022 * 1.03 / (EXPECTED_RESOLVED_PER_MEETING * max(years, 1.0)))
        meetings: list[Meeting] = []
        for c in active:
            assert c.party_org_on is not None
            days = self._dates(max(c.party_org_on, COUNCILS_START), ARTICLE_CUTOFF, rate)
            if c.name == "新桂都":
                meetings += self._xinguidu(c, days)
            else:
                meetings += [self._meeting(c, d, self.normal) for d in days]
        return meetings

    def _calibrate(self, meetings: list[Meeting]) -> None:
        """Switch a few outcomes so that exactly 1,726 items are resolved by the article date."""
        rng = self.rng
        items = [it for m in meetings for it in m.items]
        resolved = [it for it in items if it.outcome == "resolved"]
        surplus = len(resolved) - ZZ_RESOLVED_ITEMS_2022
        if surplus > 0:
            for it in rng.sample([it for it in resolved if not it.fixed], surplus):
                self._decide(it, "referred", 7)
            return
        pool = [
            (it, len(m.attendees))
            for m in meetings
            for it in m.items
            if it.outcome in ("referred", "rejected") and not it.fixed
        ]
        rng.shuffle(pool)
        missing = -surplus
        for it, present in pool[:missing]:
            self._decide(it, "resolved", present)
        missing -= min(missing, len(pool))
        generic = [m for m in meetings if not m.special]
        for _ in range(missing):
            m = rng.choice(generic)
            it = self._new_item(m.compound)
            self._decide(it, "resolved", len(m.attendees))
            m.items.append(it)
        assert sum(it.outcome == "resolved" for m in meetings for it in m.items) == ZZ_RESOLVED_ITEMS_2022

    # ------------------------------------------------------------------ meetings and items

    def _dates(self, start: date, end: date, per_year: float) -> list[date]:
        """Meeting days of a Poisson process with per_year meetings a year in [start, end]."""
        out: list[date] = []
        if per_year <= 0 or start > end:
            return out
        t = start.toordinal() + self.rng.expovariate(per_year / 365.0)
        while t <= end.toordinal():
            d = date.fromordinal(int(t))
            if not out or out[-1] != d:
                out.append(d)
            t += self.rng.expovariate(per_year / 365.0)
        return out

    def _cast(self, c: CompoundRec) -> dict[str, list[tuple[str, str]]]:
        """The same people come back meeting after meeting: one cast per compound."""
        cast = self.casts.get(c.id)
        if cast is None:
            rng = self.rng
            p = names.person
            cast = {
                "party_org": [(p(rng), "党支部书记")] + [(p(rng), "党员代表") for _ in range(2)],
                "property_company": [(p(rng), role) for role in names.ROLES["property_company"]],
                "owners_committee": [(p(rng), "业委会主任")] + [(p(rng), "业委会委员") for _ in range(3)],
                "residents": [(p(rng), rng.choice(names.ROLES["residents"])) for _ in range(8)],
            }
            self.casts[c.id] = cast
        return cast

    def _attendees(self, c: CompoundRec, held: date) -> list[tuple[str, str, str]]:
        rng = self.rng
        cast = self._cast(c)
        missing = rng.choice(PARTIES[1:]) if rng.random() < 0.05 else None
        has_committee = c.committee_on is not None and c.committee_on <= held
        counts = {
            "party_org": 1 + (rng.random() < 0.5),
            "property_company": rng.randint(1, 2),
            "owners_committee": rng.randint(1, 3),
            "residents": rng.randint(2, 4),
        }
        out = []
        for party in PARTIES:
            if party == missing:
                continue
            people = cast[party][:1] + rng.sample(cast[party][1:], counts[party] - 1)
            for name, role in people:
                if party == "owners_committee" and not has_committee:
                    role = "业主代表"
                out.append((party, name, role))
        return out

    def _held_at(self, d: date) -> datetime:
        if d.weekday() < 5:
            return local(d, 19 * 60 + 30)
        return local(d, self.rng.choice((9 * 60 + 30, 15 * 60)))

    def _new_meeting(self, c: CompoundRec, d: date) -> Meeting:
        rng = self.rng
        attendees = self._attendees(c, d)
        venue = names.MAIN_VENUE if rng.random() < 0.85 else rng.choice(names.VENUES)
        return Meeting(
            self.w.writer.next_id("council_meeting"),
            c,
            self._held_at(d),
            venue,
            self._cast(c)["party_org"][0][0],
            attendees,
        )

    def _meeting(self, c: CompoundRec, d: date, outcomes: WeightedPicker) -> Meeting:
        rng = self.rng
        m = self._new_meeting(c, d)
        carried = self.carry.pop(c.id, [])
        size = max(len(carried), rng.choices((1, 2, 3), (35, 45, 20))[0])
        for prev in carried:
            it = Item(
                self.w.writer.next_id("agenda_item"),
                prev.category,
                prev.title if prev.title.startswith("（续议）") else "（续议）" + prev.title,
                prev.raising,
                prev.description,
                carried_from=prev.id,
                depth=prev.depth + 1,
            )
            m.items.append(it)
        while len(m.items) < size:
            m.items.append(self._new_item(c))
        for it in m.items:
            self._decide(it, outcomes.pick(rng), len(m.attendees))
        open_items = [it for it in m.items if it.outcome in ("deferred", "partly_resolved") and it.depth < 2]
        if open_items:
            self.carry[c.id] = open_items
        return m

    def _new_item(self, c: CompoundRec) -> Item:
        rng = self.rng
        category = self.categories.pick(rng)
        has_elevators = any(b.elevators for b in c.buildings)
        if category == "add_elevator" and all(b.floors >= 7 for b in c.buildings):
            category = "parking"
        if category == "elevator_insurance" and not has_elevators:
            category = "property_service"
        texts = names.AGENDA_TEXTS[category]
        b = rng.choice(c.buildings).number
        return Item(
            self.w.writer.next_id("agenda_item"),
            category,
            rng.choice(texts["title"]).format(b=b),
            self.raisers.pick(rng),
            rng.choice(texts["description"]).format(b=b),
        )

    def _decide(self, it: Item, outcome: str, attendees: int) -> None:
        """Set outcome, decision method, votes (never more than the people present) and resolution."""
        rng = self.rng
        it.outcome = outcome
        it.votes = (None, None, None)
        if outcome == "deferred":
            it.method, it.resolution = None, names.DEFERRED_RESOLUTION
            return
        if outcome == "referred":
            it.method, it.resolution = "consensus", names.REFERRED_RESOLUTION
            return
        vote = outcome == "rejected" or rng.random() < 0.35
        it.method = "vote" if vote else "consensus"
        if vote:
            abstain = rng.randint(0, 1) if attendees > 3 else 0
            voting = attendees - abstain
            if outcome == "rejected":
                votes_for = rng.randint(0, (voting - 1) // 2)
            else:
                votes_for = rng.randint(voting // 2 + 1, voting)
            it.votes = (votes_for, voting - votes_for, abstain)
        if outcome == "rejected":
            it.resolution = names.REJECTED_RESOLUTION
        elif outcome == "partly_resolved":
            it.resolution = names.PARTLY_RESOLUTION
        else:
            text = rng.choice(names.AGENDA_TEXTS[it.category]["resolution"])
            it.resolution = text.format(n=rng.randint(6, 40), b=rng.randint(1, 9))

    # ------------------------------------------------------------------ 新桂都 (seed-facts §3)

    def _xinguidu(self, c: CompoundRec, days: list[date]) -> list[Meeting]:
        """Xinguidu's published cases, plus its ordinary meetings outside the e-bike months."""
        special: list[tuple[date, Meeting]] = []

        def one(d: date, item: Item, outcome: str, resolution: str) -> Meeting:
            m = self._new_meeting(c, d)
            m.special = True
            item.fixed = True
            self._decide(item, outcome, len(m.attendees))
            item.resolution = resolution
            m.items.append(item)
            special.append((d, m))
            return m

        wid = self.w.writer.next_id
        one(
            date(2021, 8, 21),
            Item(
                wid("agenda_item"),
                "water_leak",
                "11栋15楼渗水殃及14楼、13楼纠纷调解",
                "residents",
                "11栋15楼住户卫生间防水失效，自2018年1月起渗水影响14楼、13楼两户，多年协商没有结果。",
            ),
            "resolved",
            "物业请专业人员查明渗漏点后维修，15楼住户承担维修费用并补偿14楼、13楼的损失，三户签字认可。",
        )
        one(
            date(2021, 10, 16),
            Item(
                wid("agenda_item"),
                "unsafe_facility",
                "9栋水塘边木栈道改造",
                "party_org",
                "9栋旁水塘边的木质平台腐朽松动，常有儿童在上面玩耍，存在落水危险。",
            ),
            "resolved",
            "拆除腐朽的木平台，改建为“长颈鹿广场”，加装护栏和休闲座椅，费用从公共收益列支。",
        )
        steps = (
            (date(2022, 1, 15), "deferred", "充电区选址分歧较大，由物业测算车库用电负荷，下次再议。"),
            (date(2022, 2, 26), "partly_resolved", "同意在地下车库设置集中充电区，选址和收费办法继续协商。"),
            (date(2022, 3, 19), "deferred", "收费标准需听取更多住户意见，暂缓决定。"),
            (date(2022, 4, 16), "partly_resolved", "选址定在负一层东侧，收费标准基本一致，待业委会公示。"),
            (
                date(2022, 5, 14),
                "resolved",
                "集中充电区自2022年6月1日起启用，按用电量计费；楼道内一律禁止充电，党员志愿者负责劝导。",
            ),
        )
        previous: Item | None = None
        for n, (d, outcome, resolution) in enumerate(steps, 1):
            item = Item(
                wid("agenda_item"),
                "ebike_charging",
                f"地下车库电动车充电问题协调（第{n}次）",
                "residents",
                "地下车库电动车乱停放、私拉电线充电，住户之间矛盾突出，需商定集中充电办法。",
                carried_from=previous.id if previous else None,
                depth=n - 1,
            )
            one(d, item, outcome, resolution)
            previous = item

        taken = {d for d, _m in special}
        for d in days:
            quiet = XINGUIDU_QUIET[0] <= d <= XINGUIDU_QUIET[1]
            if not quiet and all(abs((d - s).days) > 10 for s in taken):
                special.append((d, self._meeting(c, d, self.normal)))
        special.sort(key=lambda pair: pair[0])
        return [m for _d, m in special]

    # ------------------------------------------------------------------ rows

    def _write(self, m: Meeting) -> None:
        w, rng, wr = self.w, self.rng, self.w.writer
        c = m.compound
        held_day = m.held.date()
        published: dict[int, datetime] = {}  # resolved items posted in the public notice, 1–3 days after
        for it in m.items:
            if it.outcome == "resolved" and rng.random() < 0.85:
                at = local(held_day + timedelta(days=rng.randint(1, 3)), rng.randint(600, 1_020))
                if at < w.cutoff:
                    published[it.id] = at
        notice_from = min(published.values()).date() if published else None
        wr.add(
            "council_meeting",
            {
                "id": m.id,
                "compound_id": c.id,
                "held_at": m.held,
                "status": "held",
                "venue": m.venue,
                "convener": m.convener,
                "version": 1,
                "created_at": m.held + timedelta(hours=2),
                "updated_at": m.held + timedelta(hours=2),
                "notice_from": notice_from,
                "notice_to": notice_from + timedelta(days=6) if notice_from else None,
                "deleted_at": None,
            },
        )
        for party, name, role in m.attendees:
            wr.add(
                "council_attendee",
                {
                    "id": wr.next_id("council_attendee"),
                    "meeting_id": m.id,
                    "party": party,
                    "name": name,
                    "role": role,
                },
            )
        for position, it in enumerate(m.items):
            resolved = it.outcome == "resolved"
            wr.add(
                "agenda_item",
                {
                    "id": it.id,
                    "meeting_id": m.id,
                    "title": it.title,
                    "category": it.category,
                    "raising_party": it.raising,
                    "description": it.description,
                    "discussion": rng.choice(names.DISCUSSIONS),
                    "decision_method": it.method,
                    "votes_for": it.votes[0],
                    "votes_against": it.votes[1],
                    "votes_abstain": it.votes[2],
                    "outcome": it.outcome,
                    "resolution": it.resolution,
                    "resolved_on": held_day if resolved else None,
                    "carried_from_id": it.carried_from,
                    "published_at": published.get(it.id),
                    "position": position,
                },
            )
            if it.outcome in ("resolved", "partly_resolved"):
                for _ in range(rng.randint(1, 2) if resolved else 1):
                    self._follow_up(it, c, held_day)
            self._link_orders(it, c, held_day)

    def _follow_up(self, it: Item, c: CompoundRec, held: date) -> None:
        rng, today, wr = self.rng, self.w.today, self.w.writer
        party = self.owners.pick(rng)
        due = held + timedelta(days=rng.randint(7, 60))
        r = rng.random()
        if due < today:
            status = "done" if r < 0.88 else "in_progress" if r < 0.92 else "open"  # the rest are overdue
        else:
            status = "done" if r < 0.3 else "in_progress" if r < 0.7 else "open"
        completed = None
        if status == "done":
            first, last = held + timedelta(days=1), min(due + timedelta(days=15), today - timedelta(days=1))
            if first <= last:
                completed = rand_date(rng, first, last)
            else:
                status = "in_progress"
        wr.add(
            "follow_up",
            {
                "id": wr.next_id("follow_up"),
                "agenda_item_id": it.id,
                "owner_party": party,
                "action": rng.choice(names.FOLLOW_UP_ACTIONS[party]),
                "contact_name": rng.choice(self._cast(c)[party])[0],
                "due_on": due,
                "status": status,
                "completed_on": completed,
            },
        )

    def _link_orders(self, it: Item, c: CompoundRec, held: date) -> None:
        """Link an item to the compound's recent hotline complaints it answers (about half of them)."""
        category = ORDER_CATEGORY.get(it.category)
        if category is None or self.rng.random() >= 0.5:
            return
        since = held - timedelta(days=120)
        orders = [
            oid for day, cat, oid in self.w.orders_by_compound.get(c.id, ()) if cat == category and since <= day < held
        ]
        for oid in orders[-2:]:
            self.w.writer.add("agenda_item_work_order", {"agenda_item_id": it.id, "work_order_id": oid})


def build(w: World) -> None:
    Councils(w).run()
