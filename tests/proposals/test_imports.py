"""Proposals imported from a spreadsheet: all or nothing, re-import a no-op, bureau only."""

from __future__ import annotations

import csv
import datetime as dt
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from portal.imports import run_import
from proposals import services
from proposals.imports import ProposalImporter
from proposals.models import Proposal, SuggestionPoint

pytestmark = pytest.mark.django_db

URL = reverse("proposals:proposal_import")
HEADER = ["类别", "届次", "编号", "标题", "提案人", "收到日期", "全文", "建议要点"]
ROWS = [
    [
        "政协提案",
        "十四届三次会议",
        "第084号",
        "关于促进物业企业高质量发展的建议",
        "杨娜、李强",
        "2024-03-11",
        "提案全文。",
        "加强信用管理\n完善维修资金使用\n推进红心物业",
    ],
    [
        "npc",
        "十七届四次会议",
        "12",
        "关于老旧小区物业服务的建议",
        "王芳",
        "2024-03-20",
        "全文。",
        "引入专业物业",
    ],
]


def csv_bytes(rows: list[list]) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode("utf-8-sig")


def xlsx_path(tmp_path, rows: list[list]):
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    path = tmp_path / "proposals.xlsx"
    book.save(path)
    return path


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_import_creates_proposals_with_proposers_points_and_deadline(tmp_path, bureau_user):
    result = run_import(ProposalImporter(user=bureau_user), xlsx_path(tmp_path, [HEADER, *ROWS]))
    assert result.applied and result.created == 2
    proposal = Proposal.objects.get(kind="cppcc", session="十四届三次会议", number=84)
    assert [p.name for p in proposal.proposers.all()] == ["杨娜", "李强"]
    assert [p.title for p in proposal.points.all()] == [
        "加强信用管理",
        "完善维修资金使用",
        "推进红心物业",
    ]
    assert proposal.reply_due == dt.date(2024, 6, 11)
    assert proposal.history.first().history_user == bureau_user


def test_reimporting_the_same_file_changes_nothing(tmp_path, bureau_user):
    path = xlsx_path(tmp_path, [HEADER, *ROWS])
    run_import(ProposalImporter(user=bureau_user), path)
    histories = Proposal.history.count() + SuggestionPoint.history.count()
    result = run_import(ProposalImporter(user=bureau_user), path)
    assert result.applied and (result.created, result.updated, result.unchanged) == (0, 0, 2)
    assert Proposal.history.count() + SuggestionPoint.history.count() == histories


def test_a_bad_file_writes_nothing_and_names_every_wrong_cell(tmp_path, bureau_user):
    bad = [
        HEADER,
        ROWS[0],
        ["委员", "十四届三次会议", "八十", "标题", "张三", "2024-13-01", "全文", ""],
        ROWS[0],  # the same key again
    ]
    result = run_import(ProposalImporter(user=bureau_user), xlsx_path(tmp_path, bad))
    assert not result.applied
    assert {(e.row, e.column, e.code) for e in result.errors} == {
        (3, "kind", "invalid_kind"),
        (3, "number", "invalid_number"),
        (3, "received_on", "invalid"),
        (3, "points", "required"),
        (4, "kind", "duplicate_key"),
    }
    assert Proposal.objects.count() == 0


def test_a_correction_applies_before_assignment_and_is_refused_after(
    tmp_path, bureau_user, division
):
    run_import(ProposalImporter(user=bureau_user), xlsx_path(tmp_path, [HEADER, *ROWS]))
    corrected = [HEADER, [*ROWS[0][:3], "新标题", *ROWS[0][4:7], "一条建议"], ROWS[1]]
    result = run_import(ProposalImporter(user=bureau_user), xlsx_path(tmp_path, corrected))
    assert result.applied and result.updated == 1
    proposal = Proposal.objects.get(number=84)
    assert proposal.title == "新标题"
    assert [p.title for p in proposal.points.all()] == ["一条建议"]

    services.proposal_assign(user=bureau_user, proposal=proposal, lead_division=division)
    again = [HEADER, [*ROWS[0][:3], "再改标题", *ROWS[0][4:]], ROWS[1]]
    result = run_import(ProposalImporter(user=bureau_user), xlsx_path(tmp_path, again))
    assert not result.applied and [e.code for e in result.errors] == ["invalid_state"]
    assert Proposal.objects.get(number=84).title == "新标题"


def test_command_imports_and_a_bad_file_fails_writing_nothing(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_bytes(csv_bytes([HEADER, ROWS[0], ["x", "s", "1", "t", "n", "2024-01-01", "t", "p"]]))
    with pytest.raises(CommandError):
        call_command("import_proposals", str(bad), stderr=io.StringIO())
    assert Proposal.objects.count() == 0
    out = io.StringIO()
    call_command("import_proposals", str(xlsx_path(tmp_path, [HEADER, *ROWS])), stdout=out)
    assert Proposal.objects.count() == 2


def test_browser_upload_preview_confirm(client_of, bureau_user):
    client = client_of(bureau_user)
    upload = SimpleUploadedFile("proposals.csv", csv_bytes([HEADER, *ROWS]))
    response = client.post(URL, {"action": "upload", "file": upload})
    assert response.status_code == 302
    response = client.get(response["Location"])
    assert response.status_code == 200 and response.context["result"].created == 2
    assert Proposal.objects.count() == 0
    token = client.session["import:proposals"]["token"]
    response = client.post(URL, {"action": "confirm", "token": token})
    assert response.status_code == 302
    assert Proposal.objects.count() == 2


def test_browser_import_is_for_bureau_staff_only(client_of, street_officer):
    client = client_of(street_officer)
    assert client.get(URL).status_code == 403
    upload = SimpleUploadedFile("proposals.csv", csv_bytes([HEADER, *ROWS]))
    assert client.post(URL, {"action": "upload", "file": upload}).status_code == 403
    assert Proposal.objects.count() == 0
