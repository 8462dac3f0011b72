from __future__ import annotations

import csv
import datetime as dt
import io
import time
from decimal import Decimal

import openpyxl
import pytest
from django.core.management import call_command, execute_from_command_line
from django.core.management.base import CommandError
from django.utils import timezone

from companies.imports import CompoundImporter, FirmImporter
from companies.models import Compound, Firm, Management
from portal.imports import run_import
from portal.models import Community, District, Street

from ..factories import CompoundFactory, FirmFactory, make_credit_code

pytestmark = pytest.mark.django_db

FIRM_HEADER = ["credit_code", "name", "legal_representative", "phone", "address"]
FIRM_HEADER_ZH = ["统一社会信用代码", "企业名称", "法定代表人", "联系电话", "地址"]
COMPOUND_HEADER = [
    "code",
    "name",
    "district",
    "street",
    "community",
    "households",
    "floor_area",
    "firm_credit_code",
    "owners_committee",
    "party_org",
    "red_heart_year",
]
CODE_1, CODE_2, CODE_3 = (
    make_credit_code(900001),
    make_credit_code(900002),
    make_credit_code(900003),
)


def csv_file(tmp_path, rows: list[list], encoding: str = "utf-8", name: str = "data.csv"):
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    path = tmp_path / name
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def xlsx_file(tmp_path, rows: list[list], name: str = "data.xlsx"):
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    path = tmp_path / name
    workbook.save(path)
    return path


def firm_rows() -> list[list]:
    return [
        FIRM_HEADER,
        [CODE_1, "东方物业服务有限公司", "张三", "0432-1234567", "吉林市昌邑区"],
        [CODE_2.lower(), "西山物业服务有限公司", "", "", ""],
    ]


def compound_row(code="XQ001", /, **overrides) -> list:
    row = {
        "code": code,
        "name": f"小区{code}",
        "district": "昌邑区",
        "street": "延安街道",
        "community": "东山社区",
        "households": "320",
        "floor_area": "25800.50",
        "firm_credit_code": "",
        "owners_committee": "是",
        "party_org": "0",
        "red_heart_year": "",
        **overrides,
    }
    return [row[column] for column in COMPOUND_HEADER]


def error_places(result) -> set[tuple]:
    return {(error.row, error.column) for error in result.errors}


# --- firms -----------------------------------------------------------------------------------


def test_firms_import_creates_firms_and_history_names_the_importer(tmp_path, bureau_user):
    result = run_import(FirmImporter(user=bureau_user), csv_file(tmp_path, firm_rows()))
    assert result.applied and (result.created, result.updated, result.unchanged) == (2, 0, 0)
    firm = Firm.objects.get(credit_code=CODE_2)  # normalised to upper case
    assert firm.name == "西山物业服务有限公司"
    assert firm.history.get().history_user == bureau_user


def test_chinese_header_and_gb18030_are_accepted(tmp_path):
    rows = [FIRM_HEADER_ZH, *firm_rows()[1:]]
    result = run_import(FirmImporter(), csv_file(tmp_path, rows, encoding="gb18030"))
    assert result.applied, result.errors
    assert Firm.objects.filter(credit_code=CODE_1, legal_representative="张三").exists()


def test_reimporting_the_same_file_changes_nothing(tmp_path):
    path = csv_file(tmp_path, firm_rows(), encoding="utf-8-sig")
    run_import(FirmImporter(), path)
    history_before = Firm.history.count()
    updated_at = Firm.objects.get(credit_code=CODE_1).updated_at

    result = run_import(FirmImporter(), path)
    assert (result.created, result.updated, result.unchanged) == (0, 0, 2)
    assert Firm.history.count() == history_before
    assert Firm.objects.get(credit_code=CODE_1).updated_at == updated_at


def test_a_row_whose_key_exists_updates_it_and_the_plan_shows_before_and_after(tmp_path):
    FirmFactory(credit_code=CODE_1, name="旧名称")
    result = run_import(FirmImporter(), csv_file(tmp_path, firm_rows()))
    assert (result.created, result.updated) == (1, 1)
    update = next(plan for plan in result.rows if plan.action == "update")
    name_change = next(change for change in update.changes if change.column == "name")
    assert (name_change.before, name_change.after) == ("旧名称", "东方物业服务有限公司")
    assert Firm.objects.get(credit_code=CODE_1).name == "东方物业服务有限公司"


def test_optional_columns_left_out_are_left_alone(tmp_path):
    FirmFactory(credit_code=CODE_1, name="东方物业服务有限公司", phone="110")
    result = run_import(
        FirmImporter(),
        csv_file(tmp_path, [["credit_code", "name"], [CODE_1, "东方物业服务有限公司"]]),
    )
    assert result.unchanged == 1
    assert Firm.objects.get(credit_code=CODE_1).phone == "110"


def test_one_bad_row_writes_nothing_and_every_bad_row_is_listed(tmp_path):
    rows = [
        FIRM_HEADER,
        [CODE_1, "好企业", "", "", ""],
        [CODE_2[:-1] + ("0" if CODE_2[-1] != "0" else "1"), "校验位错误", "", "", ""],
        [CODE_3, "", "", "", ""],
        ["123", "太短", "", "", ""],
    ]
    result = run_import(FirmImporter(), csv_file(tmp_path, rows))
    assert not result.applied
    assert error_places(result) == {(3, "credit_code"), (4, "name"), (5, "credit_code")}
    assert Firm.objects.count() == 0


def test_a_key_repeated_in_the_file_is_refused(tmp_path):
    rows = [FIRM_HEADER, [CODE_1, "甲", "", "", ""], [CODE_1.lower(), "乙", "", "", ""]]
    result = run_import(FirmImporter(), csv_file(tmp_path, rows))
    assert error_places(result) == {(3, "credit_code")}
    assert result.errors[0].code == "duplicate_key"
    assert "2" in result.errors[0].message  # names the first row with that key
    assert Firm.objects.count() == 0


def test_wrong_columns_are_refused_with_the_reason(tmp_path):
    rows = [["credit_code", "firm_name", "phone"], [CODE_1, "甲", ""]]
    result = run_import(FirmImporter(), csv_file(tmp_path, rows))
    by_code = {error.code: error.message for error in result.errors}
    assert by_code.keys() == {"unknown_column", "missing_column"}
    assert "firm_name" in by_code["unknown_column"]
    assert "name" in by_code["missing_column"]
    assert all(error.row == 1 for error in result.errors)
    assert Firm.objects.count() == 0


def test_a_file_that_cannot_be_read_is_a_single_file_error(tmp_path):
    path = tmp_path / "firms.xlsx"
    path.write_bytes(b"credit_code,name\n")
    result = run_import(FirmImporter(), path)
    assert len(result.errors) == 1 and result.errors[0].row is None
    assert result.errors[0].code == "not_workbook"


# --- compounds -------------------------------------------------------------------------------


def test_compounds_from_xlsx_with_numbers_create_areas_once(tmp_path):
    firm = FirmFactory(credit_code=CODE_1)
    rows = [
        COMPOUND_HEADER,
        ["XQ001", "东苑", "昌邑区", "延安街道", "东山社区", 320, 25800.5, CODE_1, 1, True, 2023],
        ["XQ002", "西苑", "昌邑区", "延安街道", "东山社区", 100.0, 9000, "", "否", "no", None],
        # The same street name in another district is another street.
        ["XQ003", "北苑", "船营区", "延安街道", "北山社区", 50, 3000.25, "", "", "", ""],
    ]
    result = run_import(CompoundImporter(), xlsx_file(tmp_path, rows))
    assert result.applied, result.errors
    assert result.created == 3
    east = Compound.objects.get(code="XQ001")
    assert (east.households, east.floor_area) == (320, Decimal("25800.50"))
    assert east.firm == firm and east.has_owners_committee and east.has_party_org
    assert east.red_heart_year == 2023
    assert Management.objects.get(compound=east, end_date__isnull=True).firm == firm
    west = Compound.objects.get(code="XQ002")
    assert west.firm is None and not west.has_owners_committee and west.red_heart_year is None
    assert west.community == east.community
    assert District.objects.count() == 2
    assert Street.objects.filter(name="延安街道").count() == 2
    assert Community.objects.count() == 2


@pytest.mark.parametrize(
    ("column", "value", "code"),
    [
        ("households", "-5", "min_value"),
        ("households", "0", "min_value"),
        ("households", "3.5", "invalid"),
        ("floor_area", "0", "min_value"),
        ("floor_area", "100.123", "max_decimal_places"),
        ("floor_area", "很大", "invalid"),
        ("firm_credit_code", make_credit_code(777), "unknown_firm"),  # valid, but no such firm
        ("firm_credit_code", "91220200ABC", "length"),
        ("owners_committee", "maybe", "invalid"),
        ("red_heart_year", "去年", "invalid"),
        ("red_heart_year", "1999", "min_value"),
        ("district", "", "required"),
        ("street", "", "required"),
        ("community", "", "required"),
        ("code", "", "required"),
    ],
)
def test_a_bad_compound_cell_is_refused_with_its_row_and_column(tmp_path, column, value, code):
    rows = [COMPOUND_HEADER, compound_row("XQ001"), compound_row("XQ002", **{column: value})]
    result = run_import(CompoundImporter(), csv_file(tmp_path, rows))
    assert error_places(result) == {(3, column)}
    assert {error.code for error in result.errors} == {code}
    assert Compound.objects.count() == 0
    assert Community.objects.count() == 0


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1", True),
        ("是", True),
        ("TRUE", True),
        ("yes", True),
        ("0", False),
        ("否", False),
        ("false", False),
        ("No", False),
        ("", False),
    ],
)
def test_yes_no_columns_accept_the_usual_spellings(tmp_path, text, expected):
    rows = [COMPOUND_HEADER, compound_row(owners_committee=text, party_org=text)]
    assert run_import(CompoundImporter(), csv_file(tmp_path, rows)).applied
    compound = Compound.objects.get()
    assert compound.has_owners_committee is expected and compound.has_party_org is expected


def test_a_firm_change_goes_through_the_management_history(tmp_path, compound_a, firm_b):
    street = compound_a.community.street
    row = compound_row(
        compound_a.code,
        name=compound_a.name,
        district=street.district.name,
        street=street.name,
        community=compound_a.community.name,
        households=str(compound_a.households),
        floor_area=str(compound_a.floor_area),
        firm_credit_code=firm_b.credit_code,
        owners_committee="0",
    )
    result = run_import(CompoundImporter(), csv_file(tmp_path, [COMPOUND_HEADER, row]))
    assert result.updated == 1
    assert [change.column for change in result.rows[0].changes] == ["firm_credit_code"]
    compound_a.refresh_from_db()
    assert compound_a.firm == firm_b
    periods = list(Management.objects.filter(compound=compound_a).order_by("start_date"))
    assert periods[0].end_date == timezone.localdate()
    assert periods[1].firm == firm_b and periods[1].end_date is None

    # And back to no firm (自管): the open period is closed.
    row[COMPOUND_HEADER.index("firm_credit_code")] = ""
    assert run_import(CompoundImporter(), csv_file(tmp_path, [COMPOUND_HEADER, row])).applied
    compound_a.refresh_from_db()
    assert compound_a.firm is None
    assert not Management.objects.filter(compound=compound_a, end_date__isnull=True).exists()


def test_a_refusal_by_a_service_rolls_back_every_row(tmp_path, firm_a, firm_b):
    # A compound whose current firm starts in the future cannot change firm today.
    compound = CompoundFactory(firm=firm_a, code="XQ100", management__since="2999-01-01")
    street = compound.community.street
    rows = [
        COMPOUND_HEADER,
        compound_row("XQ099"),
        compound_row(
            "XQ100",
            district=street.district.name,
            street=street.name,
            community=compound.community.name,
            firm_credit_code=firm_b.credit_code,
        ),
    ]
    result = run_import(CompoundImporter(), csv_file(tmp_path, rows))
    assert not result.applied
    assert error_places(result) == {(3, "firm_credit_code")}
    assert not Compound.objects.filter(code="XQ099").exists()
    compound.refresh_from_db()
    assert compound.firm == firm_a


def test_compound_reimport_is_a_no_op(tmp_path):
    FirmFactory(credit_code=CODE_1)
    rows = [COMPOUND_HEADER, compound_row("XQ001", firm_credit_code=CODE_1), compound_row("XQ002")]
    path = csv_file(tmp_path, rows)
    assert run_import(CompoundImporter(), path).created == 2
    counts = (Compound.history.count(), Management.history.count(), Management.objects.count())
    result = run_import(CompoundImporter(), path)
    assert (result.created, result.updated, result.unchanged) == (0, 0, 2)
    assert (
        Compound.history.count(),
        Management.history.count(),
        Management.objects.count(),
    ) == counts


def test_1500_compounds_import_and_update_in_a_few_seconds(tmp_path, django_assert_max_num_queries):
    firms = [FirmFactory() for _ in range(20)]

    def rows(households: str) -> list[list]:
        return [COMPOUND_HEADER] + [
            compound_row(
                f"XQ{n:05d}",
                community=f"社区{n % 50}",
                street=f"街道{n % 10}",
                households=households,
                firm_credit_code=firms[n % 20].credit_code if n % 4 else "",
            )
            for n in range(1500)
        ]

    path = csv_file(tmp_path, rows("320"))
    started = time.perf_counter()
    result = run_import(CompoundImporter(), path)
    created_in = time.perf_counter() - started
    assert result.applied and result.created == 1500
    assert Management.objects.filter(end_date__isnull=True).count() == 1125
    # Re-validating the same file looks records up in bulk, never a query per row.
    with django_assert_max_num_queries(20):
        assert run_import(CompoundImporter(), path).unchanged == 1500

    started = time.perf_counter()
    result = run_import(CompoundImporter(), csv_file(tmp_path, rows("321")))
    updated_in = time.perf_counter() - started
    assert result.applied and result.updated == 1500
    assert set(Compound.objects.values_list("households", flat=True)) == {321}
    assert Compound.history.filter(history_type="~").count() == 1500
    print(f"1500 compounds: created in {created_in:.2f} s, updated in {updated_in:.2f} s")
    # A few seconds on SQLite; generous bounds for busy shared machines.
    assert created_in < 20 and updated_in < 20


# --- the command line -------------------------------------------------------------------------


def test_import_firms_command_prints_the_summary(tmp_path):
    out = io.StringIO()
    call_command("import_firms", str(csv_file(tmp_path, firm_rows())), stdout=out)
    assert "2" in out.getvalue()
    assert Firm.objects.count() == 2


def test_import_command_rejection_lists_every_reason_and_fails(tmp_path):
    rows = [
        COMPOUND_HEADER,
        compound_row("XQ001", households="-1"),
        compound_row("XQ002", firm_credit_code=CODE_3),
    ]
    path = str(csv_file(tmp_path, rows))
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_compounds", path, stderr=err)
    lines = err.getvalue().strip().splitlines()
    assert len(lines) == 2
    assert "2" in lines[0] and "households" in lines[0]
    assert "3" in lines[1] and "firm_credit_code" in lines[1]
    assert Compound.objects.count() == 0

    # Run as from the shell: the exit status is not zero.
    with pytest.raises(SystemExit) as exc:
        execute_from_command_line(["manage.py", "import_compounds", path])
    assert exc.value.code != 0


def test_import_command_dry_run_writes_nothing(tmp_path):
    out = io.StringIO()
    call_command("import_firms", str(csv_file(tmp_path, firm_rows())), "--dry-run", stdout=out)
    assert Firm.objects.count() == 0


def test_import_command_refuses_a_missing_file(tmp_path):
    with pytest.raises(CommandError):
        call_command("import_firms", str(tmp_path / "nothing.csv"))


def test_dates_are_not_needed_here_but_today_is_local(tmp_path):
    # Management periods opened by an import start on the bureau's local date.
    FirmFactory(credit_code=CODE_1)
    run_import(
        CompoundImporter(),
        csv_file(tmp_path, [COMPOUND_HEADER, compound_row(firm_credit_code=CODE_1)]),
    )
    assert Management.objects.get().start_date == timezone.localdate()
    assert isinstance(Management.objects.get().start_date, dt.date)
