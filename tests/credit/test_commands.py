"""The command line of interchange.md end to end: import files, rate, export."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from credit.choices import RunStatus
from credit.models import Assessment, CreditEvent, RatingRun
from tests.factories import CompoundFactory, FirmFactory

from .helpers import indicator

YEAR = 2023


def write(path, text: str, encoding: str = "utf-8"):
    path.write_text(text, encoding=encoding)
    return str(path)


@pytest.fixture
def registry(db):
    """Firm F of the worked example (X: 300 households, Z: 100), a firm G assessed on two
    indicators only (not rated) and a firm H that scores 95 everywhere (grade A)."""
    f = FirmFactory(name="F物业")
    g = FirmFactory(name="G物业")
    h = FirmFactory(name="H物业")
    x = CompoundFactory(firm=f, households=300, code="X")
    z = CompoundFactory(firm=f, households=100, code="Z")
    y = CompoundFactory(firm=g, households=50, code="Y")
    w = CompoundFactory(firm=h, households=80, code="W")
    return {"F": f, "G": g, "H": h, "X": x, "Z": z, "Y": y, "W": w}


def assessments_csv(r) -> str:
    f, g, h = (r[k].credit_code for k in "FGH")
    rows = [
        "year,compound_code,firm_credit_code,indicator,assessor_role,score",
        f"2023,X,{f},quality,street,90",
        f"2023,X,{f},quality,community,80",
        f"2023,Z,{f},quality,street,95",
        f"2023,X,{f},satisfaction,owners_committee,88",
        f"2023,X,{f},contract,street,70.00",
        f"2023,Z,{f},supervision,bureau,60",
        f"2023,Y,{g},quality,street,99",
        f"2023,Y,{g},contract,street,99",
    ]
    rows += [
        f"2023,W,{h},{code},street,95"
        for code in ("quality", "satisfaction", "contract", "supervision")
    ]
    return "\n".join(rows) + "\n"


def events_csv(r) -> str:
    f = r["F"].credit_code
    return (
        "年度,物业企业,类型,分值,日期,事由\n"
        f"2023,{f},bonus,2,2023-03-01,红心物业示范项目\n"
        f"2023,{f},bonus,4,2023-05-01,技能竞赛获奖\n"
        f"2023,{f},deduction,3,2023-09-01,行政处罚\n"
    )


@pytest.mark.django_db(transaction=True)
def test_import_rate_export_end_to_end(registry, tmp_path, capsys):
    call_command("import_assessments", write(tmp_path / "a.csv", assessments_csv(registry)))
    # GB18030 with the Chinese header, as Excel saves it on a Chinese Windows.
    call_command("import_credit_events", write(tmp_path / "e.csv", events_csv(registry), "gb18030"))
    assert Assessment.objects.count() == 12
    assert CreditEvent.objects.count() == 3

    call_command("rate", "--year", "2023")
    out = capsys.readouterr().out
    assert "2 firms rated, 1 not rated" in out
    assert "A: 1, B: 1, C: 0, D: 0" in out

    target = tmp_path / "ratings.csv"
    call_command("export_ratings", "--year", "2023", "--out", str(target))
    f, g, h = (registry[k] for k in "FGH")
    assert target.read_bytes().decode("utf-8").splitlines() == [
        "year,credit_code,name,score,grade,indicators_present,vetoed",
        f"2023,{h.credit_code},H物业,95.00,A,4,0",
        f"2023,{f.credit_code},F物业,81.19,B,4,0",
        f"2023,{g.credit_code},G物业,,,2,0",
    ]


@pytest.mark.django_db(transaction=True)
def test_reimporting_the_same_file_changes_nothing_and_a_new_score_replaces(
    registry, tmp_path, capsys
):
    path = write(tmp_path / "a.csv", assessments_csv(registry))
    call_command("import_assessments", path)
    call_command("import_assessments", path)
    assert "新增0条，更新0条，未变更12条。" in capsys.readouterr().out

    changed = assessments_csv(registry).replace("quality,street,90", "quality,street,91.5")
    call_command("import_assessments", write(tmp_path / "b.csv", changed))
    assert "新增0条，更新1条，未变更11条。" in capsys.readouterr().out
    row = Assessment.objects.get(
        compound=registry["X"], indicator__code="quality", assessor_role="street"
    )
    assert row.score == Decimal("91.50")
    assert [h.score for h in row.history.order_by("history_date")] == [
        Decimal("90"),
        Decimal("91.5"),
    ]


@pytest.mark.parametrize("score", ["100.01", "-1", "85.125", "abc"])
def test_bad_scores_reject_the_whole_file(registry, tmp_path, score):
    text = assessments_csv(registry).replace("quality,street,90", f"quality,street,{score}")
    with pytest.raises(CommandError):
        call_command("import_assessments", write(tmp_path / "a.csv", text))
    assert Assessment.objects.count() == 0


def test_a_key_repeated_in_one_file_is_refused(registry, tmp_path, capsys):
    text = assessments_csv(registry) + f"2023,X,{registry['F'].credit_code},quality,street,50\n"
    with pytest.raises(CommandError):
        call_command("import_assessments", write(tmp_path / "a.csv", text))
    assert "第14行" in capsys.readouterr().err
    assert Assessment.objects.count() == 0


def test_unknown_compound_and_firm_are_refused(registry, tmp_path):
    text = assessments_csv(registry) + "2023,NOPE,91220200000000001X,quality,street,50\n"
    with pytest.raises(CommandError):
        call_command("import_assessments", write(tmp_path / "a.csv", text))
    assert Assessment.objects.count() == 0


def test_event_date_outside_its_year_is_refused(registry, tmp_path, capsys):
    text = events_csv(registry).replace("2023-09-01", "2024-01-02")
    with pytest.raises(CommandError):
        call_command("import_credit_events", write(tmp_path / "e.csv", text))
    assert "第4行" in capsys.readouterr().err
    assert CreditEvent.objects.count() == 0


def test_bonus_without_points_is_refused_but_a_veto_needs_none(registry, tmp_path):
    f = registry["F"].credit_code
    bad = f"year,firm_credit_code,kind,points,date,reason\n2023,{f},bonus,,2023-01-05,x\n"
    with pytest.raises(CommandError):
        call_command("import_credit_events", write(tmp_path / "e.csv", bad))
    good = (
        f"year,firm_credit_code,kind,points,date,reason\n2023,{f},veto,,2023-01-05,重大安全事故\n"
    )
    call_command("import_credit_events", write(tmp_path / "v.csv", good))
    assert CreditEvent.objects.get().points == 0


def test_rate_without_assessments_fails(db):
    with pytest.raises(CommandError):
        call_command("rate", "--year", "2019")
    assert not RatingRun.objects.exists()


def test_export_without_a_finished_run_fails(db, tmp_path):
    with pytest.raises(CommandError):
        call_command("export_ratings", "--year", "2023", "--out", str(tmp_path / "x.csv"))


def test_rate_refuses_while_a_run_of_the_year_is_active(registry, tmp_path):
    from credit.services import rule_set_for_year

    Assessment.objects.create(
        year=YEAR,
        compound=registry["W"],
        firm=registry["H"],
        indicator=indicator("quality"),
        assessor_role="street",
        score=50,
    )
    RatingRun.objects.create(
        year=YEAR, rule_set=rule_set_for_year(user=None, year=YEAR), status=RunStatus.RUNNING
    )
    with pytest.raises(CommandError, match="已有评价批次正在进行"):
        call_command("rate", "--year", "2023")
