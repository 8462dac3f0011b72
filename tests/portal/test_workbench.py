"""Every role lands on a page of its own: the to-do list first, then the cards of its role."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from portal import workbench
from portal.workbench import Todo
from tests.factories import PASSWORD
from tests.signin import sign_in_with_form

TODAY = dt.date(2026, 11, 28)


@pytest.fixture
def registry(monkeypatch):
    """An empty registry for the test, the apps' own restored after it."""
    monkeypatch.setattr(workbench, "_cards", {})
    monkeypatch.setattr(workbench, "_todo_sources", [])
    return workbench


@pytest.mark.parametrize(
    ("who", "title"),
    [
        ("bureau_user", "工作台"),
        ("association_user", "工作台"),
        ("street_officer", "工作台"),
        ("community_officer", "工作台"),
        ("firm_user", "企业首页"),
        ("committee_user", "小区首页"),
    ],
)
def test_signing_in_lands_every_role_on_its_own_page(who, title, request, client):
    user = request.getfixturevalue(who)
    sign_in_with_form(client, user.username, PASSWORD)  # a bureau clerk also enrols a phone
    page = client.get(reverse("portal:dashboard"))
    assert page.status_code == 200
    html = page.content.decode()
    assert f'<h1 class="h3 mb-0">{title}</h1>' in html
    assert 'id="todo"' in html


def test_visitors_are_sent_to_sign_in(client, db):
    response = client.get(reverse("portal:dashboard"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_card_shows_to_its_roles_only_and_only_with_something_to_show(
    registry, bureau_user, firm_user
):
    registry.register_card("a", template="x.html", context=lambda u, d: {"n": 1}, roles={"bureau"})
    registry.register_card("b", template="x.html", context=lambda u, d: None, order=1)
    assert [c.card.name for c in registry.cards_for(bureau_user, TODAY)] == ["a"]
    assert registry.cards_for(firm_user, TODAY) == []


def test_the_to_do_list_puts_overdue_work_first_then_the_nearest_deadline(registry, bureau_user):
    def source(user, today):
        yield Todo(label="later", count=1, url="/", due=today + dt.timedelta(days=9))
        yield Todo(label="nothing", count=0, url="/")
        yield Todo(label="sooner", count=2, url="/", due=today + dt.timedelta(days=1))
        yield Todo(label="late", count=1, url="/", due=today - dt.timedelta(days=3), overdue=1)
        yield Todo(label="no deadline", count=5, url="/")

    registry.register_todos(source)
    registry.register_todos(source)  # registering twice lists it once
    labels = [t.label for t in registry.todos_for(bureau_user, TODAY)]
    assert labels == ["late", "sooner", "later", "no deadline"]


def test_an_empty_to_do_list_says_so(registry, client_of, firm_user):
    html = client_of(firm_user).get(reverse("portal:dashboard")).content.decode()
    assert "暂无待办事项" in html
