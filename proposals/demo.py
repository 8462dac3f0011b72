"""Demo proposals across 2023 and 2024, one in every state, made through the services.

The centrepiece is proposal No. 084 of 十四届三次会议 on the high-quality development of
property firms, answered by 吉市住建提字〔2024〕22号 (索引号 1120200MB17140993/2024-05042,
written 2024-06-12, published 2024-07-09). Its reply text is written for the demo; its
figures are the demo city's (252 firms rated for 2023, 76 红心物业 projects, 48 streets,
248 communities). `load_proposals_demo()` does nothing when No. 084 is already there.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from portal.choices import Role
from portal.models import User
from portal.services import record_save

from . import services
from .choices import ProposalKind, ProposalState, ReplyCategory, Satisfaction, SequenceKind
from .models import Division, Proposal, RegisterSettings, Reply

D = dt.date
CPPCC, NPC = ProposalKind.CPPCC, ProposalKind.NPC

REGISTER = {
    "organisation_code": "1120200MB17140993",
    "issuing_organ": "吉林市住房和城乡建设局",
    "doc_prefix_cppcc": "吉市住建提字",
    "doc_prefix_npc": "吉市住建建字",
}
# Numbers the bureau had issued on paper before the portal, so the demo continues them.
COUNTERS = {
    (SequenceKind.INDEX, 2023): 4810,
    (SequenceKind.DOC_CPPCC, 2023): 14,
    (SequenceKind.DOC_NPC, 2023): 6,
    (SequenceKind.INDEX, 2024): 5041,
    (SequenceKind.DOC_CPPCC, 2024): 21,
    (SequenceKind.DOC_NPC, 2024): 9,
}
CONTACT = ("张蕾", "65126180")

P084_POINTS = [
    "关于在城乡基层治理中构建物业管理新格局、提升行业服务能力的建议",
    "关于建立物业企业信用管理机制、规范物业项目招投标的建议",
    "关于建立维修养护计划申报和维修资金应急使用机制、加强业主和业委会监督的建议",
    "关于及时开展调研、制定和修订物业管理规定的建议",
]

P084_OPENING = (
    "您在市政协十四届三次会议期间提交的《关于增进民生福祉、推动物业企业高质量发展的建议》"
    "(第084号提案)已转我局办理。我局高度重视,会同相关部门逐条研究,现将办理情况答复如下:"
)

P084_SECTIONS = [
    (
        "2021年至2023年,我市按照省、市城乡基层治理的统一部署,连续三年推进物业治理专项工作,"
        "在党建引领、属地监管、部门联动、行业规范和质量提升五个方面逐项落实。三年间全市建成"
        "红心物业示范项目76个,社区、业委会和物业企业共同参与的管理机制在各街道普遍运行;"
        "物业项目党组织覆盖率、专业物业服务覆盖率和业委会(物管会)覆盖率均有较大提高。"
        "物业监管已列入街道(乡镇)权责清单,社区预警、街道吹哨、部门报到的执法进小区机制逐步常态化。\n"
        "2024年被确定为全市物业服务质量提升年。今后三年,我局将围绕红心物业示范创建、物业管理法治建设、"
        "基层监管能力和执法进小区常态化,继续开展提升行动,推动全行业服务水平整体提高。",
        ReplyCategory.A,
        None,
        "",
    ),
    (
        "我局于2023年出台物业服务企业信用信息管理办法,把合同履约、业主满意度、落实党委政府决策、"
        "信访处理和各级监管部门意见统一纳入信用考核。2024年,我局与市物业行业协会在征求街道、社区、"
        "业委会和属地主管部门意见的基础上,结合年度服务质量评价结果,完成了全市252家物业企业"
        "2023年度信用评定,并据此形成信用红黑榜,通过政府网站和行业公众号向社会公布。\n"
        "评为A级的企业予以通报表扬和政策支持;评为D级的企业限期整改、提高抽查频次,"
        "评定结果同时作为物业项目招投标的参考,为业主择优选聘物业企业提供依据。",
        ReplyCategory.A,
        None,
        "",
    ),
    (
        "物业维修养护计划申报和专项维修资金应急使用两项制度,我局已写入《吉林市物业管理条例(草案)》,"
        "条例通过后即可施行。在此之前,我局依据省物业管理条例和省住宅专项维修资金管理办法,"
        "每年为全市48个街道(乡镇)、248个社区的物业管理人员举办法规和业务培训,"
        "并于2023年编印物业管理手册和业主大会、业委会工作指导手册,发至各街道和社区,"
        "帮助基层指导业主和业委会依法监督。",
        ReplyCategory.B,
        D(2025, 12, 31),
        "",
    ),
    (
        "《吉林市物业管理条例》已列入市人大2024年立法工作计划,重点完善物业管理体制机制,"
        "回应群众反映集中的问题。目前我局正与市司法局共同修改草案,下一步将按立法计划要求加快推进。",
        ReplyCategory.B,
        D(2025, 6, 30),
        "",
    ),
]

P084_CLOSING = (
    "感谢您对我市物业行业发展的关心和支持,欢迎继续提出意见和建议,"
    "共同提升城市管理水平和群众的居住幸福感。"
)


def _point_titles(*titles: str) -> list[dict]:
    return [{"title": t} for t in titles]


# (kind, session, number, title, received, proposer, points, target state)
OTHERS = [
    (
        CPPCC,
        "十四届二次会议",
        31,
        "关于加强老旧小区物业管理的建议",
        D(2023, 3, 6),
        "陈立",
        ["关于老旧小区引入专业物业服务的建议", "关于落实老旧小区物业费补贴的建议"],
        ProposalState.CLOSED,
    ),
    (
        NPC,
        "十七届二次会议",
        57,
        "关于规范住宅专项维修资金使用的建议",
        D(2023, 3, 9),
        "刘静",
        ["关于简化维修资金使用流程的建议", "关于公开维修资金使用情况的建议"],
        ProposalState.FEEDBACK,
    ),
    (
        CPPCC,
        "十四届二次会议",
        102,
        "关于加快业主委员会组建的建议",
        D(2023, 3, 10),
        "赵岩",
        ["关于街道指导业委会组建的建议", "关于业委会成员培训的建议"],
        ProposalState.REHANDLING,
    ),
    (
        CPPCC,
        "十四届三次会议",
        91,
        "关于提升住宅小区消防安全管理水平的建议",
        D(2024, 3, 15),
        "孙悦",
        ["关于消防通道常态化整治的建议", "关于电动自行车集中充电设施的建议"],
        ProposalState.RECEIVED,
    ),
    (
        CPPCC,
        "十四届三次会议",
        112,
        "关于推进智慧物业平台建设的建议",
        D(2024, 3, 15),
        "周宁",
        ["关于建设全市智慧物业平台的建议", "关于小区门禁与社区数据共享的建议"],
        ProposalState.ASSIGNED,
    ),
    (
        CPPCC,
        "十四届三次会议",
        120,
        "关于完善物业服务收费标准的建议",
        D(2024, 3, 15),
        "吴凡",
        ["关于建立物业服务收费动态调整机制的建议", "关于公示物业服务收支情况的建议"],
        ProposalState.DRAFTING,
    ),
    (
        NPC,
        "十七届三次会议",
        23,
        "关于加强电梯维保监管的建议",
        D(2024, 3, 18),
        "郑华",
        ["关于电梯维保质量抽查的建议", "关于老旧电梯更新改造资金的建议"],
        ProposalState.REVIEW,
    ),
    # Signed off and not yet published: the publication waiting on the bureau's to-do list.
    (
        CPPCC,
        "十四届三次会议",
        127,
        "关于加强物业服务合同备案管理的建议",
        D(2024, 3, 20),
        "钱敏",
        ["关于推行物业服务合同示范文本的建议", "关于物业服务合同备案信息公开的建议"],
        ProposalState.REPLIED,
    ),
]


def _bureau_user() -> User:
    user = User.objects.filter(role=Role.BUREAU, is_active=True).order_by("pk").first()
    if user is None:
        user = User(username="bureau_demo", full_name="物业科科长", role=Role.BUREAU)
        user.set_unusable_password()
        record_save(user, user=None)
    return user


def _divisions(head: User) -> tuple[Division, Division, Division]:
    property_div, _ = Division.objects.get_or_create(
        name="物业管理科",
        defaults={"head": head, "contact_name": CONTACT[0], "contact_phone": CONTACT[1]},
    )
    legal, _ = Division.objects.get_or_create(name="政策法规科")
    funds, _ = Division.objects.get_or_create(name="维修资金管理中心")
    return property_div, legal, funds


def _draft(
    user: User,
    reply: Reply,
    bodies: list[tuple[str, str, dt.date | None, str]],
    opening: str,
    closing: str,
    overall: str,
) -> None:
    sections = {}
    for section, (body, category, due_on, reasons) in zip(
        reply.sections.order_by("point__position"), bodies, strict=False
    ):
        sections[section.point_id] = {
            "body": body,
            "category": category,
            "due_on": due_on,
            "reasons": reasons,
        }
    services.reply_save(
        user=user,
        reply=reply,
        sections=sections,
        opening=opening,
        closing=closing,
        overall_category=overall,
    )


def _generic_bodies(points: list[str]) -> list[tuple[str, str, dt.date | None, str]]:
    return [
        (
            f"关于“{t.removeprefix('关于').removesuffix('的建议')}”,我局已会同相关部门研究落实,"
            "并将在年度工作中持续推进。",
            ReplyCategory.A,
            None,
            "",
        )
        for t in points
    ]


def _advance(
    user: User,
    proposal: Proposal,
    target: str,
    lead: Division,
    co: list[Division],
    points: list[str],
    written_on: dt.date,
) -> None:
    """Walk a proposal through the services up to the target state."""
    S = ProposalState
    order = [S.RECEIVED, S.ASSIGNED, S.DRAFTING, S.REVIEW, S.REPLIED, S.FEEDBACK, S.CLOSED]
    stop = order.index(S.REPLIED) if target == S.REHANDLING else order.index(target)
    step = 1
    if stop >= step:
        services.proposal_assign(
            user=user,
            proposal=proposal,
            lead_division=lead,
            co_divisions=co,
            on=proposal.received_on + dt.timedelta(days=3),
        )
    step += 1
    if stop >= step:
        reply = services.reply_start(user=user, proposal=proposal)
        _draft(
            user,
            reply,
            _generic_bodies(points),
            "您提出的建议收悉,现答复如下:",
            "感谢您的关心和支持。",
            ReplyCategory.A,
        )
    step += 1
    if stop >= step:
        services.reply_submit(user=user, reply=reply)
    step += 1
    if stop >= step:
        reply = services.reply_sign_off(
            user=user,
            reply=reply,
            contact_name=CONTACT[0],
            contact_phone=CONTACT[1],
            written_on=written_on,
        )
        if target != S.REPLIED:
            services.reply_publish(
                user=user, reply=reply, published_on=written_on + dt.timedelta(days=20)
            )
    if target == S.REHANDLING:
        services.feedback_record(
            user=user,
            proposal=proposal,
            satisfaction=Satisfaction.UNSATISFIED,
            comments="希望明确业委会组建的时间表。",
            received_on=written_on + dt.timedelta(days=30),
        )
        return
    step += 1
    if stop >= step:
        satisfaction = Satisfaction.SATISFIED if target == S.CLOSED else Satisfaction.BASICALLY
        services.feedback_record(
            user=user,
            proposal=proposal,
            satisfaction=satisfaction,
            received_on=written_on + dt.timedelta(days=30),
        )
    step += 1
    if stop >= step:
        services.proposal_close(user=user, proposal=proposal)


@transaction.atomic
def load_proposals_demo(*, user: User | None = None) -> Proposal | None:
    """Load the demo proposals; returns No. 084 (None when it was already there)."""
    if Proposal.objects.filter(kind=CPPCC, session="十四届三次会议", number=84).exists():
        return None
    head = user or _bureau_user()
    register = RegisterSettings.get_solo()
    for name, value in REGISTER.items():
        setattr(register, name, value)
    record_save(register, user=head, reason="demo data")
    for (kind, year), last in COUNTERS.items():
        services.register_counter_start(user=head, kind=kind, year=year, last=last)
    lead, legal, funds = _divisions(head)
    if lead.head_id != head.pk:
        lead.head = head
        record_save(lead, user=head, reason="demo data")

    # No. 084 first in 2024, so it takes 05042 and 22.
    p084 = services.proposal_create(
        user=head,
        kind=CPPCC,
        session="十四届三次会议",
        number=84,
        title="关于增进民生福祉、推动物业企业高质量发展的建议",
        received_on=D(2024, 3, 12),
        full_text="(提案全文略。)提案围绕物业管理新格局、信用管理、维修养护与维修资金应急使用、"
        "法规制定修订四个方面提出建议。",
        proposers=[{"name": "杨娜"}],
        points=_point_titles(*P084_POINTS),
    )
    services.proposal_assign(
        user=head, proposal=p084, lead_division=lead, co_divisions=[legal, funds], on=D(2024, 3, 14)
    )
    reply = services.reply_start(user=head, proposal=p084)
    _draft(head, reply, P084_SECTIONS, P084_OPENING, P084_CLOSING, ReplyCategory.B)
    for co, text in zip(
        p084.co_handlers.all(),
        ["已提供条例草案修改进度。", "已提供应急使用制度设计。"],
        strict=False,
    ):
        services.co_input_record(user=head, co_handler=co, text=text, on=D(2024, 4, 10))
    services.reply_submit(user=head, reply=reply)
    reply = services.reply_sign_off(
        user=head,
        reply=reply,
        contact_name=CONTACT[0],
        contact_phone=CONTACT[1],
        written_on=D(2024, 6, 12),
    )
    services.reply_publish(user=head, reply=reply, published_on=D(2024, 7, 9))

    for kind, session, number, title, received, proposer, points, target in OTHERS:
        proposal = services.proposal_create(
            user=head,
            kind=kind,
            session=session,
            number=number,
            title=title,
            received_on=received,
            full_text=f"(提案全文略。){title}。",
            proposers=[{"name": proposer}],
            points=_point_titles(*points),
        )
        _advance(
            head,
            proposal,
            target,
            lead,
            [legal],
            points,
            written_on=received + dt.timedelta(days=80),
        )
    return p084


try:  # the portal's `load_demo` finds this step through autodiscovery
    from portal.demo import DemoContext, demo_step
except ImportError:  # pragma: no cover
    pass
else:

    @demo_step("proposals")
    def proposals_demo(ctx: DemoContext) -> None:
        p084 = load_proposals_demo(user=ctx.accounts.get(Role.BUREAU))
        if p084 is not None:
            ctx.notes.append("Proposals: reply to No. 084 at /proposals/replies/2024-05042/")
