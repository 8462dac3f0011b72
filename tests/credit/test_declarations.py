"""Good conduct declared by firms (良好行为申报): a firm declares with evidence, the street where
it serves or the bureau decides within the rule set's working days; acceptance records a bonus
credit event naming the declaration, refusal needs reasons. A firm reads its own credit events.
Whatever is refused writes nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from credit import hooks
from credit.choices import EventKind
from credit.models import (
    CalendarDay,
    ConductKind,
    CreditEvent,
    DayKind,
    Declaration,
    DeclarationEvidence,
    DeclarationStatus,
    RuleSet,
)
from credit.services.declarations import (
    declaration_accept,
    declaration_file,
    declaration_refuse,
)

from .helpers import event
from .publishing import code_of, pdf

SHANGHAI = ZoneInfo("Asia/Shanghai")
BEFORE_NATIONAL_DAY = dt.datetime(2026, 9, 30, 10, tzinfo=SHANGHAI)
TEXT = "暴雨期间连续值守，转移地下车库车辆，协助疏散独居老人。"


@pytest.fixture(autouse=True)
def _media_and_cache(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    cache.clear()
    yield
    cache.clear()


def declare(user, *, at: dt.datetime = BEFORE_NATIONAL_DAY, **kwargs) -> Declaration:
    kwargs.setdefault("kind", ConductKind.EMERGENCY)
    kwargs.setdefault("date", dt.date(2026, 9, 20))
    kwargs.setdefault("description", TEXT)
    kwargs.setdefault("evidence", [pdf()])
    with time_machine.travel(at, tick=False):
        return declaration_file(user=user, **kwargs)


@pytest.fixture
def declaration(firm_user, compound_a) -> Declaration:
    """Firm A's declaration, filed a moment ago (its review is due in days); firm A serves
    compound A, in street A."""
    return declare(firm_user, at=timezone.now())


def refused(call) -> str:
    with pytest.raises(ValidationError) as exc:
        call()
    return code_of(exc.value)


def nothing_decided(declaration: Declaration) -> None:
    declaration.refresh_from_db()
    assert declaration.status == DeclarationStatus.PENDING
    assert declaration.bonus_event is None and declaration.reasons == ""
    assert not CreditEvent.objects.exists()
    assert declaration.history.count() == 1


# --- declaring -------------------------------------------------------------------------------


def test_a_firm_declares_and_the_review_is_due_in_five_working_days_past_the_holiday(
    firm_user, compound_a
):
    for day in range(1, 8):
        CalendarDay.objects.create(date=dt.date(2026, 10, day), kind=DayKind.HOLIDAY, name="国庆节")
    CalendarDay.objects.create(date=dt.date(2026, 10, 10), kind=DayKind.WORKDAY, name="调休上班")
    declaration = declare(firm_user, evidence=[pdf(), pdf("photo.png")])
    assert declaration.status == DeclarationStatus.PENDING
    assert declaration.firm == firm_user.firm and declaration.filed_by == firm_user
    assert declaration.decide_by == dt.date(2026, 10, 13)  # 8, 9, 10 (Saturday), 12, 13 Oct
    assert [e.name for e in declaration.evidence.all()] == ["evidence.pdf", "photo.png"]


def test_the_decision_days_are_the_rule_sets(firm_user, compound_a):
    RuleSet.objects.update_or_create(year=2026, defaults={"repair_decision_days": 1})
    assert declare(firm_user).decide_by == dt.date(2026, 10, 1)  # no calendar: Thursday


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"description": "  "}, "text_required"),
        ({"evidence": []}, "no_file"),
        ({"evidence": [pdf("macro.docx")]}, "attachment_type"),
        ({"kind": "bribe"}, "kind"),
        ({"date": dt.date(2026, 10, 2)}, "future"),
    ],
)
def test_a_declaration_without_what_it_needs_is_refused_and_writes_nothing(
    firm_user, compound_a, change, code
):
    assert refused(lambda: declare(firm_user, **change)) == code
    assert not Declaration.objects.exists() and not DeclarationEvidence.objects.exists()


def test_only_a_firm_declares(street_officer, bureau_user):
    for user in (street_officer, bureau_user):
        assert refused(lambda user=user: declare(user)) == "not_firm"
    assert not Declaration.objects.exists()


# --- deciding --------------------------------------------------------------------------------


def test_acceptance_by_the_street_records_a_bonus_event_naming_the_declaration(
    declaration, street_officer
):
    declaration = declaration_accept(user=street_officer, declaration=declaration)
    bonus = declaration.bonus_event
    assert declaration.status == DeclarationStatus.ACCEPTED
    assert declaration.points == Decimal("2.00")  # the default of help in an emergency
    assert (bonus.kind, bonus.firm, bonus.year, bonus.date, bonus.points) == (
        EventKind.BONUS,
        declaration.firm,
        2026,
        dt.date(2026, 9, 20),
        Decimal("2.00"),
    )
    assert f"良好行为申报第{declaration.pk}号" in bonus.reason
    assert bonus.created_by == street_officer
    assert [h.history_change_reason for h in declaration.history.order_by("history_id")] == [
        None,
        "pending → accepted",
    ]


def test_the_bureau_accepts_with_its_own_points_within_the_bounds(declaration, bureau_user):
    assert (
        refused(
            lambda: declaration_accept(
                user=bureau_user, declaration=declaration, points=Decimal("6")
            )
        )
        == "points"
    )
    assert (
        refused(
            lambda: declaration_accept(
                user=bureau_user, declaration=declaration, points=Decimal("0")
            )
        )
        == "points"
    )
    nothing_decided(declaration)
    accepted = declaration_accept(user=bureau_user, declaration=declaration, points=Decimal("4.5"))
    assert accepted.bonus_event.points == Decimal("4.50")


def test_a_street_officer_of_another_street_may_not_decide(declaration, other_street_officer):
    assert (
        refused(lambda: declaration_accept(user=other_street_officer, declaration=declaration))
        == "not_in_street"
    )
    nothing_decided(declaration)


def test_a_community_officer_or_the_association_may_not_decide(
    declaration, community_officer, association_user
):
    for user in (community_officer, association_user):
        assert (
            refused(
                lambda user=user: declaration_refuse(
                    user=user, declaration=declaration, reasons="否"
                )
            )
            == "not_allowed"
        )
    nothing_decided(declaration)


def test_a_declaration_is_decided_once(declaration, bureau_user, street_officer):
    declaration_refuse(user=bureau_user, declaration=declaration, reasons="证明材料不足。")
    assert (
        refused(lambda: declaration_accept(user=street_officer, declaration=declaration))
        == "decided"
    )
    assert not CreditEvent.objects.exists()
    declaration.refresh_from_db()
    assert declaration.status == DeclarationStatus.REFUSED and declaration.history.count() == 2


def test_a_decision_past_its_date_needs_the_reason_for_the_delay(
    firm_user, compound_a, bureau_user
):
    late = declare(firm_user)  # on 30 September, due in early October
    for decide in (
        lambda: declaration_accept(user=bureau_user, declaration=late),
        lambda: declaration_refuse(user=bureau_user, declaration=late, reasons="证明材料不足。"),
    ):
        assert refused(decide) == "late"
    nothing_decided(late)
    declaration_accept(user=bureau_user, declaration=late, delay_reason="等待颁奖单位出具证明。")
    late.refresh_from_db()
    assert late.status == DeclarationStatus.ACCEPTED
    assert late.delay_reason == "等待颁奖单位出具证明。"


def test_refusal_needs_reasons(declaration, bureau_user):
    assert (
        refused(lambda: declaration_refuse(user=bureau_user, declaration=declaration, reasons="  "))
        == "reasons"
    )
    nothing_decided(declaration)


# --- pages -----------------------------------------------------------------------------------


def test_the_firm_declares_through_its_page(client_of, firm_user, compound_a):
    client = client_of(firm_user)
    response = client.post(
        reverse("credit:declaration_create"),
        {"kind": ConductKind.AWARD, "date": "2026-01-05", "description": TEXT, "files": pdf()},
    )
    declaration = Declaration.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("credit:declaration_detail", args=[declaration.pk])
    page = client.get(response.url)
    assert page.status_code == 200 and TEXT in page.content.decode()
    file = declaration.evidence.get()
    assert (
        client.get(reverse("portal:file", args=["credit-declaration", file.pk])).status_code == 200
    )


def test_another_firms_declaration_and_its_files_are_404(client_of, declaration, other_firm_user):
    client = client_of(other_firm_user)
    assert (
        client.get(reverse("credit:declaration_detail", args=[declaration.pk])).status_code == 404
    )
    file = declaration.evidence.get()
    assert (
        client.get(reverse("portal:file", args=["credit-declaration", file.pk])).status_code == 404
    )


def test_a_street_officer_sees_the_declarations_of_firms_in_the_street_only(
    client_of, declaration, street_officer, other_street_officer
):
    url = reverse("credit:declaration_detail", args=[declaration.pk])
    assert client_of(street_officer).get(url).status_code == 200
    assert client_of(other_street_officer).get(url).status_code == 404
    listing = client_of(other_street_officer).get(reverse("credit:declaration_list"))
    assert declaration.firm.name not in listing.content.decode()


def test_the_street_accepts_through_the_page_and_the_event_list_links_back(
    client_of, declaration, street_officer, bureau_user
):
    response = client_of(street_officer).post(
        reverse("credit:declaration_accept", args=[declaration.pk]), {"points": "3"}
    )
    assert response.status_code == 302
    declaration.refresh_from_db()
    assert declaration.status == DeclarationStatus.ACCEPTED
    assert declaration.bonus_event.points == Decimal("3.00")
    events = client_of(bureau_user).get(reverse("credit:event_list")).content.decode()
    assert reverse("credit:declaration_detail", args=[declaration.pk]) in events


def test_a_firm_may_not_decide_its_own_declaration(client_of, declaration, firm_user):
    response = client_of(firm_user).post(
        reverse("credit:declaration_accept", args=[declaration.pk]), {"points": "5"}
    )
    assert response.status_code == 404
    nothing_decided(declaration)


def test_refusing_without_reasons_through_the_page_writes_nothing(
    client_of, declaration, bureau_user
):
    client_of(bureau_user).post(
        reverse("credit:declaration_refuse", args=[declaration.pk]), {"reasons": ""}
    )
    nothing_decided(declaration)


# --- the firm's own credit events ------------------------------------------------------------


def test_a_firm_reads_every_credit_event_of_its_own_with_reasons_and_no_other(
    client_of, firm_user, firm_a, firm_b, declaration, bureau_user
):
    event(2023, firm_a, EventKind.DEDUCTION, 3, reason="消防设施维护不到位")
    event(2021, firm_a, EventKind.VETO, reason="发生重大安全责任事故")
    event(2023, firm_b, EventKind.DEDUCTION, 5, reason="另一家公司的扣分")
    declaration_accept(user=bureau_user, declaration=declaration)
    page = client_of(firm_user).get(reverse("credit:own_event_list")).content.decode()
    assert "消防设施维护不到位" in page and "发生重大安全责任事故" in page
    assert f"良好行为申报第{declaration.pk}号" in page
    assert reverse("credit:declaration_detail", args=[declaration.pk]) in page
    assert "另一家公司的扣分" not in page


def test_only_a_firm_has_its_own_events_page(client_of, street_officer, bureau_user):
    for user in (street_officer, bureau_user):
        assert client_of(user).get(reverse("credit:own_event_list")).status_code == 404


# --- to-dos ----------------------------------------------------------------------------------


def _todo(user, today):
    return next(
        (t for t in hooks.declaration_todos(user, today) if t.url.startswith("/credit/decl")), None
    )


def test_declarations_wait_on_the_reviewers_to_do_red_once_past_their_date(
    declaration, street_officer, other_street_officer, bureau_user, firm_user
):
    on_time = _todo(street_officer, dt.date(2026, 10, 1))
    assert (on_time.count, on_time.overdue, on_time.due) == (1, 0, declaration.decide_by)
    late = _todo(bureau_user, declaration.decide_by + dt.timedelta(days=1))
    assert (late.count, late.overdue) == (1, 1)
    assert _todo(other_street_officer, dt.date(2026, 10, 1)).count == 0
    assert _todo(firm_user, dt.date(2026, 10, 1)) is None


# --- the demo --------------------------------------------------------------------------------


def test_the_demo_has_a_declaration_in_every_state(db, settings, tmp_path):
    from tests.demo import load_demo_for_tests

    load_demo_for_tests()
    today = dt.date.today()
    declarations = list(Declaration.objects.select_related("bonus_event"))
    states = {d.status for d in declarations}
    assert states == set(DeclarationStatus.values)
    accepted = next(d for d in declarations if d.status == DeclarationStatus.ACCEPTED)
    assert accepted.bonus_event.kind == EventKind.BONUS
    assert f"良好行为申报第{accepted.pk}号" in accepted.bonus_event.reason
    pending = [d for d in declarations if d.is_pending]
    assert any(d.decide_by < today for d in pending) and any(d.decide_by >= today for d in pending)
    refused = next(d for d in declarations if d.status == DeclarationStatus.REFUSED)
    assert refused.reasons
