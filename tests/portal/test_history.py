"""A recorded change is shown by its label: codes the services write never reach the page."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from portal import history


class Step(models.TextChoices):
    ASSIGNED = "assigned", _("Assigned")
    DRAFTING = "drafting", _("Drafting")


class Thing:
    """Stands for a model (the registry is keyed by class)."""


@pytest.fixture(autouse=True)
def registered(monkeypatch):
    monkeypatch.setattr(history, "_reasons", {})
    monkeypatch.setattr(history, "_states", {})
    history.register(Thing, reasons={"certified": "已核实", "deposit": "交存"}, states=Step)


def test_a_registered_code_shows_its_label():
    assert history.reason_label(Thing, "certified") == "已核实"


def test_a_transition_shows_both_states_and_keeps_the_note_as_written():
    with translation.override("en"):
        assert history.reason_label(Thing, "assigned → drafting") == "Assigned → Drafting"
        assert (
            history.reason_label(Thing, "assigned → drafting: 请补充数据")
            == "Assigned → Drafting：请补充数据"
        )


def test_a_numbered_code_keeps_its_number():
    assert history.reason_label(Thing, "deposit #12") == "交存 #12"


def test_a_code_with_a_note_keeps_the_note():
    assert history.reason_label(Thing, "certified: 现场核实") == "已核实：现场核实"


def test_a_persons_own_words_are_shown_as_written():
    assert history.reason_label(Thing, "更正户数，见2024年普查") == "更正户数，见2024年普查"


def test_common_reasons_show_for_every_model():
    with translation.override("zh-hans"):
        assert history.reason_label(Thing, "demo data") == "演示数据"


def test_an_entry_without_a_reason_shows_its_kind():
    with translation.override("zh-hans"):
        entry = SimpleNamespace(instance_type=Thing, history_change_reason=None, history_type="~")
        assert history.entry_label(entry) == "修改"
