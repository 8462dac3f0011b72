"""A credit certificate printed as a PDF: the firm, its grade, year and validity, the
verification code and a QR code of the public address that checks it.

reportlab with its built-in CID font STSong-Light, as proposals/pdf.py: Chinese renders with
no font file. The QR code is drawn as squares from segno's matrix (no image library)."""

from __future__ import annotations

from io import BytesIO
from xml.sax.saxutils import escape

import segno
from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from portal.templatetags.portal_tags import portal_date

from .models import CertificateState, CreditCertificate
from .services.certificates import certificate_qr_payload

FONT = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(FONT))

_BASE = ParagraphStyle("certificate", fontName=FONT, fontSize=12, leading=21, wordWrap="CJK")
_STYLES = {
    "title": ParagraphStyle(
        "certificate-title", parent=_BASE, fontSize=22, leading=32, alignment=TA_CENTER
    ),
    "state": ParagraphStyle(
        "certificate-state",
        parent=_BASE,
        fontSize=14,
        alignment=TA_CENTER,
        textColor=colors.HexColor("#b02a37"),
    ),
    "body": ParagraphStyle("certificate-body", parent=_BASE, firstLineIndent=24),
    "cell": _BASE,
    "small": ParagraphStyle("certificate-small", parent=_BASE, fontSize=9, leading=13),
    "center": ParagraphStyle("certificate-center", parent=_BASE, alignment=TA_CENTER),
}


def _p(text: str, style: str) -> Paragraph:
    return Paragraph(escape(text), _STYLES[style])


class QrCode(Flowable):
    """A QR code drawn as rectangles, one per dark module (no image library needed)."""

    def __init__(self, payload: str, *, size: float) -> None:
        super().__init__()
        self.matrix = segno.make(payload, error="m").matrix
        self.size = size

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.size, self.size

    def draw(self) -> None:
        quiet = 4  # modules of white around the code, as readers expect
        count = len(self.matrix)
        module = self.size / (count + 2 * quiet)
        self.canv.setFillColor(colors.black)
        for row, line in enumerate(self.matrix):
            for column, dark in enumerate(line):
                if dark:
                    x = (column + quiet) * module
                    y = self.size - (row + quiet + 1) * module  # PDF's y grows upwards
                    self.canv.rect(x, y, module, module, stroke=0, fill=1)


def certificate_pdf(certificate: CreditCertificate, *, base_url: str) -> bytes:
    """The certificate as an A4 PDF: the firm, its grade, year and validity, the code and the
    QR code of its public page. A certificate no longer valid says so across its top. The
    code is also the PDF's keywords, readable by a machine."""
    url = certificate_qr_payload(certificate, base_url=base_url)
    firm = certificate.firm
    state = getattr(certificate, "state", CertificateState.VALID)
    story: list = []
    if state != CertificateState.VALID:
        story += [_p(CertificateState(state).label, "state"), Spacer(1, 0.3 * cm)]
    story += [
        _p(_("Credit grade certificate"), "title"),
        Spacer(1, 0.8 * cm),
        _p(
            _(
                "In the credit rating of property service firms for %(year)s, as published by "
                "the %(bureau)s, %(firm)s was rated grade %(grade)s."
            )
            % {
                "year": certificate.year,
                "bureau": settings.BUREAU_NAME,
                "firm": firm.name,
                "grade": certificate.grade,
            },
            "body",
        ),
        Spacer(1, 0.6 * cm),
    ]
    rows = [
        (_("Firm"), firm.name),
        (_("Unified social credit code"), firm.credit_code),
        (_("Credit grade"), certificate.grade),
        (_("Rating year"), str(certificate.year)),
        (
            _("Published list"),
            _("Red and black list %(year)s, version %(n)s")
            % {"year": certificate.year, "n": certificate.version.number},
        ),
        (pgettext("certificate", "Issued"), portal_date(certificate.issued_at)),
        (_("Valid until"), portal_date(certificate.valid_until)),
        (_("Verification code"), certificate.display_code),
    ]
    table = Table(
        [[_p(label, "cell"), _p(value, "cell")] for label, value in rows],
        colWidths=[5 * cm, 10.8 * cm],
    )
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#c9d3e0")),
                ("BACKGROUND", (0, 0), (0, -1), colors.HexColor("#f6f9fc")),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ]
        )
    )
    qr = Table([[QrCode(url, size=4 * cm)]], colWidths=[15.8 * cm])
    qr.setStyle(TableStyle([("ALIGN", (0, 0), (-1, -1), "CENTER")]))
    story += [
        table,
        Spacer(1, 0.8 * cm),
        qr,
        _p(_("Scan the code or open this address to check the certificate:"), "center"),
        _p(url, "center"),
        Spacer(1, 0.4 * cm),
        _p(
            _(
                "The certificate holds while its public page says it is valid: the bureau may "
                "revoke it, and a newer published list that changes the grade supersedes it."
            ),
            "small",
        ),
    ]
    buffer = BytesIO()
    SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=2.6 * cm,
        rightMargin=2.6 * cm,
        topMargin=2.5 * cm,
        bottomMargin=2.5 * cm,
        title=_("Credit grade certificate"),
        author=settings.BUREAU_NAME,
        subject=firm.credit_code,
        keywords=certificate.display_code,
    ).build(story)
    return buffer.getvalue()
