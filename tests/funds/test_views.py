from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from funds import services
from funds.choices import EmergencyKind, EmergencyStatus, OrdinaryStatus
from funds.models import EmergencyApplication, FundNotice, OrdinaryApplication, Posting
from tests.signin import verified_login

D = Decimal


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def emergency(account_a, firm_user):
    return services.emergency_file(
        user=firm_user,
        compound=account_a.compound,
        kind=EmergencyKind.ELEVATOR,
        title="电梯停运",
        description="困人",
        quote_amount=D("4557.50"),
    )


def test_account_pages_show_balances_in_scope(client_of, account_a, street_officer):
    client = client_of(street_officer)
    response = client.get(reverse("funds:account_list"))
    assert response.status_code == 200
    assert response.context["page_obj"][0].balance == D("45575.00")
    detail = client.get(reverse("funds:account_detail", args=[account_a.pk]))
    assert detail.status_code == 200
    household = account_a.households.first()
    assert client.get(reverse("funds:household_detail", args=[household.pk])).status_code == 200


def test_account_of_another_street_is_404(client_of, account_a, other_street_officer):
    client = client_of(other_street_officer)
    assert client.get(reverse("funds:account_detail", args=[account_a.pk])).status_code == 404
    assert client.get(reverse("funds:account_list")).context["page_obj"].paginator.count == 0


def test_bureau_deposits_and_a_bad_amount_is_a_message_not_a_500(client_of, account_a, bureau_user):
    client = client_of(bureau_user)
    household = account_a.households.first()
    url = reverse("funds:account_deposit", args=[account_a.pk])
    response = client.post(url, {"household": household.pk, "amount": "10.005"}, follow=True)
    assert response.status_code == 200
    household.refresh_from_db()
    assert household.balance == D("9000.00")
    client.post(url, {"household": household.pk, "amount": "10.50"})
    household.refresh_from_db()
    assert household.balance == D("9010.50")


def test_only_bureau_may_post_deposits(client_of, account_a, street_officer):
    household = account_a.households.first()
    url = reverse("funds:account_deposit", args=[account_a.pk])
    response = client_of(street_officer).post(url, {"household": household.pk, "amount": "1"})
    assert response.status_code == 403


def test_firm_files_an_emergency_with_evidence(client_of, account_a, firm_user):
    response = client_of(firm_user).post(
        reverse("funds:emergency_create"),
        {
            "compound": account_a.compound.pk,
            "kind": EmergencyKind.PIPES,
            "title": "供水管爆裂",
            "description": "地下室进水",
            "scope": "unit",
            "building": "1",
            "unit": "1",
            "quote_amount": "800.00",
            "evidence": [SimpleUploadedFile("photo.jpg", b"\xff\xd8\xff", "image/jpeg")],
        },
    )
    application = EmergencyApplication.objects.get()
    assert response.status_code == 302
    assert application.evidence.count() == 1
    assert application.step_due_at is not None


def test_bad_emergency_input_shows_form_errors(client_of, account_a, firm_user):
    response = client_of(firm_user).post(
        reverse("funds:emergency_create"),
        {
            "compound": account_a.compound.pk,
            "kind": EmergencyKind.PIPES,
            "title": "x",
            "description": "y",
            "scope": "building",
            "building": "9",
            "quote_amount": "-3",
        },
    )
    assert response.status_code == 200
    assert "quote_amount" in response.context["form"].errors
    assert not EmergencyApplication.objects.exists()
    # A building with no household is refused by the service, shown on the form.
    response = client_of(firm_user).post(
        reverse("funds:emergency_create"),
        {
            "compound": account_a.compound.pk,
            "kind": EmergencyKind.PIPES,
            "title": "x",
            "description": "y",
            "scope": "building",
            "building": "9",
            "quote_amount": "3",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not EmergencyApplication.objects.exists()


def test_officers_cannot_file(client_of, street_officer):
    assert client_of(street_officer).get(reverse("funds:emergency_create")).status_code == 403


def test_emergency_flow_through_the_pages_ends_in_a_public_notice_with_masked_shares(
    client, emergency, community_officer, street_officer, bureau_user
):
    for user, action in (
        (community_officer, "certify"),
        (street_officer, "confirm"),
        (bureau_user, "approve"),
    ):
        verified_login(client, user)
        detail = client.get(reverse("funds:emergency_detail", args=[emergency.pk]))
        assert detail.context[f"can_{action}"]
        response = client.post(reverse("funds:emergency_action", args=[emergency.pk, action]))
        assert response.status_code == 302
    emergency.refresh_from_db()
    assert emergency.status == EmergencyStatus.APPROVED
    client.logout()
    notice = FundNotice.objects.get(emergency=emergency)
    listing = client.get(reverse("funds:notice_list"), {"q": emergency.compound.name})
    assert notice in listing.context["page_obj"].object_list
    page = client.get(reverse("funds:notice_detail", args=[notice.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "张**" in html and "张三丰" not in html


def test_a_street_officer_of_another_street_cannot_see_or_confirm(
    client_of, emergency, community_officer, other_street_officer
):
    services.emergency_certify(user=community_officer, application=emergency)
    client = client_of(other_street_officer)
    assert client.get(reverse("funds:emergency_detail", args=[emergency.pk])).status_code == 404
    url = reverse("funds:emergency_action", args=[emergency.pk, "confirm"])
    assert client.post(url).status_code == 404
    emergency.refresh_from_db()
    assert emergency.status == EmergencyStatus.CERTIFIED


def test_a_skipped_step_through_the_page_is_a_message_not_a_500(client_of, emergency, bureau_user):
    response = client_of(bureau_user).post(
        reverse("funds:emergency_action", args=[emergency.pk, "approve"]), follow=True
    )
    assert response.status_code == 200
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    assert not Posting.objects.filter(emergency=emergency).exists()


def test_emergency_list_shows_the_board(client_of, emergency, bureau_user):
    response = client_of(bureau_user).get(reverse("funds:emergency_list"))
    assert response.status_code == 200
    assert response.context["board"][0].count == 1


def test_ordinary_application_page_flow(client_of, account_a, committee_user, bureau_user):
    import datetime as dt

    import time_machine

    client = client_of(committee_user)
    response = client.post(
        reverse("funds:ordinary_create"),
        {
            "compound": account_a.compound.pk,
            "title": "外墙修缮",
            "items": "外墙涂料",
            "budget": "1000.00",
            "scope": "compound",
            "publicity_days": "7",
        },
    )
    assert response.status_code == 302
    application = OrdinaryApplication.objects.get()
    vote_url = reverse("funds:ordinary_action", args=[application.pk, "vote"])
    bad = {
        "total_area": "455.75",
        "total_owners": "5",
        "participating_area": "400",
        "participating_owners": "4",
        "yes_area": "401",
        "yes_owners": "3",
    }
    with time_machine.travel(dt.date.today() + dt.timedelta(days=8)):
        client = client_of(committee_user)  # a week later: a new session
        response = client.post(vote_url, bad, follow=True)
        assert response.status_code == 200
        application.refresh_from_db()
        assert application.status == OrdinaryStatus.PUBLICISED
        client.post(vote_url, {**bad, "yes_area": "300"})
    application.refresh_from_db()
    assert application.status == OrdinaryStatus.VOTED
    client = client_of(bureau_user)
    client.post(
        reverse("funds:ordinary_action", args=[application.pk, "review"]), {"decision": "approve"}
    )
    client.post(reverse("funds:ordinary_action", args=[application.pk, "pay-first"]))
    application.refresh_from_db()
    assert application.status == OrdinaryStatus.FIRST_PAID
    assert client.get(reverse("funds:ordinary_detail", args=[application.pk])).status_code == 200


def test_ordinary_detail_of_another_compound_is_404(
    client_of, account_a, committee_user, other_committee_user
):
    application = services.ordinary_file(
        user=committee_user, compound=account_a.compound, title="t", items="i", budget=D("1.00")
    )
    url = reverse("funds:ordinary_detail", args=[application.pk])
    assert client_of(other_committee_user).get(url).status_code == 404


def test_public_notice_list_needs_no_sign_in(client, db):
    assert client.get(reverse("funds:notice_list")).status_code == 200
    assert client.get(reverse("funds:notice_detail", args=[999])).status_code == 404


def test_lists_do_not_query_per_row(
    client_of, account_a, firm_user, bureau_user, django_assert_max_num_queries
):
    for i in range(15):
        services.emergency_file(
            user=firm_user,
            compound=account_a.compound,
            kind=EmergencyKind.LEAK,
            title=f"渗漏{i}",
            description="d",
            quote_amount=D("10.00"),
        )
    client = client_of(bureau_user)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("funds:emergency_list")).status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(reverse("funds:account_detail", args=[account_a.pk])).status_code == 200
    with django_assert_max_num_queries(8):
        assert client.get(reverse("funds:notice_list")).status_code == 200
