"""Credit certificates (信用等级证明): a firm states its current published grade for a tender,
and anyone checks it at a public address with the certificate's verification code.

The code: 18 characters drawn with `secrets` from Crockford's base32 alphabet (90 bits:
unguessable, and rate-limited besides) and 2 check characters, 10 bits of an HMAC of the 18
under the SECRET_KEY. A mistyped or altered code almost never checks out (1 in 1024), so the
page tells a typo from a code that was never issued; a code that checks out is still looked
up: only a certificate in the database is genuine. The code is stored as issued (the firm
prints its certificate again), shown in five groups of four.

A certificate is valid for CREDIT_CERTIFICATE_VALID_DAYS from its issue, unless the bureau
revokes it or a newer published version of the lists gives the firm another grade or leaves
it out (superseded): the public page checks the published lists at each visit.

Reads (who sees which certificate, the state of each) sit here beside the writes, as the
certificate is one small topic; the PDF is drawn in credit/certificate_pdf.py."""

from __future__ import annotations

import datetime as dt
import hmac
import secrets
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from companies.models import Firm
from portal.choices import Role
from portal.models import User
from portal.scoping import is_bureau, is_signed_in
from portal.services import record_save

from .. import selectors
from ..models import (
    CERTIFICATE_CODE_LENGTH,
    CertificateState,
    CreditCertificate,
    PublicationVersion,
    Rating,
)

# The reasons recorded in the history (credit/hooks.py gives them their labels).
CERTIFICATE_ISSUED_REASON = "certificate issued"
CERTIFICATE_REVOKED_REASON = "certificate revoked"

# --- the verification code -------------------------------------------------------------------

# Crockford's base32: no I, L, O or U, so that 1/I/L and 0/O cannot be confused when typed.
CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_RANDOM_CHARS = 18
CODE_CHECK_CHARS = CERTIFICATE_CODE_LENGTH - CODE_RANDOM_CHARS
CODE_BITS = CODE_RANDOM_CHARS * 5  # each character one of 32
# Longer than any spelling of a code (20 characters, 4 hyphens, spaces): refused unread.
CODE_INPUT_MAX = 64
_TYPED_ALIKE = str.maketrans({"O": "0", "I": "1", "L": "1", "-": None, " ": None})
_HMAC_SALT = "credit.certificate.code"


def _check_chars(body: str, secret: str | bytes) -> str:
    digest = salted_hmac(_HMAC_SALT, body, secret=secret, algorithm="sha256").digest()
    bits = int.from_bytes(digest[:2], "big") >> 6  # the first 10 bits: two characters
    return CODE_ALPHABET[bits >> 5] + CODE_ALPHABET[bits & 31]


def certificate_code_new() -> str:
    body = "".join(secrets.choice(CODE_ALPHABET) for _i in range(CODE_RANDOM_CHARS))
    return body + _check_chars(body, settings.SECRET_KEY)


def code_normalize(text: str | None) -> str | None:
    """The code a person typed or a link carries, as stored: full-width characters made
    ASCII, case, hyphens and spaces ignored, O read as 0 and I, L as 1; None when it cannot
    be a code (the wrong length, a character outside the alphabet)."""
    if not text or len(text) > CODE_INPUT_MAX:
        return None
    code = unicodedata.normalize("NFKC", text).strip().upper().translate(_TYPED_ALIKE)
    if len(code) != CERTIFICATE_CODE_LENGTH or not all(c in CODE_ALPHABET for c in code):
        return None
    return code


def code_checks_out(code: str) -> bool:
    """Whether the check characters of a normalized code are those the portal gives it
    (under the current key or one it replaced)."""
    body, check = code[:CODE_RANDOM_CHARS], code[CODE_RANDOM_CHARS:]
    keys = [settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS]
    return any(hmac.compare_digest(check, _check_chars(body, key)) for key in keys)


def code_display(code: str) -> str:
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def valid_days() -> int:
    """How long a certificate is valid from its issue (settings.CREDIT_CERTIFICATE_VALID_DAYS)."""
    return settings.CREDIT_CERTIFICATE_VALID_DAYS


# --- reads: who sees which certificate; the firm's current grade; each certificate's state ----


def can_hold_certificates(user: User) -> bool:
    """The certificate pages: the bureau (all of them) and a firm (its own)."""
    return is_bureau(user) or (
        is_signed_in(user) and user.role == Role.FIRM and user.firm_id is not None
    )


def certificates_for_user(*, user: User) -> QuerySet[CreditCertificate]:
    queryset = CreditCertificate.objects.select_related("firm", "version").defer(
        "version__content", "version__change_note"
    )
    if is_bureau(user):
        return queryset
    if can_hold_certificates(user):
        return queryset.filter(firm_id=user.firm_id)
    return queryset.none()


def certificates_matching(
    queryset: QuerySet[CreditCertificate], *, search: str
) -> QuerySet[CreditCertificate]:
    """The certificates whose firm's name or credit code holds `search`, or whose code it is."""
    if not search:
        return queryset
    match = Q(firm__name__icontains=search) | Q(firm__credit_code__icontains=search)
    code = code_normalize(search)
    if code:
        match |= Q(code=code)
    return queryset.filter(match)


def certificate_get_for_user(*, user: User, pk: int) -> CreditCertificate:
    try:
        return certificates_for_user(user=user).get(pk=pk)
    except CreditCertificate.DoesNotExist:
        raise Http404(_("No such certificate.")) from None


def certificate_history(certificate: CreditCertificate) -> QuerySet:
    return certificate.history.select_related("history_user").order_by(
        "-history_date", "-history_id"
    )


@dataclass(frozen=True)
class PublishedGrade:
    """A firm's grade in the newest published version of the lists."""

    version: PublicationVersion
    grade: str

    @property
    def year(self) -> int:
        return self.version.publication.year


def current_published_grade(*, firm_id: int) -> PublishedGrade | None:
    """The firm's grade in the newest published version (the latest year's latest version),
    or None when that version does not rate it: a grade of an older list is no longer the
    firm's current grade. The cached list of versions and one query."""
    versions = selectors.published_versions()
    if not versions:
        return None
    newest = versions[0]
    grade = (
        Rating.objects.filter(firm_id=firm_id, run__publication_versions=newest.pk)
        .values_list("grade", flat=True)
        .first()
    )
    return PublishedGrade(version=newest, grade=grade) if grade else None


def certificate_state(
    certificate: CreditCertificate, *, superseded: bool, now: dt.datetime
) -> CertificateState:
    """Revoked by the bureau, else superseded by a newer list, else expired, else valid."""
    if certificate.is_revoked:
        return CertificateState.REVOKED
    if superseded:
        return CertificateState.SUPERSEDED
    if now >= certificate.valid_until:
        return CertificateState.EXPIRED
    return CertificateState.VALID


def certificates_with_state(
    certificates: Iterable[CreditCertificate], *, now: dt.datetime
) -> list[CreditCertificate]:
    """The certificates, each with its `state` and `superseded_by` (the first published
    version after its own that gives its firm another grade or leaves the firm out, or None).
    The cached list of versions and one query, however many certificates."""
    certificates = list(certificates)
    versions = selectors.published_versions()  # newest first
    position = {version.pk: i for i, version in enumerate(versions)}

    def newer(certificate: CreditCertificate) -> list[PublicationVersion]:
        return versions[: position.get(certificate.version_id, 0)]

    wanted = {version.pk for certificate in certificates for version in newer(certificate)}
    grades: dict[tuple[int, int], str | None] = {}
    if wanted:
        rows = Rating.objects.filter(
            firm_id__in={c.firm_id for c in certificates}, run__publication_versions__in=wanted
        ).values_list("firm_id", "run__publication_versions", "grade")
        grades = {(firm_id, version_id): grade for firm_id, version_id, grade in rows}
    for certificate in certificates:
        certificate.superseded_by = next(
            (
                version
                for version in reversed(newer(certificate))  # the oldest newer one first
                if grades.get((certificate.firm_id, version.pk)) != certificate.grade
            ),
            None,
        )
        certificate.state = certificate_state(
            certificate, superseded=certificate.superseded_by is not None, now=now
        )
    return certificates


class CodeProblem:
    """Why a code shows no certificate (the page says which)."""

    MALFORMED = "malformed"  # not 20 characters of the alphabet
    ALTERED = "altered"  # its check characters do not match: mistyped or made up
    UNKNOWN = "unknown"  # well-formed, but no certificate has it


@dataclass(frozen=True)
class Verification:
    """What the public page answers for a code: a certificate and its state, or a problem."""

    code: str  # as displayed when well-formed, else ""
    certificate: CreditCertificate | None = None
    problem: str = ""

    @property
    def state(self) -> str:
        return self.certificate.state if self.certificate else ""


def certificate_verify(*, text: str, now: dt.datetime) -> Verification:
    """The certificate a typed or linked code names, with its state; at most two queries."""
    code = code_normalize(text)
    if code is None:
        return Verification(code="", problem=CodeProblem.MALFORMED)
    certificate = (
        CreditCertificate.objects.select_related("firm", "version")
        .defer("version__content", "version__change_note")
        .filter(code=code)
        .first()
    )
    if certificate is None:
        problem = CodeProblem.UNKNOWN if code_checks_out(code) else CodeProblem.ALTERED
        return Verification(code=code_display(code), problem=problem)
    certificates_with_state([certificate], now=now)
    return Verification(code=code_display(code), certificate=certificate)


def verify_path(code: str) -> str:
    return reverse("credit:certificate_verify", args=[code_display(code)])


def certificate_qr_payload(certificate: CreditCertificate, *, base_url: str) -> str:
    """What the certificate's QR code encodes: the absolute address of its public page."""
    return base_url.rstrip("/") + verify_path(certificate.code)


# --- writes ----------------------------------------------------------------------------------


@transaction.atomic
def certificate_issue(
    *, user: User | None, firm: Firm, now: dt.datetime | None = None
) -> CreditCertificate:
    """A certificate of the firm's grade in the newest published version, issued by the firm's
    own account (or the system: user None), valid for valid_days()."""
    if user is not None and not (
        is_signed_in(user) and user.role == Role.FIRM and user.firm_id == firm.pk
    ):
        raise ValidationError(
            _("Only the firm's own account may issue its credit certificate."), code="not_own_firm"
        )
    current = current_published_grade(firm_id=firm.pk)
    if current is None:
        raise ValidationError(
            _(
                "Your firm has no credit grade in the latest published red and black list: "
                "there is no grade to certify."
            ),
            code="no_published_grade",
        )
    now = now or timezone.now()
    certificate = CreditCertificate(
        firm=firm,
        version=current.version,
        year=current.year,
        grade=current.grade,
        code=certificate_code_new(),
        issued_at=now,
        issued_by=user,
        valid_until=now + dt.timedelta(days=valid_days()),
    )
    return record_save(certificate, user=user, reason=CERTIFICATE_ISSUED_REASON)


@transaction.atomic
def certificate_revoke(
    *, user: User, certificate: CreditCertificate, reason: str, now: dt.datetime | None = None
) -> CreditCertificate:
    """The bureau withdraws a certificate, saying why; its public page shows it revoked."""
    if not is_bureau(user):
        raise ValidationError(_("Only bureau staff may revoke a certificate."), code="not_bureau")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            {
                "reason": ValidationError(
                    _("Give the reason for revoking the certificate."), code="reason_required"
                )
            }
        )
    # Two clerks revoking at once: the second waits for the first and is refused, instead of
    # writing its own reason and time over the first one's.
    locked = CreditCertificate.objects.select_for_update().get(pk=certificate.pk)
    if locked.is_revoked:
        raise ValidationError(_("This certificate was revoked already."), code="already_revoked")
    locked.revoked_at = now or timezone.now()
    locked.revoked_by = user
    locked.revoke_reason = reason
    selectors.public_pages_changed()  # its public page, kept in the shared cache, says revoked
    return record_save(locked, user=user, reason=CERTIFICATE_REVOKED_REASON)
