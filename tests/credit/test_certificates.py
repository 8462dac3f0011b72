"""Credit certificates (信用等级证明): a firm certifies its current published grade for a
tender; anyone checks the certificate's code at its public address."""

from __future__ import annotations

import datetime as dt

import pytest
import segno
import time_machine
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from credit import certificate_pdf, hooks
from credit import publication as publishing
from credit.models import Assessment, CertificateState, CreditCertificate
from credit.services import certificates as services
from tests.factories import FirmFactory

from .helpers import assess, rate
from .publishing import CODES, YEAR


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def certificate(published, firm_user, firm_a) -> CreditCertificate:
    return services.certificate_issue(user=firm_user, firm=firm_a)


def verify_url(certificate: CreditCertificate) -> str:
    return reverse("credit:certificate_verify", args=[certificate.display_code])


def republish_with_firm_a_rated(
    score, *, bureau_user, publication, compound_a, capture, note="corrected"
):
    """A corrected run in which firm A scores `score`, published as the next version."""
    for code in CODES:
        Assessment.objects.filter(year=YEAR, compound=compound_a, indicator__code=code).delete()
        assess(YEAR, compound_a, compound_a.firm, code, "street", score)
    corrected = rate(YEAR, capture)
    publishing.publication_set_run(user=bureau_user, publication=publication, run=corrected)
    return publishing.publication_publish(
        user=bureau_user, publication=publication, change_note=note
    )


# --- issuing ---------------------------------------------------------------------------------


def test_a_firm_issues_a_certificate_of_its_current_published_grade(
    client_of, firm_user, firm_a, published
):
    response = client_of(firm_user).post(reverse("credit:certificate_issue"))
    certificate = CreditCertificate.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("credit:certificate_detail", args=[certificate.pk])
    assert (certificate.firm, certificate.grade, certificate.year) == (firm_a, "A", YEAR)
    assert certificate.version == published
    assert certificate.issued_by == firm_user
    assert certificate.valid_until - certificate.issued_at == dt.timedelta(
        days=services.valid_days()
    )
    assert certificate.history.get().history_change_reason == services.CERTIFICATE_ISSUED_REASON


def test_the_validity_is_a_setting(settings, firm_user, firm_a, published):
    settings.CREDIT_CERTIFICATE_VALID_DAYS = 30
    certificate = services.certificate_issue(user=firm_user, firm=firm_a)
    assert certificate.valid_until - certificate.issued_at == dt.timedelta(days=30)


def test_a_firm_without_a_published_grade_is_refused_and_nothing_is_written(
    client_of, firm_user, publication
):
    """Under publicity only: nothing is published, so there is no grade to certify."""
    response = client_of(firm_user).post(reverse("credit:certificate_issue"), follow=True)
    assert response.status_code == 200
    assert "没有" in response.content.decode() and "可证明" in response.content.decode()
    assert not CreditCertificate.objects.exists()


def test_a_firm_left_out_of_the_newest_list_has_no_grade_to_certify(firm_user, firm_a, published):
    newcomer = FirmFactory()
    with pytest.raises(ValidationError) as refusal:
        services.certificate_issue(user=None, firm=newcomer)
    assert refusal.value.code == "no_published_grade"
    assert not CreditCertificate.objects.exists()


def test_a_firm_account_issues_no_certificate_for_another_firm(
    firm_user, firm_a, compound_b, published
):
    with pytest.raises(ValidationError) as refusal:
        services.certificate_issue(user=firm_user, firm=compound_b.firm)
    assert refusal.value.code == "not_own_firm"
    assert not CreditCertificate.objects.exists()


def test_only_a_firm_issues_from_the_pages(client_of, bureau_user, published):
    response = client_of(bureau_user).post(reverse("credit:certificate_issue"))
    assert response.status_code == 404
    assert not CreditCertificate.objects.exists()


# --- the code --------------------------------------------------------------------------------


def test_the_code_carries_at_least_80_random_bits():
    assert len(set(services.CODE_ALPHABET)) == 32  # 5 bits a character
    assert services.CODE_BITS == services.CODE_RANDOM_CHARS * 5 >= 80
    codes = {services.certificate_code_new() for _i in range(2000)}
    assert len(codes) == 2000
    for code in list(codes)[:50]:
        assert len(code) == 20 and set(code) <= set(services.CODE_ALPHABET)
        assert services.code_checks_out(code)


def test_a_code_is_read_however_it_is_typed():
    code = services.certificate_code_new()
    shown = services.code_display(code)
    assert shown.count("-") == 4
    assert services.code_normalize(shown) == code
    assert services.code_normalize(f"  {shown.lower()}  ") == code
    full_width = "".join(chr(ord(c) + 0xFEE0) if c != "-" else "－" for c in shown)
    assert services.code_normalize(full_width) == code
    assert services.code_normalize(code.replace("0", "O").replace("1", "I")) == code
    for bad in ["", "ABC", code + "0", "U" * 20, "X" * 10_000, "验证码" * 7]:
        assert services.code_normalize(bad) is None


def test_a_changed_character_makes_the_code_fail_its_check():
    code = services.certificate_code_new()
    failing = [
        code[:i] + c + code[i + 1 :]
        for i in range(20)
        for c in services.CODE_ALPHABET
        if c != code[i] and not services.code_checks_out(code[:i] + c + code[i + 1 :])
    ]
    changed = 20 * 31
    assert len(failing) > changed * 0.99  # 10 check bits: about 1 in 1024 slips through


def test_a_code_issued_under_a_replaced_key_still_checks_out(settings):
    code = services.certificate_code_new()
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "another key of at least fifty characters, for the test only!"
    assert services.code_checks_out(code)


# --- the printed certificate -----------------------------------------------------------------


def test_the_pdf_is_a_pdf_carrying_the_code(client_of, firm_user, certificate):
    response = client_of(firm_user).get(reverse("credit:certificate_pdf", args=[certificate.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert certificate.display_code.encode() in response.content  # its keywords


def test_the_qr_code_encodes_the_public_verify_address(certificate):
    payload = services.certificate_qr_payload(certificate, base_url="https://wuye.example.gov.cn/")
    assert payload == f"https://wuye.example.gov.cn{verify_url(certificate)}"
    assert certificate_pdf.QrCode(payload, size=100).matrix == segno.make(payload, error="m").matrix


def test_the_printable_page_shows_the_certificate_and_its_address(
    client_of, firm_user, certificate
):
    response = client_of(firm_user).get(reverse("credit:certificate_detail", args=[certificate.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert certificate.display_code in html and certificate.firm.credit_code in html
    assert response.context["verify_url"] == f"http://testserver{verify_url(certificate)}"
    assert 'src="data:image/svg+xml' in html


def test_a_firm_cannot_open_or_print_another_firms_certificate(
    client_of, other_firm_user, certificate
):
    client = client_of(other_firm_user)
    for name in ("credit:certificate_detail", "credit:certificate_pdf"):
        assert client.get(reverse(name, args=[certificate.pk])).status_code == 404, name
    listing = client.get(reverse("credit:certificate_list"))
    assert certificate.display_code not in listing.content.decode()


def test_other_roles_see_no_certificate_pages(client_of, street_officer, certificate):
    client = client_of(street_officer)
    assert client.get(reverse("credit:certificate_list")).status_code == 404
    assert client.get(reverse("credit:certificate_pdf", args=[certificate.pk])).status_code == 404


def test_the_bureau_prints_any_certificate(client_of, bureau_user, certificate):
    response = client_of(bureau_user).get(reverse("credit:certificate_pdf", args=[certificate.pk]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")


# --- the public verification page ------------------------------------------------------------


def test_a_valid_certificate_verifies_publicly(certificate):
    response = Client().get(verify_url(certificate))
    assert response.status_code == 200
    html = response.content.decode()
    assert response.context["certificate"].state == CertificateState.VALID
    assert "真实有效" in html
    assert certificate.firm.name in html and certificate.firm.credit_code in html


def test_the_form_takes_a_code_however_typed_to_its_page(certificate):
    typed = certificate.display_code.lower().replace("-", " ")
    response = Client().get(reverse("credit:certificate_verify_form"), {"code": typed})
    assert response.status_code == 302
    assert response["Location"] == verify_url(certificate)
    page = Client().get(reverse("credit:certificate_verify_form"), {"code": "not a code"})
    assert page.status_code == 200
    assert "不是证明验证码" in page.content.decode()


def test_an_altered_code_is_refused(certificate):
    code = certificate.code
    altered = next(
        changed
        for c in services.CODE_ALPHABET
        for changed in [code[:5] + c + code[6:]]
        if c != code[5] and not services.code_checks_out(changed)
    )
    response = Client().get(reverse("credit:certificate_verify", args=[altered]))
    assert response.status_code == 404
    assert response.context["verification"].problem == services.CodeProblem.ALTERED
    assert response.context["certificate"] is None
    assert certificate.firm.name not in response.content.decode()
    assert "被篡改" in response.content.decode()


def test_a_forged_code_that_checks_out_is_still_unknown(certificate):
    forged = services.certificate_code_new()  # well formed, never issued
    response = Client().get(
        reverse("credit:certificate_verify", args=[services.code_display(forged)])
    )
    assert response.status_code == 404
    assert response.context["verification"].problem == services.CodeProblem.UNKNOWN
    assert certificate.firm.name not in response.content.decode()


@pytest.mark.parametrize(
    "code", ["x", "A" * 5000, "ABCD-EFGH-JKMN-PQRS-TVWU", "%E9%AA%8C%E8%AF%81", "%20", "..."]
)
def test_a_code_that_is_no_code_is_a_404_never_a_500(db, code):
    response = Client().get(f"/credit/verify/{code}/")
    assert response.status_code == 404


def test_a_nul_in_the_code_is_refused_before_the_view(db):
    assert Client().get("/credit/verify/ABCD%00EFGH/").status_code == 400
    assert Client().get("/credit/verify/", {"code": "AB\x00CD"}).status_code == 400


def test_a_revoked_certificate_shows_revoked_with_its_date(client_of, bureau_user, certificate):
    response = client_of(bureau_user).post(
        reverse("credit:certificate_revoke", args=[certificate.pk]),
        {"reason": "证明所依据的材料不实", "confirm": "on"},
    )
    assert response.status_code == 302
    certificate.refresh_from_db()
    assert certificate.is_revoked and certificate.revoked_by == bureau_user
    page = Client().get(verify_url(certificate))
    assert page.status_code == 200
    assert page.context["certificate"].state == CertificateState.REVOKED
    html = page.content.decode()
    assert "已被撤销" in html
    assert timezone.localtime(certificate.revoked_at).strftime("%Y-%m-%d") in html
    assert "材料不实" not in html  # the reason is the firm's and the bureau's
    entry = certificate.history.order_by("-history_id").first()
    assert entry.history_change_reason == services.CERTIFICATE_REVOKED_REASON
    assert entry.history_user == bureau_user


def test_a_revoke_without_a_reason_is_refused(client_of, bureau_user, certificate):
    client = client_of(bureau_user)
    url = reverse("credit:certificate_revoke", args=[certificate.pk])
    for data in ({"reason": "   ", "confirm": "on"}, {"reason": "材料不实"}):  # no confirmation
        response = client.post(url, data)
        assert response.status_code == 200
        assert response.context["revoke_form"].errors
    with pytest.raises(ValidationError):
        services.certificate_revoke(user=bureau_user, certificate=certificate, reason=" ")
    certificate.refresh_from_db()
    assert not certificate.is_revoked


def test_a_certificate_is_revoked_once(bureau_user, certificate):
    services.certificate_revoke(user=bureau_user, certificate=certificate, reason="材料不实")
    with pytest.raises(ValidationError) as refusal:
        services.certificate_revoke(user=bureau_user, certificate=certificate, reason="再次")
    assert refusal.value.code == "already_revoked"
    certificate.refresh_from_db()
    assert certificate.revoke_reason == "材料不实"


def test_only_the_bureau_revokes(client_of, firm_user, certificate):
    response = client_of(firm_user).post(
        reverse("credit:certificate_revoke", args=[certificate.pk]),
        {"reason": "不要了", "confirm": "on"},
    )
    assert response.status_code == 403
    certificate.refresh_from_db()
    assert not certificate.is_revoked


def test_a_newer_version_with_another_grade_supersedes_the_certificate(
    bureau_user, publication, compound_a, certificate, django_capture_on_commit_callbacks
):
    second = republish_with_firm_a_rated(
        70,
        bureau_user=bureau_user,
        publication=publication,
        compound_a=compound_a,
        capture=django_capture_on_commit_callbacks,
    )
    response = Client().get(verify_url(certificate))
    assert response.status_code == 200
    shown = response.context["certificate"]
    assert shown.state == CertificateState.SUPERSEDED
    assert shown.superseded_by.pk == second.pk
    assert "已被取代" in response.content.decode()


def test_a_newer_version_with_the_same_grade_leaves_the_certificate_valid(
    bureau_user, publication, compound_a, certificate, django_capture_on_commit_callbacks
):
    republish_with_firm_a_rated(
        93,
        bureau_user=bureau_user,
        publication=publication,
        compound_a=compound_a,
        capture=django_capture_on_commit_callbacks,
    )
    response = Client().get(verify_url(certificate))
    assert response.context["certificate"].state == CertificateState.VALID


def test_a_certificate_expires_after_its_days(certificate):
    with time_machine.travel(certificate.valid_until + dt.timedelta(seconds=1), tick=False):
        response = Client().get(verify_url(certificate))
    assert response.status_code == 200
    assert response.context["certificate"].state == CertificateState.EXPIRED
    assert "已过期" in response.content.decode()
    with time_machine.travel(certificate.valid_until - dt.timedelta(seconds=1), tick=False):
        assert Client().get(verify_url(certificate)).context["certificate"].state == "valid"


def test_the_verify_page_costs_a_bounded_number_of_queries(
    bureau_user,
    publication,
    compound_a,
    certificate,
    django_assert_max_num_queries,
    django_capture_on_commit_callbacks,
):
    republish_with_firm_a_rated(
        93,
        bureau_user=bureau_user,
        publication=publication,
        compound_a=compound_a,
        capture=django_capture_on_commit_callbacks,
    )
    cache.clear()
    with django_assert_max_num_queries(3):  # the certificate, the versions, the grades
        assert Client().get(verify_url(certificate)).status_code == 200


# --- lists and the firm's home ---------------------------------------------------------------


def test_the_bureau_lists_and_searches_the_certificates(
    client_of, bureau_user, firm_user, firm_a, published, django_assert_max_num_queries
):
    issued = [services.certificate_issue(user=firm_user, firm=firm_a) for _i in range(30)]
    client = client_of(bureau_user)
    client.get(reverse("credit:certificate_list"))  # the session's first request
    with django_assert_max_num_queries(12):
        response = client.get(reverse("credit:certificate_list"))
    assert response.status_code == 200
    assert len(response.context["page_obj"].object_list) == 30
    by_code = client.get(reverse("credit:certificate_list"), {"q": issued[3].display_code})
    assert [c.pk for c in by_code.context["page_obj"]] == [issued[3].pk]
    by_name = client.get(reverse("credit:certificate_list"), {"q": firm_a.name[:2]})
    assert len(by_name.context["page_obj"].object_list) == 30
    nobody = client.get(reverse("credit:certificate_list"), {"q": "无此企业"})
    assert len(nobody.context["page_obj"].object_list) == 0


def test_the_firm_home_shows_its_certificates_and_the_issue_button(
    client_of, firm_user, certificate
):
    page = client_of(firm_user).get(reverse("portal:dashboard"))
    html = page.content.decode()
    assert reverse("credit:certificate_issue") in html
    assert reverse("credit:certificate_detail", args=[certificate.pk]) in html


def test_the_firm_home_offers_no_certificate_without_a_published_grade(firm_user, publication):
    assert hooks.firm_certificates_card(firm_user, timezone.localdate()) is None


def test_the_firm_list_shows_only_its_own_certificates(
    client_of, firm_user, other_firm_user, compound_b, certificate
):
    other = services.certificate_issue(user=other_firm_user, firm=compound_b.firm)
    response = client_of(firm_user).get(reverse("credit:certificate_list"))
    assert [c.pk for c in response.context["page_obj"]] == [certificate.pk]
    assert other.display_code not in response.content.decode()
