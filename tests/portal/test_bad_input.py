"""Input no page can use answers 400 in Chinese, never 500, and writes nothing."""

from __future__ import annotations

import pytest
from django.urls import reverse

from portal.models import User


@pytest.mark.parametrize(
    "url",
    [
        "/firms/?q=%00",
        "/firms/%00/",
        "/funds/compounds/%00/",
        "/funds/notices/?compound=%00",
        "/credit/redblack/?year=%00",
    ],
)
def test_a_nul_in_a_public_address_or_query_is_a_bad_request(client, db, url):
    response = client.get(url)
    assert response.status_code == 400
    assert "请求有误" in response.content.decode()


def test_a_nul_in_a_signed_in_query_is_a_bad_request(client_of, bureau_user):
    assert client_of(bureau_user).get("/funds/accounts/?q=%00").status_code == 400


def test_a_nul_in_a_posted_field_is_refused_before_anything_is_written(client_of, bureau_user):
    response = client_of(bureau_user).post(
        reverse("portal:user_create"),
        {"username": "new\x00clerk", "role": "bureau", "password": "Kp7!rW2#mZq9"},
    )
    assert response.status_code == 400
    assert not User.objects.filter(username__startswith="new").exists()
