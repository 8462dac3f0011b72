"""A reply as a PDF laid out as the formal document (metadata header, title, 发文字号, sections
per point, signature, contact line).

reportlab with its built-in CID font STSong-Light: Chinese renders with no font file and no
system package (the PDF viewer supplies the glyphs, as Adobe's Asian font packs define).
"""

from __future__ import annotations

from io import BytesIO
from xml.sax.saxutils import escape

from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from .models import Reply
from .templatetags.proposals_tags import cn_numeral

FONT = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(FONT))

_BASE = ParagraphStyle("base", fontName=FONT, fontSize=12, leading=21, wordWrap="CJK")
STYLES = {
    "meta": ParagraphStyle("meta", parent=_BASE, fontSize=9, leading=13),
    "title": ParagraphStyle(
        "title", parent=_BASE, fontSize=18, leading=28, alignment=TA_CENTER, spaceAfter=6
    ),
    "doc_no": ParagraphStyle("doc_no", parent=_BASE, alignment=TA_CENTER, spaceAfter=14),
    "draft": ParagraphStyle(
        "draft", parent=_BASE, alignment=TA_CENTER, textColor=colors.HexColor("#b02a37")
    ),
    "plain": _BASE,
    "body": ParagraphStyle("body", parent=_BASE, firstLineIndent=24, spaceAfter=4),
    "heading": ParagraphStyle("heading", parent=_BASE, spaceBefore=8, spaceAfter=4),
    "follow_up": ParagraphStyle("follow_up", parent=_BASE, fontSize=9, leading=13),
    "signature": ParagraphStyle("signature", parent=_BASE, alignment=TA_RIGHT),
}


def _p(text: str, style: str) -> Paragraph:
    return Paragraph(escape(text), STYLES[style])


def _paragraphs(text: str, style: str = "body") -> list[Paragraph]:
    return [_p(line.strip(), style) for line in text.splitlines() if line.strip()]


def _date(value) -> str:
    return f"{value.year}年{value.month}月{value.day}日" if value else ""


def _metadata(reply: Reply) -> Table:
    def cell(text: str) -> Paragraph:
        return _p(text or "—", "meta")

    written = reply.written_on.isoformat() if reply.written_on else ""
    published = reply.published_on.isoformat() if reply.published_on else ""
    rows = [
        [cell(_("Index number")), cell(reply.index_no)]
        + [cell(_("Classification")), cell(reply.classification)],
        [cell(_("Issuing organ")), cell(reply.issuing_organ)]
        + [cell(_("Date written")), cell(written)],
        [cell(_("Title")), cell(reply.title), "", ""],
        [cell(_("Document number")), cell(reply.doc_no)]
        + [cell(_("Date published")), cell(published)],
    ]
    table = Table(rows, colWidths=[2.4 * cm, 5.6 * cm, 2.4 * cm, 5.6 * cm])
    table.setStyle(
        TableStyle(
            [
                ("BOX", (0, 0), (-1, -1), 0.5, colors.HexColor("#c9d3e0")),
                ("BACKGROUND", (0, 0), (-1, -1), colors.HexColor("#f6f9fc")),
                ("TEXTCOLOR", (0, 0), (0, -1), colors.HexColor("#555555")),
                ("SPAN", (1, 2), (3, 2)),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return table


def reply_pdf(reply: Reply, *, draft: bool) -> bytes:
    """The reply document as PDF bytes (sections come prefetched with their points)."""
    story: list = [_metadata(reply), Spacer(1, 0.8 * cm)]
    if draft:
        story.append(_p(_("DRAFT – not signed off"), "draft"))
    story.append(_p(reply.title or reply.proposal.title, "title"))
    if reply.doc_no:
        story.append(_p(reply.doc_no, "doc_no"))
    if reply.salutation:
        story.append(_p(reply.salutation, "plain"))
    story += _paragraphs(reply.opening)
    for number, section in enumerate(reply.sections.all(), start=1):
        story.append(_p(f"{cn_numeral(number)}、{section.point.title}", "heading"))
        story += _paragraphs(section.body)
        if section.follow_up_url:
            target = getattr(section, "follow_up_title", None) or section.follow_up_url
            label = f"{section.follow_up_label} — " if section.follow_up_label else ""
            story.append(_p(f"{_('Follow-up')}: {label}{target}", "follow_up"))
    story += _paragraphs(reply.closing)
    story += [
        Spacer(1, 1 * cm),
        _p(reply.issuing_organ, "signature"),
        _p(_date(reply.written_on), "signature"),
    ]
    if reply.contact_name:
        story += [
            Spacer(1, 0.6 * cm),
            _p(
                f"{_('Contact')}: {reply.contact_name}    {_('Phone')}: {reply.contact_phone}",
                "plain",
            ),
        ]
    buffer = BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=2.6 * cm,
        rightMargin=2.6 * cm,
        topMargin=2.5 * cm,
        bottomMargin=2.5 * cm,
        title=reply.title or reply.proposal.title,
        author=reply.issuing_organ,
    )
    document.build(story)
    return buffer.getvalue()
