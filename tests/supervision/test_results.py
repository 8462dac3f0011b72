"""Results: only the two drawn inspectors record, photos go to those who may see them, and
issues found lead to the bureau's rectification order."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from portal import workbench
from supervision import services
from supervision.choices import CHECKLIST, CheckState, Outcome
from supervision.models import Check, CheckPhoto

PNG = b"\x89PNG\r\n\x1a\n" + b"0" * 100


def png(name: str = "site.png", content: bytes = PNG) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="image/png")


def record(check, user, outcome=Outcome.PASS, **kwargs):
    return services.check_record(
        user=user,
        check=check,
        checklist={code: True for code, _l in CHECKLIST},
        notes=kwargs.pop("notes", "ok"),
        outcome=outcome,
        **kwargs,
    )


def test_a_drawn_inspector_records_the_result_on_the_phone_form(check_b, client_of):
    inspector = check_b.first_inspector
    client = client_of(inspector)
    form = client.get(reverse("supervision:check_record", args=[check_b.pk]))
    assert form.status_code == 200 and "btn-lg" in form.content.decode()
    data = {code: "on" for code, _l in CHECKLIST} | {
        "outcome": "pass",
        "notes": "合格",
        "photos": [png()],
    }
    response = client.post(reverse("supervision:check_record", args=[check_b.pk]), data)
    assert response.status_code == 302
    check_b.refresh_from_db()
    assert check_b.state == CheckState.PASSED and check_b.recorded_by == inspector
    assert check_b.photos.count() == 1


def test_another_user_may_not_record_a_check(check_b, client_of, bureau_user, pool):
    outsider = next(p for p in pool if p.pk not in check_b.inspector_ids() and p.role != "bureau")
    assert (
        client_of(outsider).get(reverse("supervision:check_record", args=[check_b.pk])).status_code
        == 404
    )
    with pytest.raises(ValidationError) as exc:
        record(check_b, outsider)
    assert exc.value.code == "not_inspector"


def test_a_check_not_in_a_published_plan_cannot_be_recorded(draft_plan, compound_b, pool):
    check = Check.objects.create(
        plan=draft_plan,
        compound=compound_b,
        firm=compound_b.firm,
        first_inspector=pool[0],
        second_inspector=pool[1],
    )
    with pytest.raises(ValidationError) as exc:
        record(check, pool[0])
    assert exc.value.code == "not_published"


def test_a_result_is_recorded_once(check_b):
    record(check_b, check_b.first_inspector)
    with pytest.raises(ValidationError) as exc:
        record(check_b, check_b.second_inspector)
    assert exc.value.code == "recorded"


def test_a_file_that_is_not_a_jpg_or_png_is_refused_and_nothing_is_written(check_b):
    with pytest.raises(ValidationError):
        record(check_b, check_b.first_inspector, photos=[png("site.png", b"<svg></svg>")])
    check_b.refresh_from_db()
    assert check_b.is_open and not CheckPhoto.objects.exists()


def test_a_photo_larger_than_the_limit_is_refused(check_b, settings):
    settings.SUPERVISION_PHOTO_MAX_BYTES = 50
    with pytest.raises(ValidationError):
        record(check_b, check_b.first_inspector, photos=[png()])


def test_photos_are_served_to_the_bureau_the_inspectors_and_the_street_but_not_the_firm(
    check_b, client_of, bureau_user, other_street_officer, street_officer, other_firm_user
):
    record(check_b, check_b.first_inspector, photos=[png()])
    url = reverse("portal:file", args=["spot-check-photo", check_b.photos.get().pk])
    # Compound B lies in street B.
    for user in (bureau_user, check_b.first_inspector, other_street_officer):
        assert client_of(user).get(url).status_code == 200, user
    assert client_of(other_firm_user).get(url).status_code == 404
    if street_officer.pk not in check_b.inspector_ids():
        assert client_of(street_officer).get(url).status_code == 404


def test_issues_found_let_the_bureau_order_the_firm_to_rectify(
    check_b, client_of, bureau_user, other_firm_user
):
    record(check_b, check_b.first_inspector, outcome=Outcome.ISSUES, notes="消防通道堵塞")
    response = client_of(bureau_user).post(reverse("supervision:check_rectify", args=[check_b.pk]))
    assert response.status_code == 302
    check_b.refresh_from_db()
    assert check_b.state == CheckState.RECTIFICATION and check_b.rectify_by
    todos = workbench.todos_for(other_firm_user, dt.date.today())
    assert any(t.url.endswith(f"/checks/{check_b.pk}/") and t.count == 1 for t in todos)
    assert (
        client_of(other_firm_user)
        .get(reverse("supervision:check_detail", args=[check_b.pk]))
        .status_code
        == 200
    )


def test_issues_found_must_be_described(check_b):
    with pytest.raises(ValidationError):
        record(check_b, check_b.first_inspector, outcome=Outcome.ISSUES, notes="")


def test_only_the_bureau_orders_a_rectification(check_b, client_of, other_firm_user):
    record(check_b, check_b.first_inspector, outcome=Outcome.ISSUES, notes="x")
    response = client_of(other_firm_user).post(
        reverse("supervision:check_rectify", args=[check_b.pk])
    )
    assert response.status_code == 403
    check_b.refresh_from_db()
    assert check_b.state == CheckState.ISSUES


def test_an_inspector_finds_their_checks_on_the_workbench_with_the_plans_end(check_b, plan):
    inspector = check_b.first_inspector
    todos = workbench.todos_for(inspector, dt.date(2024, 7, 1))
    todo = next(t for t in todos if t.order == 30)  # the inspector's checks to record
    assert todo.count == (
        plan.checks.filter(first_inspector=inspector).count()
        + plan.checks.filter(second_inspector=inspector).count()
    )
    assert todo.due == plan.end


def test_an_officer_of_another_street_does_not_see_a_check_not_theirs(
    check_b, client_of, street_colleague, other_firm_user
):
    # Street A's officer outside the pool: never drawn, and compound B is not of street A.
    assert street_colleague.pk not in check_b.inspector_ids()
    assert (
        client_of(street_colleague)
        .get(reverse("supervision:check_detail", args=[check_b.pk]))
        .status_code
        == 404
    )
