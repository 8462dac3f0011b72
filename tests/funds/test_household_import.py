"""Households (分户账) from a spreadsheet: all or nothing, deposits posted, re-import a no-op."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from funds.imports import HouseholdImporter
from funds.models import Entry, FundAccount, Household, Posting
from funds.selectors import ledger_mismatches
from portal.imports import run_import

D = Decimal

GOOD = (
    "building,unit,room,floor_area,owner_name,initial_deposit\n"
    "1,1,101,90.00,张三丰,9000.00\n"
    "1,1,102,110.50,李四,11050.00\n"
    "2,,201,75.25,王小明,0\n"
)
# Row 3: a floor area with 3 decimals; row 4: a negative deposit; row 5 repeats row 2's key.
BAD = (
    "building,unit,room,floor_area,owner_name,initial_deposit\n"
    "1,1,101,90.00,张三丰,9000.00\n"
    "1,1,102,110.505,李四,11050.00\n"
    "1,1,103,80,王五,-1\n"
    "1,1,101,90.00,张三丰,9000.00\n"
)
CHINESE = "楼栋,单元,房号,建筑面积,业主姓名,初始交存额\n3,1,301,100,赵六,10000.00\n"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _file(tmp_path, text: str, name: str = "households.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_import_opens_the_account_and_posts_initial_deposits(tmp_path, compound_a, bureau_user):
    result = run_import(
        HouseholdImporter(compound=compound_a, user=bureau_user), _file(tmp_path, GOOD)
    )
    assert result.applied and (result.created, result.updated) == (3, 0)
    account = FundAccount.objects.get(compound=compound_a)
    assert account.households.count() == 3
    assert sum(h.balance for h in account.households.all()) == D("20050.00")
    # Two deposits posted (the zero deposit posts nothing), and the ledger adds up.
    assert Posting.objects.filter(account=account, kind="deposit").count() == 2
    assert ledger_mismatches(account=account) == []
    assert Household.objects.get(room="201").unit == ""


def test_bad_file_writes_nothing_and_lists_every_bad_row(tmp_path, compound_a, bureau_user):
    result = run_import(
        HouseholdImporter(compound=compound_a, user=bureau_user), _file(tmp_path, BAD)
    )
    assert not result.applied
    found = {(e.row, e.column, e.code) for e in result.errors}
    assert (3, "floor_area", "max_decimal_places") in found
    assert (4, "initial_deposit", "min_value") in found
    assert (5, "building", "duplicate_key") in found
    assert not FundAccount.objects.exists() and not Household.objects.exists()
    assert not Entry.objects.exists()


def test_reimport_is_a_no_op(tmp_path, compound_a, bureau_user):
    path = _file(tmp_path, GOOD)
    run_import(HouseholdImporter(compound=compound_a, user=bureau_user), path)
    postings = Posting.objects.count()
    histories = Household.history.count()
    result = run_import(HouseholdImporter(compound=compound_a, user=bureau_user), path)
    assert result.applied and (result.created, result.updated, result.unchanged) == (0, 0, 3)
    assert Posting.objects.count() == postings and Household.history.count() == histories


def test_a_changed_owner_updates_but_a_changed_deposit_is_refused(
    tmp_path, compound_a, bureau_user
):
    run_import(HouseholdImporter(compound=compound_a, user=bureau_user), _file(tmp_path, GOOD))
    renamed = GOOD.replace("李四", "李思")
    result = run_import(
        HouseholdImporter(compound=compound_a, user=bureau_user), _file(tmp_path, renamed)
    )
    assert result.applied and result.updated == 1
    assert Household.objects.get(room="102").owner_name == "李思"
    redeposit = renamed.replace("9000.00", "9500.00")
    result = run_import(
        HouseholdImporter(compound=compound_a, user=bureau_user), _file(tmp_path, redeposit)
    )
    assert not result.applied
    assert [(e.row, e.column, e.code) for e in result.errors] == [
        (2, "initial_deposit", "deposit_changed")
    ]
    assert Household.objects.get(room="101").initial_deposit == D("9000.00")


def test_command_imports_chinese_headers_and_rejects_bad_files(tmp_path, compound_a, capsys):
    call_command("import_households", compound_a.code, str(_file(tmp_path, CHINESE)))
    assert Household.objects.get(room="301").balance == D("10000.00")
    with pytest.raises(CommandError):
        call_command("import_households", compound_a.code, str(_file(tmp_path, BAD, "bad.csv")))
    assert Household.objects.count() == 1
    with pytest.raises(CommandError):
        call_command("import_households", "NO-SUCH", str(_file(tmp_path, GOOD)))


def test_browser_upload_preview_and_confirm(client_of, account_a, bureau_user):
    client = client_of(bureau_user)
    url = reverse("funds:household_import", args=[account_a.pk])
    assert client.get(url).status_code == 200
    extra = (
        GOOD.replace("1,1,101", "9,1,101").replace("1,1,102", "9,1,102").replace("2,,201", "9,,201")
    )
    upload = SimpleUploadedFile("h.csv", extra.encode("utf-8"), content_type="text/csv")
    response = client.post(url, {"action": "upload", "file": upload})
    assert response.status_code == 302
    preview = client.get(url + "?step=preview")
    assert preview.context["result"].created == 3
    assert account_a.households.count() == 5  # nothing written by the preview
    token = client.session[f"import:households-{account_a.compound_id}"]["token"]
    client.post(url, {"action": "confirm", "token": token})
    assert account_a.households.count() == 8


def test_only_bureau_may_import(client_of, account_a, street_officer, firm_user):
    url = reverse("funds:household_import", args=[account_a.pk])
    for user in (street_officer, firm_user):
        assert client_of(user).get(url).status_code == 403
