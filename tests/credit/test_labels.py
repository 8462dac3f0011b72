"""Nothing of the credit app reaches a page as a raw code or in English: every choice and
state has its Chinese label, the assessment window's states their own words, every reason
the services record its label; and every credit link of the bar opens for its role."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.apps import apps
from django.urls import reverse
from django.utils import translation

from credit import publication as services
from credit.forms import PublicationCreateForm
from credit.models import Assessment, Publication, RuleSet
from credit.services import assessment_window_open
from portal import history, menu
from tests.factories import CompoundFactory

from .helpers import assess
from .publishing import T0, YEAR, end_period, open_publicity, rated_run


def test_every_choice_of_the_credit_models_has_a_chinese_label():
    latin = re.compile(r"[A-Za-z]{3,}")
    with translation.override("zh-hans"):
        untranslated = [
            f"{model.__name__}.{field.name}={value}: {label}"
            for model in apps.get_app_config("credit").get_models()
            for field in model._meta.get_fields()
            for value, label in getattr(field, "flatchoices", None) or []
            if latin.search(str(label))
        ]
    assert untranslated == []


def test_the_assessment_window_reads_open_and_closed_not_view_and_done(client_of, bureau_user, db):
    assessment_window_open(user=bureau_user, year=YEAR)
    assessment_window_open(user=bureau_user, year=YEAR - 1)
    client = client_of(bureau_user)
    client.post(reverse("credit:window_close", args=[YEAR - 1]))
    html = client.get(reverse("credit:window_list")).content.decode()
    assert "开放中" in html and "已关闭" in html and "关闭窗口" in html
    assert "查看" not in html and "办结" not in html


def test_the_score_history_shows_each_reason_by_its_label(
    client_of, bureau_user, compound_a, street_officer
):
    first = assess(YEAR, compound_a, compound_a.firm, "quality", "street", 80)
    first.score = 81
    first._change_reason = "import"  # as the spreadsheet import records it
    first.save()
    first.score = 82
    first._change_reason = "复核更正"  # a person's own words
    first.save()
    response = client_of(bureau_user).get(
        reverse("credit:assessment_history", args=[YEAR, compound_a.pk])
    )
    reasons = re.findall(r'class="small history-entry">([^<]*)<', response.content.decode())
    assert reasons == ["复核更正", "导入", ""]
    assert "82.00" in response.content.decode()


def test_every_reason_the_credit_services_record_has_a_label(
    bureau_user, compound_a, compound_b, django_capture_on_commit_callbacks
):
    run = rated_run(compound_a, compound_b, django_capture_on_commit_callbacks)
    with time_machine.travel(T0, tick=False):
        publication = open_publicity(bureau_user, run)
    rerun = rated_run(
        CompoundFactory(),
        CompoundFactory(),
        django_capture_on_commit_callbacks,
        extra_b_grade=False,
    )
    services.publication_set_run(user=bureau_user, publication=publication, run=rerun)
    end_period(publication)
    services.publication_publish(user=bureau_user, publication=publication)
    recorded = [
        (model, reason)
        for model in (Publication, RuleSet, Assessment)
        for reason in model.history.exclude(history_change_reason__isnull=True).values_list(
            "history_change_reason", flat=True
        )
    ]
    assert {reason for _model, reason in recorded} >= {
        "published version #1",
        f"rating run #{rerun.pk}",
        "frozen by publication",
    }
    with translation.override("zh-hans"):
        labels = {reason: history.reason_label(model, reason) for model, reason in recorded}
    assert labels["published version #1"] == "发布版本 #1"
    assert labels[f"rating run #{rerun.pk}"] == f"改用评价批次 #{rerun.pk}"
    assert labels["frozen by publication"] == "因发布而冻结"
    with translation.override("zh-hans"):
        assert history.reason_label(Publication, "publicity → published") == "公示期 → 已发布"


def test_the_publication_form_lists_runs_in_beijing_time(
    compound_a, compound_b, django_capture_on_commit_callbacks
):
    with time_machine.travel(dt.datetime(2024, 3, 1, 20, 30, tzinfo=dt.UTC), tick=False):
        run = rated_run(compound_a, compound_b, django_capture_on_commit_callbacks)
    (label,) = [label for value, label in PublicationCreateForm().fields["run"].choices if value]
    assert label.endswith("2024-03-02 04:30")  # 20:30 UTC is 04:30 the next day in Beijing
    assert str(run.year) in label


ROLES = [
    "bureau_user",
    "association_user",
    "street_officer",
    "community_officer",
    "firm_user",
    "committee_user",
]


@pytest.mark.parametrize("who", ROLES)
def test_every_credit_link_on_the_bar_opens_for_its_role(client_of, who, request, compound_a):
    user = request.getfixturevalue(who)
    client = client_of(user)
    links = [
        link.url
        for entry in menu.menu_for(user)
        for link in (entry.links or [entry])
        if link.url.startswith("/credit/")
    ]
    assert links  # every role has the public list at least
    for url in links:
        assert client.get(url).status_code == 200, url


def test_a_firm_is_not_offered_the_rating_runs(firm_user, db):
    urls = {link.url for entry in menu.menu_for(firm_user) for link in entry.links or [entry]}
    assert reverse("credit:run_list") not in urls
    assert reverse("credit:publication_list") in urls
