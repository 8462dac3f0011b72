"""The demo's cases: one account per department (demo_dept_chengguan …), and warnings of the
demo community in every state, some overdue and escalated, one a credit event of its firm;
a few more in other streets for the monthly figures. Times are counted back from the load."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from portal.choices import Role
from portal.demo import DEMO_PASSWORD, DEMO_REASON, DemoContext, demo_step
from portal.models import Department, User
from portal.services import record_save

from . import services
from .models import Category, Dispatch

# A 1×1 PNG: the demo's photo of a blocked fire lane.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000d49444154789c6360606060000000050001a5f645400000000049454e44ae426082"
)
DAY = dt.timedelta(days=1)
HOUR = dt.timedelta(hours=1)
# The lists the migrations seed (portal 0005, cases 0002), again: a test database flushed
# between tests has lost the migrations' rows, and the demo needs them.
DEPARTMENTS = [
    ("chengguan", "城管", 10),
    ("xiaofang", "消防", 20),
    ("shichang", "市场监管", 30),
    ("zhujian", "住建", 40),
    ("gongan", "公安", 50),
    ("gongshui", "供水", 60),
    ("gongdian", "供电", 70),
]
CATEGORIES = [
    ("fire_lane", "消防通道", 10),
    ("elevator", "电梯", 20),
    ("water_supply", "二次供水", 30),
    ("sanitation", "环境卫生", 40),
    ("illegal_building", "违建", 50),
    ("safety_hazard", "安全隐患", 60),
]


def lists_ensure() -> None:
    """The departments and warning categories, creating any of the standard ones missing."""
    for model, rows in ((Department, DEPARTMENTS), (Category, CATEGORIES)):
        for code, name, order in rows:
            model.objects.get_or_create(code=code, defaults={"name": name, "order": order})


def department_accounts() -> dict[str, User]:
    """One account per department, demo_dept_<code>, with the demo password."""
    password = make_password(DEMO_PASSWORD)
    accounts = {}
    for department in Department.objects.order_by("order"):
        user = User(
            username=f"demo_dept_{department.code}",
            full_name=f"{department.name} 联络员",
            role=Role.DEPARTMENT,
            department=department,
            password=password,
        )
        validate_password(DEMO_PASSWORD, user)
        accounts[department.code] = record_save(user, user=None, reason=DEMO_REASON)
    return accounts


def _helper(username: str, full_name: str, role: str, **scope) -> User:
    """An officer of another street who does not sign in (the figures need their cases)."""
    user = User(username=username, full_name=full_name, role=role, **scope)
    user.set_unusable_password()
    return record_save(user, user=None, reason=DEMO_REASON)


class Story:
    """Raises and moves cases of one community and street, at times counted from now."""

    def __init__(self, *, community_officer, street_officer, compounds, depts, now):
        self.community_officer = community_officer
        self.street_officer = street_officer
        self.compounds = compounds
        self.depts = depts
        self.now = now
        self.categories = {c.code: c for c in Category.objects.all()}
        self.count = 0

    def raise_(self, ago, category, urgency, text, photos=()):
        compound = self.compounds[self.count % len(self.compounds)]
        self.count += 1
        return services.case_raise(
            user=self.community_officer,
            compound=compound,
            category=self.categories[category],
            description=text,
            urgency=urgency,
            photos=photos,
            now=self.now - ago,
        )

    def whistle(self, case, ago, *codes, note=""):
        return services.case_whistle(
            user=self.street_officer,
            case=case,
            departments=[self.depts[code].department for code in codes],
            note=note,
            now=self.now - ago,
        )

    def report(self, case, ago, code, action, result):
        user = self.depts[code]
        services.dispatch_report(
            user=user,
            dispatch=Dispatch.objects.get(case=case, department=user.department, round=case.round),
            action=action,
            result=result,
            now=self.now - ago,
        )

    def close(self, case, ago, note=""):
        return services.case_close(
            user=self.street_officer, case=case, note=note, now=self.now - ago
        )

    def handle(self, case, ago, note):
        return services.case_handle(
            user=self.street_officer, case=case, note=note, now=self.now - ago
        )

    def confirm(self, case, ago, resolved=True, note=""):
        return services.case_confirm(
            user=self.community_officer, case=case, resolved=resolved, note=note, now=self.now - ago
        )


def demo_community_cases(story: Story, bureau: User) -> None:
    """The demo community's cases, one or more in each state."""
    photo = SimpleUploadedFile("消防通道.png", PNG, content_type="image/png")
    # Awaiting review: a fresh one, and one past its review deadline (escalated).
    story.raise_(2 * HOUR, "fire_lane", "critical", "2号楼消防通道被电动车堵塞。", [photo])
    story.raise_(5 * DAY, "sanitation", "normal", "垃圾分类亭周边垃圾堆积，三天未清运。")
    # Departments reporting: one reported, one still within its time.
    case = story.raise_(
        2 * DAY, "fire_lane", "urgent", "地下车库出口长期停放车辆，消防车无法通行。"
    )
    story.whistle(
        case, 2 * DAY - 2 * HOUR, "chengguan", "xiaofang", note="城管清理车辆，消防检查通道。"
    )
    story.report(case, DAY, "chengguan", "现场劝离并张贴告知单", "车辆已挪走，通道畅通。")
    # Departments silent past their deadline (escalated to the bureau).
    case = story.raise_(
        10 * DAY, "water_supply", "normal", "二次供水水箱清洗记录缺失，住户反映水有异味。"
    )
    story.whistle(case, 10 * DAY - 3 * HOUR, "gongshui", "shichang")
    # Every department reported: to close.
    case = story.raise_(4 * DAY, "illegal_building", "urgent", "顶楼住户在屋面搭建彩钢房。")
    story.whistle(case, 4 * DAY - HOUR, "zhujian", "chengguan")
    story.report(case, 2 * DAY, "zhujian", "下达整改通知书", "住户已承诺限期拆除。")
    story.report(case, DAY, "chengguan", "联合执法拆除", "违建已拆除。")
    # Closed, awaiting the community: handled by the street, and after a whistle.
    case = story.raise_(3 * DAY, "sanitation", "normal", "小区公共绿地被占用种菜。")
    story.handle(case, 2 * DAY, "街道协调物业与业主，已恢复绿地。")
    case = story.raise_(5 * DAY, "elevator", "urgent", "5号楼电梯夜间停运，无人值守。")
    story.whistle(case, 5 * DAY - HOUR, "gongdian")
    story.report(case, 3 * DAY, "gongdian", "检修配电线路", "供电恢复，电梯正常运行。")
    story.close(case, 2 * DAY, "供电部门已处置完毕。")
    # Confirmed; and confirmed, then a deduction of the managing firm.
    case = story.raise_(25 * DAY, "safety_hazard", "urgent", "地下室堆放易燃物品。")
    story.whistle(case, 25 * DAY - HOUR, "xiaofang")
    story.report(case, 24 * DAY, "xiaofang", "现场检查并责令清理", "易燃物已清理。")
    story.close(case, 23 * DAY)
    story.confirm(case, 22 * DAY, note="现场查看已清理干净。")
    case = story.raise_(20 * DAY, "elevator", "critical", "3号楼电梯困人，物业40分钟未到场。")
    story.whistle(case, 20 * DAY - HOUR, "xiaofang", "gongan")
    story.report(case, 20 * DAY - 5 * HOUR, "xiaofang", "到场救援", "被困人员已安全救出。")
    story.report(case, 20 * DAY - 4 * HOUR, "gongan", "维持秩序并调查", "已责成物业说明情况。")
    story.close(case, 19 * DAY)
    case = story.confirm(case, 18 * DAY, note="电梯已检修，物业已整改值守制度。")
    services.case_credit_event(user=bureau, case=case, points=Decimal("2.00"))
    # Not resolved on the spot: back to the street with the reasons.
    case = story.raise_(8 * DAY, "fire_lane", "urgent", "东门消防通道被快递柜占用。")
    story.handle(case, 7 * DAY, "街道约谈物业，要求移走快递柜。")
    story.confirm(case, 6 * HOUR, resolved=False, note="快递柜仍未移走。")


def other_street_cases(ctx: DemoContext, depts: dict[str, User], own_street_id: int, now) -> int:
    """A few cases of three other streets, last month and this, for the monthly figures."""
    count = 0
    streets = [s for s in ctx.streets if s.pk != own_street_id]
    for n, street in enumerate(streets[:3], start=1):
        communities = {cm.pk: cm for cm in ctx.communities if cm.street_id == street.pk}
        compounds = [c for c in ctx.compounds if c.community_id in communities and c.firm_id]
        if not compounds:
            continue
        community = communities[compounds[0].community_id]
        compounds = [c for c in compounds if c.community_id == community.pk][:3]
        story = Story(
            community_officer=_helper(
                f"cases_community_{n}",
                f"{community.name} 网格员",
                Role.COMMUNITY,
                community=community,
            ),
            street_officer=_helper(
                f"cases_street_{n}", f"{street.name} 物业专干", Role.STREET, street=street
            ),
            compounds=compounds,
            depts=depts,
            now=now,
        )
        for k in range(n + 1):
            start = (30 + 3 * k + n) * DAY
            case = story.raise_(start, "sanitation", "normal", "楼道堆放杂物。")
            story.whistle(case, start - (n + k) * HOUR, "chengguan")
            story.report(case, start - (2 + n + k) * DAY, "chengguan", "督促清理", "杂物已清理。")
            story.close(case, start - (3 + n + k) * DAY)
            story.confirm(case, start - (4 + n + k) * DAY)
            count += 1
        case = story.raise_((n + 1) * DAY, "elevator", "urgent", "电梯年检标志过期。")
        story.handle(case, n * DAY, "街道督促物业完成年检。")
        count += 1
    return count


@demo_step("cases")
def cases_step(ctx: DemoContext) -> None:
    lists_ensure()
    depts = department_accounts()
    ctx.accounts[Role.DEPARTMENT] = depts["chengguan"]
    community_officer = ctx.accounts[Role.COMMUNITY]
    community = community_officer.community
    compounds = [c for c in ctx.compounds if c.community_id == community.pk and c.firm_id]
    now = timezone.now()
    story = Story(
        community_officer=community_officer,
        street_officer=ctx.accounts[Role.STREET],
        compounds=compounds,
        depts=depts,
        now=now,
    )
    demo_community_cases(story, ctx.accounts[Role.BUREAU])
    others = other_street_cases(ctx, depts, community.street_id, now)
    ctx.notes.append(
        f"cases: {story.count} warnings of {community.name} in every state and {others} of "
        "other streets (/cases/); department accounts "
        + ", ".join(user.username for user in depts.values())
    )
