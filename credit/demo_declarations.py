"""Demo good-conduct declarations of the demo firm, one in every state: accepted by the street
(with its bonus credit event), refused by the bureau with reasons, pending, and pending past
its decision date (red on the street's and the bureau's to-do lists)."""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from portal.choices import Role
from portal.demo import DemoContext, demo_step

from .models import ConductKind
from .services import declarations as conduct

# A one-page PDF: enough for the evidence link to open.
DEMO_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)

DECLARATIONS = [
    # kind, days ago filed, days before filing the conduct happened, description, file name
    (
        ConductKind.RED_HEART,
        40,
        10,
        "我司服务的小区获评区级“红心物业”示范项目，党建引领业主议事，"
        "完成加装电梯协调和楼道微改造。",
        "红心物业示范项目文件.pdf",
    ),
    (
        ConductKind.AWARD,
        30,
        20,
        "我司项目经理获市物业行业协会“优秀项目经理”称号。",
        "表彰名单.pdf",
    ),
    (
        ConductKind.EMERGENCY,
        20,
        3,
        "暴雨期间连续36小时值守，转移地下车库车辆42台，协助社区疏散独居老人。",
        "防汛情况说明.pdf",
    ),
    (
        ConductKind.CONTEST,
        1,
        15,
        "我司两名电工在全市物业行业职业技能竞赛中获电工项目二等奖。",
        "获奖证书.pdf",
    ),
]


@demo_step("credit-declarations")
def declarations_step(ctx: DemoContext) -> None:
    firm_user = ctx.accounts.get(Role.FIRM)
    street = ctx.accounts.get(Role.STREET)
    bureau = ctx.accounts[Role.BUREAU]
    if firm_user is None or street is None:
        return
    now = timezone.now().replace(microsecond=0)
    filed = []
    for kind, days_ago, before, description, name in DECLARATIONS:
        at = now - dt.timedelta(days=days_ago)
        filed.append(
            conduct.declaration_file(
                user=firm_user,
                kind=kind,
                date=timezone.localdate(at) - dt.timedelta(days=before),
                description=description,
                evidence=[SimpleUploadedFile(name, DEMO_PDF, content_type="application/pdf")],
                now=at,
            )
        )
    accepted, refused, overdue, pending = filed
    conduct.declaration_accept(user=street, declaration=accepted, now=now - dt.timedelta(days=37))
    conduct.declaration_refuse(
        user=bureau,
        declaration=refused,
        reasons="所附名单为协会内部评选，非行政机关或行业主管部门的表彰，不属于可加分的良好行为。",
        now=now - dt.timedelta(days=27),
    )
    ctx.notes.append(
        f"credit: good-conduct declarations of {firm_user.firm.name}: accepted with a bonus "
        f"event (/credit/declarations/{accepted.pk}/), refused, pending past its date "
        f"(/credit/declarations/{overdue.pk}/) and pending (/credit/declarations/{pending.pk}/)."
    )
