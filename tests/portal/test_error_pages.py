"""Errors answer in Chinese, in the portal's layout, with a way back."""

from __future__ import annotations

from django.test import Client, RequestFactory
from django.urls import reverse
from django.views.defaults import server_error


def test_a_missing_page_is_a_chinese_404_with_a_way_home(client, db):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "页面不存在" in html
    assert 'href="/"' in html and "返回首页" in html
    assert 'id="menu"' in html  # the portal's own bar, not Django's bare page
    assert "Not Found" not in html


def test_a_refusal_is_a_chinese_403_that_says_why_and_leads_to_the_workbench(client_of, firm_user):
    response = client_of(firm_user).get(reverse("portal:user_list"))
    assert response.status_code == 403
    html = response.content.decode()
    assert "无权操作" in html
    assert "只有市住建局工作人员可以执行此操作" in html or "市住建局" in html
    assert reverse("portal:dashboard") in html
    assert "Forbidden" not in html


def test_a_bad_request_is_a_chinese_400(db):
    client = Client(raise_request_exception=False)
    response = client.get("/", HTTP_HOST="evil.example")  # not an allowed host
    assert response.status_code == 400
    html = response.content.decode()
    assert "请求有误" in html
    assert "Bad Request" not in html


def test_a_server_error_is_a_chinese_500_that_needs_no_request_context(db):
    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    html = response.content.decode()
    assert "服务器错误" in html and "返回首页" in html


def test_an_expired_form_is_a_chinese_page_not_djangos_csrf_explanation(db):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("login"), {"username": "x", "password": "y"})
    assert response.status_code == 403
    html = response.content.decode()
    assert "表单已失效" in html
    assert "CSRF verification failed" not in html
