"""The registry's and the accounts' pages can be read with a screen reader: every input has
a label, every column its header, icons stay silent, no low-contrast text."""

from __future__ import annotations

import pytest
from django.urls import reverse

from .markup import accessibility_problems

pytestmark = pytest.mark.django_db


def _pages(compound, committee_user) -> list[str]:
    """The pages whose templates are the registry's (the import pages are the shared
    includes/_import_form.html, checked with the portal's)."""
    firm = compound.firm
    return [
        reverse("companies:firm_list"),
        reverse("companies:compound_list"),
        reverse("companies:firm_detail", args=[firm.pk]),
        reverse("companies:compound_detail", args=[compound.pk]),
        reverse("companies:firm_create"),
        reverse("companies:firm_edit", args=[firm.pk]),
        reverse("companies:compound_create"),
        reverse("companies:compound_edit", args=[compound.pk]),
        reverse("companies:compound_change_firm", args=[compound.pk]),
        reverse("portal:user_list"),
        reverse("portal:user_create"),
        reverse("portal:user_edit", args=[committee_user.pk]),
        reverse("portal:user_password", args=[committee_user.pk]),
    ]


def test_every_registry_and_account_page_is_labelled(
    client_of, bureau_user, compound_a, committee_user
):
    client = client_of(bureau_user)
    for url in _pages(compound_a, committee_user):
        response = client.get(url)
        assert response.status_code == 200, url
        assert accessibility_problems(response.content.decode()) == [], url


def test_the_public_firm_pages_are_labelled(client, compound_a):
    firm = compound_a.firm
    for url in (
        reverse("companies:public_firm_search") + f"?q={firm.name[:2]}",
        reverse("companies:public_firm_detail", args=[firm.credit_code]),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert accessibility_problems(response.content.decode()) == [], url


def test_an_unlabelled_input_and_a_bare_header_are_found():
    html = (
        '<main><input name="q"><table><thead><tr><th>名称</th></tr></thead></table>'
        '<i class="bi bi-x"></i></main>'
    )
    assert len(accessibility_problems(html)) == 3
