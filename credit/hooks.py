"""What the credit app plugs into the portal: its links on the bar (portal/menu.py), its cards
and to-do items on the landing page (portal/workbench.py), its files (portal/files.py) and
the labels of what its history records (portal/history.py)."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.db.models import CharField, Count, Max, OuterRef, Subquery, Value
from django.db.models.functions import Cast, Concat
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from companies import public_page, public_record
from portal import files, history, menu, pagecache, workbench
from portal.choices import Role
from portal.scoping import is_signed_in

from . import rectification, selectors
from .choices import FROZEN_REASON, IMPORT_REASON, PUBLISHED_REASON, RUN_REASON
from .listing import firm_public_record
from .models import (
    Assessment,
    CalendarDay,
    CommendationPolicy,
    CreditCertificate,
    CreditEvent,
    CreditNotice,
    Declaration,
    DeclarationStatus,
    KeySupervisionEntry,
    NoticeRound,
    NoticeStatus,
    Objection,
    ObjectionStatus,
    Publication,
    PublicationStatus,
    RepairApplication,
    RepairStatus,
    RuleSet,
    Summons,
)
from .services import certificates
from .services import declarations as conduct
from .services import repair as repairs

# --- the landing page ------------------------------------------------------------------------


def grades_card(user, today: dt.date) -> dict | None:
    """The latest rated year's grades (its latest finished run), for the city-wide readers."""
    if not selectors.can_read_ratings(user):
        return None
    run = selectors.latest_rated_run()
    if run is None:
        return None
    published = [v for v in selectors.published_versions() if v.publication.year == run.year]
    return {
        "run": run,
        "summary": selectors.run_summary(run),
        "version": published[0] if published else None,
    }


def firm_grade_card(user, today: dt.date) -> dict | None:
    """The firm's grade in the latest published list, with its indicator scores S(i)."""
    rating = selectors.latest_published_rating(firm_id=user.firm_id)
    if rating is None:
        return {"rating": None}
    return {
        "rating": rating,
        "indicators": selectors.indicator_scores(rating_id=rating["pk"]),
        "credit_code": user.firm.credit_code,
    }


def firm_notices_card(user, today: dt.date) -> dict | None:
    """The firm's latest notices and objections, with their states."""
    notices = list(
        selectors.notices_in_state(
            selectors.notices_for_user(user=user), state="", today=today
        ).order_by("-issued_at", "-pk")[:5]
    )
    objections = list(selectors.objections_for_user(user=user).order_by("-filed_at", "-pk")[:5])
    if not (notices or objections):
        return None
    return {"notices": notices, "objections": objections}


def firm_certificates_card(user, today: dt.date) -> dict | None:
    """The firm's latest credit certificates with their states, and the button to issue one
    when the latest published list gives the firm a grade."""
    current = certificates.current_published_grade(firm_id=user.firm_id)
    latest = certificates.certificates_with_state(
        certificates.certificates_for_user(user=user)[:5], now=timezone.now()
    )
    if current is None and not latest:
        return None
    return {"current": current, "certificates": latest}


def _notices_url(state: str) -> str:
    return f"{reverse('credit:notice_list')}?{urlencode({'state': state})}"


def _one_or_list(pks: list[int], detail: str, listing: str) -> str:
    """The page of the one item waiting, or the list of them."""
    return reverse(detail, args=[pks[0]]) if len(pks) == 1 else reverse(listing)


def bureau_todos(user, today: dt.date):
    """Objections to answer, lists to publish, notices to issue and to follow up, failed runs."""
    now = timezone.now()
    publicity = selectors.publications_in_publicity()
    with_objections = [p for p in publicity if p.pending]
    yield workbench.Todo(
        label=_("Objections to answer"),
        count=sum(p.pending for p in with_objections),
        due=min((p.period_end for p in with_objections), default=None),
        url=_one_or_list(
            [p.pk for p in with_objections], "credit:publication_detail", "credit:publication_list"
        ),
        order=10,
    )
    publishable = [p for p in publicity if not p.pending and p.period_end <= now]
    yield workbench.Todo(
        label=_("Publicity periods over: lists to publish"),
        count=len(publishable),
        due=min((p.period_end for p in publishable), default=None),
        url=_one_or_list(
            [p.pk for p in publishable], "credit:publication_detail", "credit:publication_list"
        ),
        order=11,
    )
    unnoticed = selectors.firms_without_notice()
    yield workbench.Todo(
        label=_("Firms on a published list awaiting their notice"),
        count=sum(unnoticed.values()),
        url=_one_or_list(list(unnoticed), "credit:publication_detail", "credit:publication_list"),
        order=12,
    )
    figures = selectors.rectification_figures(today=today)
    yield workbench.Todo(
        label=_("Rectification notices past their deadline"),
        count=figures["late"],
        overdue=figures["late"],
        due=figures["first_late"],
        url=_notices_url(selectors.LATE_NOTICES),
        order=13,
    )
    yield workbench.Todo(
        label=_("Rectification answers to review"),
        count=figures["answered"],
        url=_notices_url(NoticeStatus.ANSWERED),
        order=14,
    )
    failed = selectors.failed_runs()
    yield workbench.Todo(
        label=_("Failed rating runs"),
        count=len(failed),
        url=_one_or_list([r.pk for r in failed], "credit:run_detail", "credit:run_list"),
        order=15,
    )


def firm_todos(user, today: dt.date):
    """Rectification notices to answer; objections the firm may still file."""
    notices = selectors.notices_to_answer(user=user)
    yield workbench.Todo(
        label=_("Rectification notices to answer"),
        count=len(notices),
        overdue=sum(notice.deadline < today for notice in notices),
        due=notices[0].deadline if notices else None,
        url=_one_or_list([n.pk for n in notices], "credit:notice_detail", "credit:notice_list"),
        order=10,
    )
    for publication in selectors.objections_open_to_firm(user=user, now=timezone.now()):
        yield workbench.Todo(
            label=_("Your firm is proposed for the %(year)s red or black list: object by %(end)s")
            % {
                "year": publication.year,
                "end": timezone.localtime(publication.period_end).strftime("%Y-%m-%d %H:%M"),
            },
            count=1,
            due=publication.period_end,
            url=reverse("credit:publication_detail", args=[publication.pk]),
            order=11,
        )


def assessment_todos(user, today: dt.date):
    """The compounds of the user's area still without the scores of the user's role."""
    for year, missing in selectors.compounds_to_assess(user=user).items():
        url = reverse("credit:assessment_grid", args=[year])
        if user.role != Role.OWNERS_COMMITTEE:  # the committee's grid has one compound
            url += "?" + urlencode({"missing": "on"})
        yield workbench.Todo(
            label=_("Compounds to assess for %(year)s") % {"year": year},
            count=missing,
            url=url,
            order=20,
        )


def credit_todos(user, today: dt.date):
    if not is_signed_in(user):
        return
    if selectors.can_manage_credit(user):
        yield from bureau_todos(user, today)
    if user.role == Role.FIRM:
        yield from firm_todos(user, today)
    yield from assessment_todos(user, today)


def firm_repairs_card(user, today: dt.date) -> dict | None:
    """The firm's credit repair applications, and the way to apply while it is on the
    current black list with none pending."""
    applications = list(repairs.repair_applications_for_user(user=user)[:5])
    version = repairs.black_listing_of(user.firm) if user.firm_id else None
    if version is None and not applications:
        return None
    pending = any(application.is_pending for application in applications)
    return {"applications": applications, "version": version, "can_apply": version and not pending}


def repair_todos(user, today: dt.date):
    """Credit repair applications awaiting the bureau's decision, red once past their date."""
    if not is_signed_in(user) or not selectors.can_manage_credit(user):
        return
    figures = repairs.repairs_awaiting_decision(today=today)
    yield workbench.Todo(
        label=_("Credit repair applications to decide"),
        count=figures["count"],
        overdue=figures["overdue"],
        due=figures["first_due"],
        url=f"{reverse('credit:repair_list')}?{urlencode({'state': RepairStatus.PENDING})}",
        order=16,
    )


def declaration_todos(user, today: dt.date):
    """Good-conduct declarations the street or the bureau is to decide, red once past their
    date (a street officer counts those of the firms serving a compound in the street)."""
    if not conduct.can_review(user):
        return
    figures = conduct.declarations_awaiting_decision(user=user, today=today)
    yield workbench.Todo(
        label=_("Good-conduct declarations to decide"),
        count=figures["count"],
        overdue=figures["overdue"],
        due=figures["first_due"],
        url=f"{reverse('credit:declaration_list')}?{urlencode({'state': 'pending'})}",
        order=17,
    )


def rectification_todos(user, today: dt.date):
    """A delegated street's answers to re-inspect and notices past their deadline; a firm's
    notices sent back to it (the bureau's items are in bureau_todos)."""
    if not is_signed_in(user):
        return
    if user.role == Role.STREET:
        waiting = rectification.notices_to_reinspect(user=user)
        yield workbench.Todo(
            label=_("Rectification answers to re-inspect"),
            count=len(waiting),
            url=_one_or_list([n.pk for n in waiting], "credit:notice_detail", "credit:notice_list"),
            order=14,
        )
        late = rectification.street_notices_past_deadline(user=user, today=today)
        yield workbench.Todo(
            label=_("Delegated rectification notices past their deadline"),
            count=len(late),
            overdue=len(late),
            due=late[0].deadline if late else None,
            url=_notices_url(selectors.LATE_NOTICES),
            order=13,
        )
    if user.role == Role.FIRM:
        sent_back = rectification.notices_sent_back(user=user)
        yield workbench.Todo(
            label=_("Rectification notices sent back to answer again"),
            count=len(sent_back),
            overdue=sum(notice.deadline < today for notice in sent_back),
            due=sent_back[0].deadline if sent_back else None,
            url=_one_or_list(
                [n.pk for n in sent_back], "credit:notice_detail", "credit:notice_list"
            ),
            order=10,
        )


# --- history labels --------------------------------------------------------------------------

REASONS = {
    Assessment: {IMPORT_REASON: gettext_lazy("imported")},
    CreditEvent: {IMPORT_REASON: gettext_lazy("imported")},
    RuleSet: {FROZEN_REASON: gettext_lazy("frozen by publication")},
    Publication: {
        PUBLISHED_REASON: gettext_lazy("published version"),
        RUN_REASON: gettext_lazy("now shows rating run"),
    },
}
STATES = {Publication: PublicationStatus, Objection: ObjectionStatus, CreditNotice: NoticeStatus}


def public_credit_record(firm) -> tuple[str, dict]:
    """The firm's public page: its grades in the published lists and its listing history."""
    grades, listings = firm_public_record(firm_id=firm.pk)
    return "credit/publication_firm_history.html", {
        "credit_record": grades,
        "listing_history": listings,
    }


def firm_events_stamp() -> Subquery:
    """What of a firm's public credit record changes without a publication: its credit
    events (recorded, edited or deleted), shown as the reasons of its listings. A column of
    the firm page's one stamp query (companies/public_page.py)."""
    events = CreditEvent.objects.filter(firm=OuterRef("pk")).order_by().values("firm")
    stamp = Concat(Cast(Count("pk"), CharField()), Value("|"), Cast(Max("updated_at"), CharField()))
    return Subquery(events.annotate(stamp=stamp).values("stamp"))


def register() -> None:
    public_record.register_section(public_credit_record)
    # The public list, its files and the certificates' pages: kept for anonymous visitors.
    pagecache.register("credit:redblack")
    pagecache.register("credit:certificate_verify_form")
    public_page.register_stamp_column(firm_events_stamp)
    menu.register(
        gettext_lazy("Assessment windows"),
        "credit:window_list",
        allowed=selectors.can_assess,
        group=menu.ASSESSMENT,
        order=10,
    )
    for order, (label, url_name) in enumerate(
        [
            (gettext_lazy("Rating runs"), "credit:run_list"),
            (gettext_lazy("Credit events"), "credit:event_list"),
            (gettext_lazy("D-grade spot checks"), "credit:spot_check_list"),
            (gettext_lazy("Rule sets"), "credit:rule_set_list"),
        ]
    ):
        menu.register(
            label, url_name, allowed=selectors.can_read_ratings, group=menu.CREDIT, order=10 + order
        )
    for order, (label, url_name) in enumerate(
        [
            (gettext_lazy("Import assessments"), "credit:assessment_import"),
            (gettext_lazy("Import credit events"), "credit:credit_event_import"),
        ]
    ):
        menu.register(
            label,
            url_name,
            allowed=selectors.can_manage_credit,
            group=menu.CREDIT,
            order=40 + order,
        )
    menu.register(
        gettext_lazy("Publicity and publication"),
        "credit:publication_list",
        allowed=selectors.can_see_publications,
        group=menu.CREDIT,
        order=60,
    )
    menu.register(
        gettext_lazy("Credit notices"),
        "credit:notice_list",
        allowed=rectification.can_see_notices,
        group=menu.CREDIT,
        order=70,
    )
    menu.register_public(gettext_lazy("Red and black list"), "credit:redblack", order=20)
    menu.register(
        gettext_lazy("Credit certificates"),
        "credit:certificate_list",
        allowed=certificates.can_hold_certificates,
        group=menu.CREDIT,
        order=75,
    )
    menu.register_public(
        gettext_lazy("Verify a credit certificate"), "credit:certificate_verify_form", order=25
    )

    workbench.register_card(
        "credit.grades",
        template="credit/card_grades.html",
        context=grades_card,
        roles={Role.BUREAU, Role.ASSOCIATION},
        order=20,
    )
    workbench.register_card(
        "credit.firm_grade",
        template="credit/card_firm_grade.html",
        context=firm_grade_card,
        roles={Role.FIRM},
        order=10,
        width="col-lg-6",
    )
    workbench.register_card(
        "credit.firm_notices",
        template="credit/card_firm_notices.html",
        context=firm_notices_card,
        roles={Role.FIRM},
        order=11,
        width="col-lg-6",
    )
    workbench.register_card(
        "credit.firm_certificates",
        template="credit/certificate_card.html",
        context=firm_certificates_card,
        roles={Role.FIRM},
        order=12,
        width="col-lg-6",
    )
    workbench.register_todos(credit_todos)

    files.register("credit-evidence", rows=selectors.credit_events_for_user, field="evidence")
    files.register(
        "credit-objection",
        rows=selectors.objection_attachments_for_user,
        field="file",
        name=lambda attachment: attachment.name,
    )
    files.register("credit-notice", rows=selectors.notices_for_user, field="response_file")

    history.register(
        CreditCertificate,
        reasons={
            certificates.CERTIFICATE_ISSUED_REASON: gettext_lazy("certificate issued"),
            certificates.CERTIFICATE_REVOKED_REASON: gettext_lazy("certificate revoked"),
        },
    )
    menu.register(
        gettext_lazy("Credit repair"),
        "credit:repair_list",
        allowed=repairs.can_see_repairs,
        group=menu.CREDIT,
        order=72,
    )
    menu.register(
        gettext_lazy("Working-day calendar"),
        "credit:calendar_list",
        allowed=selectors.can_manage_credit,
        group=menu.CREDIT,
        order=90,
    )
    workbench.register_card(
        "credit.firm_repairs",
        template="credit/repair_card.html",
        context=firm_repairs_card,
        roles={Role.FIRM},
        order=13,
        width="col-lg-6",
    )
    workbench.register_todos(repair_todos)
    workbench.register_todos(rectification_todos)
    menu.register_public(gettext_lazy("Commended firms"), "credit:commendations", order=21)
    menu.register_public(gettext_lazy("Key-supervision list"), "credit:key_supervision", order=22)
    files.register(
        "credit-notice-evidence",
        rows=rectification.notice_evidence_for_user,
        field="file",
        name=lambda evidence: evidence.name,
    )
    for model in (NoticeRound, Summons, KeySupervisionEntry, CommendationPolicy):
        history.register(model)
    files.register(
        "credit-repair",
        rows=repairs.repair_evidence_for_user,
        field="file",
        name=lambda evidence: evidence.name,
    )
    history.register(RepairApplication, states=RepairStatus)
    history.register(CalendarDay)
    menu.register(
        gettext_lazy("Good-conduct declarations"),
        "credit:declaration_list",
        allowed=conduct.can_see_declarations,
        group=menu.CREDIT,
        order=73,
    )
    menu.register(
        gettext_lazy("Our credit events"),
        "credit:own_event_list",
        allowed=conduct.is_firm_user,
        group=menu.CREDIT,
        order=74,
    )
    workbench.register_todos(declaration_todos)
    files.register(
        "credit-declaration",
        rows=conduct.declaration_evidence_for_user,
        field="file",
        name=lambda evidence: evidence.name,
    )
    history.register(Declaration, states=DeclarationStatus)
    for model in {*REASONS, *STATES}:
        history.register(model, reasons=REASONS.get(model), states=STATES.get(model))
