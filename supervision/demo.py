"""The demo's spot checks: a published monthly plan of the demo city, drawn from the 2023
red and black list, with a pass, a check that found issues and its rectification order."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from portal.choices import Role
from portal.demo import DEMO_REASON, DemoContext, demo_step
from portal.models import User
from portal.services import record_save

from . import services
from .choices import CHECKLIST, CheckState, Outcome
from .models import Check, Plan

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


# A one-page PDF: enough for the evidence link to open.
DEMO_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)
ISSUES = "2号楼电梯维保记录缺失两个月，二次供水水箱清洗记录未公示。"
MEASURES = "已补签电梯维保合同并补做两次维保，水箱已清洗消毒，检测报告在公示栏公示。"


def _evidence(name: str) -> list[SimpleUploadedFile]:
    return [SimpleUploadedFile(name, DEMO_PDF, content_type="application/pdf")]


def _with_issues(check: Check, day: int) -> Check:
    return services.check_record(
        user=check.first_inspector,
        check=check,
        checklist={
            **{code: True for code, _label in CHECKLIST},
            "elevator_records": False,
            "water_supply": False,
        },
        notes=ISSUES,
        outcome=Outcome.ISSUES,
        now=_at(day, 10),
    )


@demo_step("supervision-rectification")
def rectification_step(ctx: DemoContext) -> None:
    """The rectifications of the July 2024 plan in every state: accepted, answered again after
    being sent back (awaiting review), turned into a credit deduction, and (beside the
    supervision step's, long past its date) one the demo firm is to answer now."""
    bureau = ctx.accounts[Role.BUREAU]
    plan = Plan.objects.get(name="2024年7月")
    firm_id = ctx.accounts[Role.FIRM].firm_id
    open_checks = Check.objects.filter(plan=plan, state=CheckState.DRAWN).order_by(
        "compound__code", "number"
    )
    others = list(open_checks.exclude(firm_id=firm_id)[:3])
    if len(others) < 3:
        return
    rectified, sent_back, deducted = others
    for check in others:
        _with_issues(check, 11)
    for check in (rectified, sent_back):
        services.check_order_rectification(user=bureau, check=check, today=dt.date(2024, 7, 12))
        services.check_rectification_answer(
            user=None,  # the demo has no account of that firm: written as the system
            check=check,
            measures=MEASURES,
            evidence=_evidence("整改报告.pdf"),
            now=_at(25, 16),
        )
    services.check_rectification_accept(
        user=rectified.second_inspector, check=rectified, now=_at(30, 9)
    )
    services.check_rectification_send_back(
        user=bureau,
        check=sent_back,
        reasons="未附水箱清洗后的水质检测报告，请补充。",
        now=_at(29, 11),
    )
    services.check_rectification_answer(
        user=None,
        check=sent_back,
        measures=MEASURES + "已补充水质检测报告。",
        evidence=_evidence("水质检测报告.pdf"),
        now=timezone.make_aware(dt.datetime(2024, 8, 5, 10)),
    )
    services.check_record_deduction(
        user=bureau, check=deducted, points=Decimal("2"), date=dt.date(2024, 7, 15)
    )
    own = open_checks.filter(firm_id=firm_id).first()
    if own is not None:
        _with_issues(own, 12)
        services.check_order_rectification(
            user=bureau, check=own, today=timezone.localdate() - dt.timedelta(days=3)
        )
    ctx.notes.append(
        "supervision: rectifications of the plan's checks accepted "
        f"(/supervision/checks/{rectified.pk}/), answered again after being sent back "
        f"(/supervision/checks/{sent_back.pk}/), turned into a credit deduction "
        f"(/supervision/checks/{deducted.pk}/)"
        + (f", and one the demo firm is to answer (/supervision/checks/{own.pk}/)." if own else ".")
    )
