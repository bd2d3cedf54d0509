"""One demo account per role, so a newcomer can see every view of the product."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from data_access.core.models import Compound, Role, User
from data_access.users import create_user

DEMO_PASSWORD = "demo-password-2026"


@dataclass(frozen=True)
class DemoAccount:
    username: str
    display_name: str
    role: Role
    city_code: str | None = None
    compound_name: str | None = None


DEMO_ACCOUNTS = (
    DemoAccount("admin", "系统管理员", Role.admin),
    DemoAccount("province", "省住建厅领导", Role.leader),
    DemoAccount("zhuzhou", "株洲市住建局领导", Role.leader, city_code="zhuzhou"),
    DemoAccount("xiangtan", "湘潭市住建局领导", Role.leader, city_code="xiangtan"),
    DemoAccount("organiser", "新桂都小区党支部", Role.organiser, compound_name="新桂都"),
    DemoAccount("press", "新闻记者", Role.press),
    DemoAccount("xiangtan-data", "湘潭市维修资金中心数据员", Role.data_steward, city_code="xiangtan"),
    DemoAccount("xiangtan-fund", "湘潭市维修资金管理中心", Role.fund_centre, city_code="xiangtan"),
    DemoAccount("zhuzhou-fund", "株洲市维修资金管理中心", Role.fund_centre, city_code="zhuzhou"),
)


def create_demo_accounts(session: Session) -> list[DemoAccount]:
    """Create the demo accounts that do not exist yet (the caller commits)."""
    made = []
    for account in DEMO_ACCOUNTS:
        if session.scalar(select(User.id).where(User.username == account.username)):
            continue
        compound_ids = None
        if account.compound_name:
            cid = session.scalar(select(Compound.id).where(Compound.name == account.compound_name).limit(1))
            if cid is None:
                continue
            compound_ids = [cid]
        create_user(
            session,
            account.username,
            DEMO_PASSWORD,
            account.role,
            account.display_name,
            city_code=account.city_code,
            compound_ids=compound_ids,
        )
        made.append(account)
    return made
