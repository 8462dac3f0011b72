"""The demo's spot checks: a published monthly plan of the demo city, drawn from the 2023
red and black list, with a pass, a check that found issues and its rectification order."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from portal.choices import Role
from portal.demo import DEMO_REASON, DemoContext, demo_step
from portal.models import User
from portal.services import record_save

from . import services
from .choices import CHECKLIST, Outcome
from .models import Check

# Inspectors beside the demo's street and community officers: bureau staff who do not sign in
# (so that no compound lacks two inspectors from outside its street).
EXTRA_INSPECTORS = [
    ("spotcheck_inspector_1", "市住建局物业科 张科员"),
    ("spotcheck_inspector_2", "市住建局物业科 刘科员"),
    ("spotcheck_inspector_3", "市住建局物业科 赵科员"),
]


def _at(day: int, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime(2024, 7, day, hour))


@demo_step("supervision")
def supervision_step(ctx: DemoContext) -> None:
    bureau = ctx.accounts[Role.BUREAU]
    extra = []
    for username, full_name in EXTRA_INSPECTORS:
        user = User(username=username, full_name=full_name, role=Role.BUREAU)
        user.set_unusable_password()
        extra.append(record_save(user, user=None, reason=DEMO_REASON))
    pool = [bureau, ctx.accounts[Role.STREET], ctx.accounts[Role.COMMUNITY], *extra]
    plan = services.plan_create(
        user=bureau,
        name="2024年7月",
        start=dt.date(2024, 7, 1),
        end=dt.date(2024, 7, 31),
        checks_per_year={"A": 1, "B": 2, "C": 4, "D": 12},
        inspectors=pool,
    )
    plan = services.plan_publish(user=bureau, plan=plan, now=_at(1, 9))
    all_ok = {code: True for code, _label in CHECKLIST}
    officer = ctx.accounts[Role.STREET]
    theirs = Check.objects.filter(plan=plan).filter(first_inspector=officer) | Check.objects.filter(
        plan=plan, second_inspector=officer
    )
    picked = list(theirs.order_by("compound__code", "number")[:2])
    if len(picked) < 2:  # the street officer was drawn less than twice: any two checks
        picked = list(Check.objects.filter(plan=plan).order_by("compound__code", "number")[:2])
    passed, failed = picked
    services.check_record(
        user=passed.first_inspector,
        check=passed,
        checklist=all_ok,
        notes="各项检查合格。",
        outcome=Outcome.PASS,
        now=_at(8, 10),
    )
    services.check_record(
        user=failed.first_inspector,
        check=failed,
        checklist={**all_ok, "fire_lanes": False, "safety_hazards": False},
        notes="3号楼消防通道堆放杂物，地下车库消防栓箱损坏。",
        outcome=Outcome.ISSUES,
        now=_at(9, 15),
    )
    services.check_order_rectification(user=bureau, check=failed, today=dt.date(2024, 7, 10))
    ctx.notes.append(
        f"supervision: spot-check plan {plan.name} drawn and published with "
        f"{plan.checks.count()} checks (/supervision/plans/); one passed, one found issues "
        "and its firm was ordered to rectify."
    )
