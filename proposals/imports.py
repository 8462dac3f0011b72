"""Import of proposals from a spreadsheet (key: kind + session + number); the engine is
portal.imports (all or nothing, browser preview, `manage.py import_proposals`).

Proposers are one cell of names separated by 、 , ; or new lines; the suggestion points one
cell with a point per line. A proposal already registered is updated only while it is not
assigned (proposal_update refuses later corrections): re-importing the same file changes
nothing.
"""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from portal.imports import Column, Importer

from . import services
from .choices import ProposalKind
from .models import Proposal, Proposer, SuggestionPoint

NAME_SEPARATORS = re.compile(r"[、,，;；\n]+")
NUMBER = re.compile(r"^第?\s*0*(\d{1,6})\s*号?$")
PROPOSER_MAX = Proposer._meta.get_field("name").max_length
POINT_MAX = SuggestionPoint._meta.get_field("title").max_length


def _kind_aliases() -> dict[str, str]:
    aliases = {
        "cppcc": ProposalKind.CPPCC,
        "政协提案": ProposalKind.CPPCC,
        "提案": ProposalKind.CPPCC,
        "委员提案": ProposalKind.CPPCC,
        "npc": ProposalKind.NPC,
        "人大建议": ProposalKind.NPC,
        "建议": ProposalKind.NPC,
        "代表建议": ProposalKind.NPC,
    }
    aliases.update({str(label).casefold(): value for value, label in ProposalKind.choices})
    return aliases


def split_names(text: str) -> list[str]:
    return [name.strip() for name in NAME_SEPARATORS.split(text) if name.strip()]


def split_points(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


class ProposalRowForm(forms.Form):
    kind = forms.CharField()
    session = forms.CharField(max_length=40)
    number = forms.CharField()
    title = forms.CharField(max_length=200)
    proposers = forms.CharField()
    received_on = forms.DateField(
        error_messages={"invalid": _("Enter the date as 2024-03-11.")},
    )
    full_text = forms.CharField()
    points = forms.CharField()

    def clean_kind(self) -> str:
        kind = _kind_aliases().get(self.cleaned_data["kind"].strip().casefold())
        if kind is None:
            raise ValidationError(
                _("Enter 政协提案 (cppcc) or 人大建议 (npc)."), code="invalid_kind"
            )
        return kind

    def clean_number(self) -> int:
        match = NUMBER.match(self.cleaned_data["number"].strip())
        if not match or int(match.group(1)) < 1:
            raise ValidationError(
                _("Enter the proposal number, such as 84 or 第084号."), code="invalid_number"
            )
        return int(match.group(1))

    def clean_proposers(self) -> str:
        names = split_names(self.cleaned_data["proposers"])
        if any(len(name) > PROPOSER_MAX for name in names):
            raise ValidationError(
                _("A proposer's name has at most %(max)d characters; separate names with 、.")
                % {"max": PROPOSER_MAX},
                code="invalid_proposers",
            )
        return "、".join(names)

    def clean_points(self) -> str:
        points = split_points(self.cleaned_data["points"])
        if not points:
            raise ValidationError(_("Enter at least one suggestion point."), code="required")
        if any(len(point) > POINT_MAX for point in points):
            raise ValidationError(
                _("A suggestion point has at most %(max)d characters; put one per line.")
                % {"max": POINT_MAX},
                code="invalid_points",
            )
        return "\n".join(points)


class ProposalImporter(Importer):
    name = "proposals"
    verbose_name = _("proposals")
    columns = (
        Column("kind", "类别", aliases=("提案类别",)),
        Column("session", "届次", aliases=("会议",)),
        Column("number", "编号", aliases=("提案号", "建议号")),
        Column("title", "标题", aliases=("案由",)),
        Column("proposers", "提案人", aliases=("领衔人", "代表")),
        Column("received_on", "收到日期", aliases=("received_date", "交办日期")),
        Column("full_text", "全文", aliases=("text", "内容")),
        Column("points", "建议要点", aliases=("建议",)),
    )
    key = ("kind", "session", "number")
    form_class = ProposalRowForm

    def existing(self, keys: list[tuple]) -> dict[tuple, Proposal]:
        # One query per session in the file (a file holds one or two sessions).
        found: dict[tuple, Proposal] = {}
        sessions = {session for _kind, session, _number in keys}
        wanted = set(keys)
        for session in sessions:
            for proposal in Proposal.objects.filter(session=session).prefetch_related(
                "proposers", "points"
            ):
                key = (proposal.kind, proposal.session, proposal.number)
                if key in wanted:
                    found[key] = proposal
        return found

    def current_values(self, instance: Proposal, codes) -> dict[str, Any]:
        current = {
            "kind": instance.kind,
            "session": instance.session,
            "number": instance.number,
            "title": instance.title,
            "proposers": "、".join(p.name for p in instance.proposers.all()),
            "received_on": instance.received_on,
            "full_text": instance.full_text,
            "points": "\n".join(p.title for p in instance.points.all()),
        }
        return {code: current[code] for code in codes}

    def describe(self, values: dict[str, Any]) -> str:
        return f"{values['session']} 第{values['number']:03d}号 {values['title']}"

    @staticmethod
    def _related(values: dict[str, Any]) -> dict[str, list[dict]]:
        return {
            "proposers": [{"name": name} for name in split_names(values["proposers"])],
            "points": [{"title": title} for title in split_points(values["points"])],
        }

    def create(self, values: dict[str, Any]) -> None:
        services.proposal_create(
            user=self.user,
            kind=values["kind"],
            session=values["session"],
            number=values["number"],
            title=values["title"],
            received_on=values["received_on"],
            full_text=values["full_text"],
            **self._related(values),
        )

    def update(self, instance: Proposal, values: dict[str, Any], changed: set[str]) -> None:
        related = self._related(values)
        services.proposal_update(
            user=self.user,
            proposal=instance,
            **{code: values[code] for code in changed if code in ("title", "received_on")},
            **({"full_text": values["full_text"]} if "full_text" in changed else {}),
            **{code: related[code] for code in changed if code in related},
        )
