"""A reply as a PDF laid out as the formal document (metadata header, title, 发文字号, sections
per point, signature, contact line).

reportlab with its built-in CID font STSong-Light: Chinese renders with no font file and no
system package (the PDF viewer supplies the glyphs, as Adobe's Asian font packs define).

Drawing takes a while (tens of milliseconds) and the public PDF is fetched by anyone: each
version of a reply is drawn once and kept in the cache (reply_pdf).
"""

from __future__ import annotations

import hashlib
import json
from io import BytesIO
from xml.sax.saxutils import escape

from django.conf import settings
from django.core.cache import cache
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


# Bump when draw() changes what it makes of a document: the PDFs cached in the old layout are
# then drawn anew.
LAYOUT = 1


def reply_document(reply: Reply, *, draft: bool) -> dict:
    """Every text the PDF of `reply` shows, in the active language, as plain data: the PDF is
    drawn from this alone, so its digest names the PDF's version."""
    written = reply.written_on.isoformat() if reply.written_on else ""
    published = reply.published_on.isoformat() if reply.published_on else ""
    sections = []
    for number, section in enumerate(reply.sections.all(), start=1):
        follow_up = ""
        if section.follow_up_url:
            target = getattr(section, "follow_up_title", None) or section.follow_up_url
            label = f"{section.follow_up_label} — " if section.follow_up_label else ""
            follow_up = f"{_('Follow-up')}: {label}{target}"
        sections.append(
            {
                "heading": f"{cn_numeral(number)}、{section.point.title}",
                "body": section.body,
                "follow_up": follow_up,
            }
        )
    contact = ""
    if reply.contact_name:
        contact = f"{_('Contact')}: {reply.contact_name}    {_('Phone')}: {reply.contact_phone}"
    return {
        "layout": LAYOUT,
        "metadata": [
            [_("Index number"), reply.index_no, _("Classification"), reply.classification],
            [_("Issuing organ"), reply.issuing_organ, _("Date written"), written],
            [_("Title"), reply.title],
            [_("Document number"), reply.doc_no, _("Date published"), published],
        ],
        "draft": _("DRAFT – not signed off") if draft else "",
        "title": reply.title or reply.proposal.title,
        "doc_no": reply.doc_no,
        "salutation": reply.salutation,
        "opening": reply.opening,
        "sections": sections,
        "closing": reply.closing,
        "issuing_organ": reply.issuing_organ,
        "written_on": _date(reply.written_on),
        "contact": contact,
    }


def reply_pdf(reply: Reply, *, draft: bool) -> bytes:
    """The reply document as PDF bytes (sections come prefetched with their points), drawn once
    per version: cached under the digest of everything it shows. A change to the reply, to a
    section, to a point's title, to the title a follow-up link shows (kept in other rows) or to
    the language gives another digest, and so a new drawing; nothing has to be forgotten."""
    document = reply_document(reply, draft=draft)
    canonical = json.dumps(document, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    digest = hashlib.sha256(canonical.encode()).hexdigest()
    key = f"proposals:reply-pdf:{reply.pk}:{digest}"
    body = cache.get(key)
    if body is None:
        body = draw(document)
        cache.set(key, body, settings.PROPOSALS_PDF_CACHE_SECONDS)
    return body


def _metadata(rows: list[list[str]]) -> Table:
    def cell(text: str) -> Paragraph:
        return _p(text or "—", "meta")

    cells = [[cell(text) for text in row] + [""] * (4 - len(row)) for row in rows]
    table = Table(cells, colWidths=[2.4 * cm, 5.6 * cm, 2.4 * cm, 5.6 * cm])
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


def draw(document: dict) -> bytes:
    """The PDF of a reply_document(): metadata header, title, 发文字号, a section per point,
    signature, contact line."""
    story: list = [_metadata(document["metadata"]), Spacer(1, 0.8 * cm)]
    if document["draft"]:
        story.append(_p(document["draft"], "draft"))
    story.append(_p(document["title"], "title"))
    if document["doc_no"]:
        story.append(_p(document["doc_no"], "doc_no"))
    if document["salutation"]:
        story.append(_p(document["salutation"], "plain"))
    story += _paragraphs(document["opening"])
    for section in document["sections"]:
        story.append(_p(section["heading"], "heading"))
        story += _paragraphs(section["body"])
        if section["follow_up"]:
            story.append(_p(section["follow_up"], "follow_up"))
    story += _paragraphs(document["closing"])
    story += [
        Spacer(1, 1 * cm),
        _p(document["issuing_organ"], "signature"),
        _p(document["written_on"], "signature"),
    ]
    if document["contact"]:
        story += [Spacer(1, 0.6 * cm), _p(document["contact"], "plain")]
    buffer = BytesIO()
    pdf = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=2.6 * cm,
        rightMargin=2.6 * cm,
        topMargin=2.5 * cm,
        bottomMargin=2.5 * cm,
        title=document["title"],
        author=document["issuing_organ"],
    )
    pdf.build(story)
    return buffer.getvalue()
