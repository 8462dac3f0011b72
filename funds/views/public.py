"""Public pages, no sign-in: the fund notices and a compound's fund and plan."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from portal.params import query_text
from portal.ratelimits import rate_limit

from .. import selectors
from ..forms import NoticeSearchForm
from .common import _page

COMPOUND_CODE_MAX = 40  # Compound.code


@rate_limit("public_search")
def notice_list(request: HttpRequest) -> HttpResponse:
    form = NoticeSearchForm(request.GET or None)
    q = form.cleaned_data["q"].strip() if form.is_valid() else ""
    compound = query_text(request, "compound", max_length=COMPOUND_CODE_MAX)
    notices = selectors.notices_public(q=q, compound_code=compound)
    return render(
        request,
        "funds/notice_list.html",
        {"form": form, "q": q, "page_obj": _page(request, notices, per_page=20)},
    )


@rate_limit("public_pages")
def notice_detail(request: HttpRequest, pk: int) -> HttpResponse:
    notice = selectors.notice_get_public(pk=pk)
    return render(
        request,
        "funds/notice_detail.html",
        {"notice": notice, "today": timezone.localdate()},
    )


@rate_limit("public_pages")
def compound_public(request: HttpRequest, code: str) -> HttpResponse:
    compound = selectors.compound_get_public(code=code)
    plan, items = selectors.compound_public_plan(compound=compound)
    today = timezone.localdate()
    for item in items:
        item.plan = plan
    return render(
        request,
        "funds/compound_public.html",
        {
            "compound": compound,
            "fund": selectors.compound_fund_summary(compound=compound),
            "plan": plan,
            "items": items,
            "today": today,
        },
    )
