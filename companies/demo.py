"""The demo city: Jilin (吉林市) in the figures of the bureau's reply to proposal 084.

252 property firms, 48 streets/townships, 248 communities, about 1,500 compounds and
76 红心物业 demonstration projects, with one account per role. Everything is drawn from
a fixed seed, so every load gives the same data.

The data is made in two stages: `build_city(seed)` plans the registry as plain values
(no database; tests take its digest), and the steps below write it, first of all the
apps' demo steps (portal/demo.py runs them).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import random
from collections import Counter
from dataclasses import asdict, dataclass, field
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from portal import mfa
from portal.choices import Role
from portal.demo import (
    DEMO_PASSWORD,
    DEMO_REASON,
    DEMO_SEED,
    DEMO_TOTP_KEY,
    DemoContext,
    demo_step,
    stream,
)
from portal.models import Community, District, Street, User

from .models import Compound, Firm, Management
from .services import coverage_snapshot_take
from .validators import credit_code_check_char

FIRM_COUNT = 252
COMPOUND_COUNT = 1500
RED_HEART_BY_YEAR = {2021: 20, 2022: 25, 2023: 31}  # 76 in all
# The day the demo registry describes: management periods end before it.
DEMO_DAY = dt.date(2024, 6, 12)

# District, its administrative division code (the 3rd-8th characters of a credit code), the
# share of its compounds with a professional firm, its Party organisation rate, and its
# streets/townships (镇 and 乡 are townships: fewer communities, more self-managed compounds).
DISTRICTS: list[tuple[str, str, float, float, list[str]]] = [
    (
        "昌邑区",
        "220202",
        0.92,
        0.74,
        [
            "延安街道",
            "东局子街道",
            "兴华街道",
            "文庙街道",
            "站前街道",
            "新地号街道",
            "通江街道",
            "哈达湾街道",
            "莲花街道",
            "延江街道",
            "左家镇",
            "孤店子镇",
        ],
    ),
    (
        "龙潭区",
        "220203",
        0.89,
        0.66,
        [
            "新吉林街道",
            "遵义街道",
            "泡子沿街道",
            "龙华街道",
            "山前街道",
            "湘潭街道",
            "东城街道",
            "铁东街道",
            "榆树街道",
            "承德街道",
            "乌拉街满族镇",
        ],
    ),
    (
        "船营区",
        "220204",
        0.93,
        0.77,
        [
            "北京路街道",
            "南京街道",
            "大东街道",
            "德胜街道",
            "致和街道",
            "向阳街道",
            "北山街道",
            "黄旗屯街道",
            "长春路街道",
            "搜登站镇",
            "大绥河镇",
        ],
    ),
    (
        "丰满区",
        "220211",
        0.88,
        0.63,
        ["江南街道", "沿丰街道", "红旗街道", "泰山街道", "石井街道", "丰满街道", "旺起镇"],
    ),
    ("高新区", "220271", 0.97, 0.81, ["新北街道", "新春街道", "新华街道", "创业街道"]),
    ("经开区", "220272", 0.86, 0.60, ["九站街道", "双吉街道", "化工街道"]),
]
STREET_COUNT = 48
COMMUNITY_COUNT = 248

COMMUNITY_STEMS = (  # noqa: SIM905 — word lists read best as text
    "东风 新华 幸福 和平 胜利 光明 民主 团结 建设 繁荣 长青 松江 江滨 江城 北华 临江 文化 丰收 "
    "春光 朝阳 红旗 铁路 明珠 兴隆 兴业 安居 安康 福安 永安 吉祥 吉兴 松花 南山 北山 东山 西山 "
    "桃源 育民 友谊 青年 通潭 华山 新风 阳光 秀水 清源 丹江 银河 锦江 景园 学府 世纪 滨江 宏达 "
    "宝山 新兴 振兴 启明 春华 秋实 玉泉 康乐 和谐 祥和 顺达 长安 万福 吉安 吉源 金山 东升 日升 "
    "江湾 江北 北极 白山 黄山 翠湖 龙山 凤凰 牡丹 迎宾 站东 站西 河南 河北 新村 新城 惠民 利民"
).split()
FIRM_STEM_FIRST = "金华鑫宏瑞嘉盛鼎恒泰安兴宇福祥永东北江松龙凯佳德诚信合众广天"
FIRM_STEM_SECOND = "源达泰隆丰城安宇鑫业盛润和邦诚通佳顺运洋"
FIRM_SUFFIXES = (
    ["物业服务有限公司"] * 6
    + ["物业管理有限公司"] * 3
    + ["物业服务股份有限公司", "物业管理服务有限公司", "物业服务集团有限公司"]
)
SURNAMES = (
    "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾于董袁潘蒋蔡余杜叶程魏苏吕"
    "丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏付方白邹孟熊秦邱尹薛闫段雷侯史陶贺顾毛郝龚邵万钱严武孔"
)
GIVEN_CHARS = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建国志斌海波宇浩凯鹏飞雪梅晶琳"
)
ROADS = (  # noqa: SIM905 — word lists read best as text
    "解放中路 重庆路 天津街 北京路 吉林大街 松江东路 遵义东路 徐州路 长春路 深圳街 珠江路 湘潭街 "
    "解放东路 中兴街 越山路 致和路 北安路 东昌街 光华路 青岛街"
).split()
COMPOUND_STEMS = (  # noqa: SIM905 — word lists read best as text
    "锦绣 碧水 阳光 金色 江畔 翠湖 御景 书香 紫荆 青松 银杏 丽都 海韵 华府 雅苑 东方 世纪 鸿运 "
    "盛世 天地 松江 江湾 滨江 景泰 怡和 丰泽 安和 吉祥 幸福 和谐 康城 富源 新城 名门 水岸 星河 "
    "枫林 桂园 兰亭 君悦 铂悦 香榭 学府 春天 凤凰 紫金 长白 北山 南湖 东湖 西城 上城 国际 时代"
).split()
COMPOUND_SUFFIXES = ["小区", "花园", "家园", "佳苑", "雅居", "新城", "名苑", "华庭", "公寓", "嘉园"]
# Older compounds without a professional firm are often works' or offices' housing.
OLD_COMPOUND_NAMES = (  # noqa: SIM905 — word lists read best as text
    "化肥厂宿舍 铁路家属楼 电力宿舍 纺织厂小区 造纸厂宿舍 机械厂家属楼 粮库宿舍 供销社家属楼 "
    "自来水公司宿舍 邮电家属楼 热电厂宿舍 糖厂小区 碳素厂宿舍 铁合金厂家属楼 建工宿舍 商业局家属楼"
).split()


# --- the plan: plain values, no database ---------------------------------------------------


@dataclass
class CityPlan:
    """The registry to load, as plain values that refer to each other by list index."""

    districts: list[dict] = field(default_factory=list)
    streets: list[dict] = field(default_factory=list)
    communities: list[dict] = field(default_factory=list)
    firms: list[dict] = field(default_factory=list)
    compounds: list[dict] = field(default_factory=list)
    managements: list[dict] = field(default_factory=list)

    def digest(self) -> str:
        """A fingerprint of the whole plan: equal plans, equal digests."""
        payload = json.dumps(asdict(self), sort_keys=True, default=str, ensure_ascii=False)
        return hashlib.sha256(payload.encode()).hexdigest()


def _is_township(street_name: str) -> bool:
    return street_name.endswith(("镇", "乡"))


def _spread(rng: random.Random, total: int, minimums: list[int], weights: list[float]) -> list[int]:
    """`total` items over slots: each slot its minimum, the rest drawn by weight."""
    counts = list(minimums)
    extra = Counter(rng.choices(range(len(minimums)), weights=weights, k=total - sum(minimums)))
    for slot, n in extra.items():
        counts[slot] += n
    return counts


def organization_code(rng: random.Random) -> str:
    """A 9-character organisation code (GB 11714) with its check character."""
    if rng.random() < 0.6:  # firms registered since 2015 carry an "MA" code
        body = "MA" + "".join(rng.choice("0123456789ABCDEFGHJKLMNPQRTUWXY") for _ in range(6))
    else:
        body = "".join(rng.choice("0123456789") for _ in range(8))
    values = [int(c) if c.isdigit() else ord(c) - 55 for c in body]
    check = 11 - sum(v * w for v, w in zip(values, (3, 7, 9, 10, 5, 8, 4, 2), strict=True)) % 11
    return body + {10: "X", 11: "0"}.get(check, str(check))


def credit_code(rng: random.Random, area_code: str) -> str:
    """A valid unified social credit code of a company (91) registered in `area_code`."""
    first17 = "91" + area_code + organization_code(rng)
    return first17 + credit_code_check_char(first17)


def _person(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choices(GIVEN_CHARS, k=rng.choice((1, 2, 2))))


def _phone(rng: random.Random) -> str:
    if rng.random() < 0.6:
        return f"0432-6{rng.randrange(10**6, 10**7):07d}"
    return f"1{rng.choice('3589')}{rng.randrange(10**8, 10**9):09d}"


def _date_between(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randrange((end - start).days + 1))


def _plan_areas(plan: CityPlan, rng: random.Random) -> None:
    for index, (name, code, _service, _party, streets) in enumerate(DISTRICTS):
        plan.districts.append({"name": name, "code": code})
        for street in streets:
            plan.streets.append(
                {"district": index, "name": street, "township": _is_township(street)}
            )
    township = [s["township"] for s in plan.streets]
    per_street = _spread(
        rng,
        COMMUNITY_COUNT,
        minimums=[2 if t else 4 for t in township],
        weights=[0.5 if t else 3.0 for t in township],
    )
    for index, count in enumerate(per_street):
        for stem in rng.sample(COMMUNITY_STEMS, count):
            plan.communities.append({"street": index, "name": f"{stem}社区"})


def _plan_firms(plan: CityPlan, rng: random.Random) -> None:
    stems = [a + b for a in FIRM_STEM_FIRST for b in FIRM_STEM_SECOND if a != b]
    codes: set[str] = set()
    weights = [len(d[4]) for d in DISTRICTS]  # firms settle where the streets are
    for stem in rng.sample(stems, FIRM_COUNT):
        home = rng.choices(range(len(DISTRICTS)), weights=weights)[0]
        code = credit_code(rng, DISTRICTS[home][1])
        while code in codes:
            code = credit_code(rng, DISTRICTS[home][1])
        codes.add(code)
        district = DISTRICTS[home][0]
        plan.firms.append(
            {
                "credit_code": code,
                "name": f"吉林市{stem}{rng.choice(FIRM_SUFFIXES)}",
                "legal_representative": _person(rng),
                "phone": _phone(rng),
                "address": f"吉林市{district}{rng.choice(ROADS)}{rng.randrange(1, 999)}号",
                "home": home,
                # A few large firms serve many compounds, most serve a handful.
                "size": min(rng.paretovariate(1.3), 40.0),
            }
        )


def _plan_compounds(plan: CityPlan, rng: random.Random) -> None:
    street_of = [c["street"] for c in plan.communities]
    district_of = [plan.streets[s]["district"] for s in street_of]
    township_of = [plan.streets[s]["township"] for s in street_of]
    per_community = _spread(
        rng,
        COMPOUND_COUNT,
        minimums=[2] * len(plan.communities),
        weights=[0.6 if t else rng.uniform(1.0, 3.0) for t in township_of],
    )
    compounds = plan.compounds
    for community, count in enumerate(per_community):
        district = district_of[community]
        service_rate = DISTRICTS[district][2] - (0.3 if township_of[community] else 0.0)
        for _ in range(count):
            managed = rng.random() < service_rate
            households = (
                int(rng.lognormvariate(6.0, 0.7)) + 40 if managed else rng.randrange(16, 240)
            )
            compounds.append(
                {
                    "code": f"JLXQ{len(compounds) + 1:05d}",
                    "community": community,
                    "district": district,
                    "managed": managed,
                    "households": households,
                    "floor_area": str(
                        Decimal(households) * Decimal(str(round(rng.uniform(62, 118), 2)))
                    ),
                    "firm": None,
                    "has_party_org": managed and rng.random() < DISTRICTS[district][3],
                    "has_owners_committee": rng.random() < (0.66 if managed else 0.22),
                    "red_heart_year": None,
                }
            )

    # Every firm serves at least one compound, preferably in its own district.
    managed = [i for i, c in enumerate(compounds) if c["managed"]]
    rng.shuffle(managed)
    free_by_district: dict[int, list[int]] = {}
    for i in managed:
        free_by_district.setdefault(compounds[i]["district"], []).append(i)
    for index, firm in enumerate(plan.firms):
        pool = free_by_district.get(firm["home"]) or max(free_by_district.values(), key=len)
        compounds[pool.pop()]["firm"] = index
    sizes = [f["size"] for f in plan.firms]
    for i in managed:
        if compounds[i]["firm"] is None:
            district = compounds[i]["district"]
            weights = [
                size * (4.0 if firm["home"] == district else 1.0)
                for size, firm in zip(sizes, plan.firms, strict=True)
            ]
            compounds[i]["firm"] = rng.choices(range(len(plan.firms)), weights=weights)[0]

    # 红心物业: Party-led, larger compounds; each has an owners' committee (三位一体).
    candidates = [i for i in managed if compounds[i]["has_party_org"]]
    keyed = sorted(
        candidates, key=lambda i: rng.random() ** (1.0 / compounds[i]["households"]), reverse=True
    )
    years = [year for year, n in RED_HEART_BY_YEAR.items() for _ in range(n)]
    rng.shuffle(years)
    for i, year in zip(keyed, years, strict=False):
        compounds[i]["red_heart_year"] = year
        compounds[i]["has_owners_committee"] = True

    for i, compound in enumerate(compounds):
        _plan_history(plan, rng, i, compound)
        compound["name"] = _compound_name(rng, compound)
    _unique_names(plan, rng)
    for compound in compounds:
        del compound["managed"], compound["district"]
    for firm in plan.firms:
        del firm["home"], firm["size"]


def _plan_history(plan: CityPlan, rng: random.Random, index: int, compound: dict) -> None:
    """The current firm's period and, for some compounds, an earlier firm's."""
    firm = compound["firm"]
    other = rng.randrange(len(plan.firms))
    if firm is not None:
        latest = dt.date(2020, 6, 30) if compound["red_heart_year"] else dt.date(2024, 3, 31)
        since = _date_between(rng, dt.date(2006, 1, 1), latest)
        if rng.random() < 0.3 and other != firm:
            earlier = _date_between(rng, dt.date(1998, 1, 1), since - dt.timedelta(days=365))
            plan.managements.append(
                {"compound": index, "firm": other, "start": earlier, "end": since}
            )
        plan.managements.append({"compound": index, "firm": firm, "start": since, "end": None})
    elif rng.random() < 0.3:  # a firm that left: the owners manage it themselves since
        start = _date_between(rng, dt.date(2000, 1, 1), dt.date(2016, 12, 31))
        end = _date_between(rng, start + dt.timedelta(days=365), DEMO_DAY)
        plan.managements.append({"compound": index, "firm": other, "start": start, "end": end})


def _compound_name(rng: random.Random, compound: dict) -> str:
    if compound["firm"] is None and rng.random() < 0.7:
        return rng.choice(OLD_COMPOUND_NAMES)
    return rng.choice(COMPOUND_STEMS) + rng.choice(COMPOUND_SUFFIXES)


def _unique_names(plan: CityPlan, rng: random.Random) -> None:
    """Within a community two compounds never share a name (later ones get 二区, 三区...)."""
    seen: Counter[tuple[int, str]] = Counter()
    for compound in plan.compounds:
        key = (compound["community"], compound["name"])
        seen[key] += 1
        if seen[key] > 1:
            compound["name"] += "二三四五六七八九十"[min(seen[key], 10) - 2] + "区"


def build_city(seed: int = DEMO_SEED) -> CityPlan:
    """Plan the demo registry from `seed`: the same seed, the same city."""
    plan = CityPlan()
    _plan_areas(plan, stream(seed, "areas"))
    _plan_firms(plan, stream(seed, "firms"))
    _plan_compounds(plan, stream(seed, "compounds"))
    return plan


@demo_step("areas")
def areas_step(ctx: DemoContext) -> None:
    ctx.plan = plan = build_city(ctx.seed)
    ctx.districts = District.objects.bulk_create([District(name=d["name"]) for d in plan.districts])
    ctx.streets = Street.objects.bulk_create(
        [Street(district=ctx.districts[s["district"]], name=s["name"]) for s in plan.streets]
    )
    ctx.communities = Community.objects.bulk_create(
        [Community(street=ctx.streets[c["street"]], name=c["name"]) for c in plan.communities]
    )


@demo_step("registry")
def registry_step(ctx: DemoContext) -> None:
    plan = ctx.plan
    history = {"default_change_reason": DEMO_REASON}
    ctx.firms = bulk_create_with_history(
        [Firm(**row) for row in plan.firms], Firm, batch_size=500, **history
    )
    ctx.compounds = bulk_create_with_history(
        [
            Compound(
                code=row["code"],
                name=row["name"],
                community=ctx.communities[row["community"]],
                households=row["households"],
                floor_area=Decimal(row["floor_area"]),
                firm=None if row["firm"] is None else ctx.firms[row["firm"]],
                has_party_org=row["has_party_org"],
                has_owners_committee=row["has_owners_committee"],
                red_heart_year=row["red_heart_year"],
            )
            for row in plan.compounds
        ],
        Compound,
        batch_size=500,
        **history,
    )
    bulk_create_with_history(
        [
            Management(
                compound=ctx.compounds[row["compound"]],
                firm=ctx.firms[row["firm"]],
                start_date=row["start"],
                end_date=row["end"],
            )
            for row in plan.managements
        ],
        Management,
        batch_size=500,
        **history,
    )


@demo_step("accounts")
def accounts_step(ctx: DemoContext) -> None:
    """One account per role; the officers, the firm and the committee belong together: the
    committee's compound is in the community officer's community, in the street officer's
    street, and served by the firm."""
    compound = next(
        c
        for c in ctx.compounds
        if c.firm_id and c.has_owners_committee and c.red_heart_year is None
    )
    community = compound.community
    street = community.street
    password = make_password(DEMO_PASSWORD)  # hashed once: the slow hasher is slow on purpose
    specs = [
        (Role.BUREAU, "demo_bureau", "市住建局物业科 王科长", {}),
        (Role.ASSOCIATION, "demo_association", "市物业行业协会 李秘书长", {}),
        (Role.STREET, "demo_street", f"{street.name} 物业专干", {"street": street}),
        (Role.COMMUNITY, "demo_community", f"{community.name} 网格员", {"community": community}),
        (Role.FIRM, "demo_firm", f"{compound.firm.name} 经理", {"firm": compound.firm}),
        (
            Role.OWNERS_COMMITTEE,
            "demo_committee",
            f"{compound.name} 业委会主任",
            {"compound": compound},
        ),
    ]
    users = []
    for role, username, full_name, scope in specs:
        user = User(username=username, full_name=full_name, role=role, password=password, **scope)
        user.full_clean()
        validate_password(DEMO_PASSWORD, user)
        users.append(user)
    bulk_create_with_history(users, User, default_change_reason=DEMO_REASON)
    ctx.accounts = {user.role: user for user in User.objects.filter(username__startswith="demo_")}
    # Bureau accounts sign in with a second factor: the demo's is enrolled with a published key.
    device = mfa.demo_enrol(user=ctx.accounts[Role.BUREAU], key=DEMO_TOTP_KEY)
    ctx.notes.append(
        f"demo_bureau asks for a code after its password: add the key {mfa.secret_text(device)} "
        "to an authenticator app, or run `.venv/bin/python manage.py otp_code demo_bureau`."
    )


@demo_step("coverage snapshot")
def snapshot_step(ctx: DemoContext) -> None:
    coverage_snapshot_take(date=timezone.localdate())
