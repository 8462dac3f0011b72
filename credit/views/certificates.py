"""Credit certificates: a firm issues and prints its own, the bureau lists and revokes them,
and anyone checks one at its public address (no sign-in)."""

from __future__ import annotations

import segno
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal import pagecache
from portal.choices import Role
from portal.params import page_of, query_text
from portal.ratelimits import rate_limit
from portal.web import bureau_required, visible_to

from .. import certificate_pdf as pdf
from ..forms.certificates import CertificateRevokeForm
from ..services import certificates as services

CERTIFICATES_PER_PAGE = 50
SEARCH_MAX = 60


# Signed in (else the sign-in page); the bureau or a firm (else 404).
holders_only = visible_to(services.can_hold_certificates)


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/")


@holders_only
def certificate_list(request: HttpRequest) -> HttpResponse:
    search = query_text(request, "q", max_length=SEARCH_MAX)
    certificates = services.certificates_matching(
        services.certificates_for_user(user=request.user), search=search
    )
    page = page_of(request, certificates, CERTIFICATES_PER_PAGE)
    page.object_list = services.certificates_with_state(page.object_list, now=timezone.now())
    is_firm = request.user.role == Role.FIRM
    context = {
        "page_obj": page,
        "search": search,
        "is_firm": is_firm,
        "current": (
            services.current_published_grade(firm_id=request.user.firm_id) if is_firm else None
        ),
    }
    return render(request, "credit/certificate_list.html", context)


@holders_only
@require_POST
def certificate_issue(request: HttpRequest) -> HttpResponse:
    if request.user.role != Role.FIRM:
        raise Http404
    try:
        certificate = services.certificate_issue(user=request.user, firm=request.user.firm)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("credit:certificate_list")
    messages.success(request, _("The certificate was issued: print it or give its code."))
    return redirect("credit:certificate_detail", pk=certificate.pk)


@holders_only
def certificate_detail(request: HttpRequest, pk: int) -> HttpResponse:
    certificate = services.certificate_get_for_user(user=request.user, pk=pk)
    services.certificates_with_state([certificate], now=timezone.now())
    url = services.certificate_qr_payload(certificate, base_url=_base_url(request))
    context = {
        "certificate": certificate,
        "verify_url": url,
        "bureau_name": settings.BUREAU_NAME,
        "qr_data_uri": segno.make(url, error="m").svg_data_uri(scale=4),
        "revoke_form": (
            CertificateRevokeForm()
            if request.user.role == Role.BUREAU and not certificate.is_revoked
            else None
        ),
        "history": services.certificate_history(certificate),
    }
    return render(request, "credit/certificate_detail.html", context)


@holders_only
def certificate_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    certificate = services.certificate_get_for_user(user=request.user, pk=pk)
    services.certificates_with_state([certificate], now=timezone.now())
    body = pdf.certificate_pdf(certificate, base_url=_base_url(request))
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="credit-certificate-{certificate.firm.credit_code}-'
        f'{certificate.year}-{certificate.pk}.pdf"'
    )
    return response


@bureau_required
def certificate_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    certificate = services.certificate_get_for_user(user=request.user, pk=pk)
    form = CertificateRevokeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.certificate_revoke(
                user=request.user, certificate=certificate, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("The certificate was revoked."))
            return redirect("credit:certificate_detail", pk=certificate.pk)
    services.certificates_with_state([certificate], now=timezone.now())
    context = {"certificate": certificate, "revoke_form": form}
    return render(request, "credit/certificate_revoke.html", context)


# --- public: the verification page ----------------------------------------------------------


@rate_limit("public_pages")
def certificate_verify_form(request: HttpRequest) -> HttpResponse:
    """Where a person types a code; a code that can be one goes to its page."""
    typed = query_text(request, "code", max_length=services.CODE_INPUT_MAX)
    code = services.code_normalize(typed)
    if code:
        return redirect(services.verify_path(code))
    context = {"shown": typed, "malformed": bool(request.GET.get("code"))}
    response = render(request, "credit/certificate_verify.html", context)
    return pagecache.cacheable(response, rate_group="public_pages")  # the empty form


# A certificate's public page is kept (portal/pagecache.py) until the bureau revokes it or a
# list is published (which forget every kept page), until it expires, and at most this long:
# the firm's name comes from the registry, whose edits do not forget kept pages.
VERIFY_KEPT_SECONDS = 300


@rate_limit("public_pages")
def certificate_verify(request: HttpRequest, code: str) -> HttpResponse:
    now = timezone.now()
    verification = services.certificate_verify(text=code, now=now)
    context = {
        "verification": verification,
        "certificate": verification.certificate,
        "shown": verification.code,
    }
    status = 404 if verification.problem else 200
    response = render(request, "credit/certificate_verify.html", context, status=status)
    seconds = VERIFY_KEPT_SECONDS
    if verification.certificate is not None and verification.certificate.valid_until > now:
        seconds = min(seconds, int((verification.certificate.valid_until - now).total_seconds()))
    return pagecache.cacheable(response, seconds=seconds, rate_group="public_pages")
