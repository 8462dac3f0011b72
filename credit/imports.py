"""Imports of assessments and credit events (interchange.md) on the engine of portal.imports.

Both write through credit.services, so a second submission of an existing key replaces
the score (or points) and the history keeps the old value.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from companies.imports import CreditCodeField
from companies.models import Compound, Firm
from companies.validators import normalize_credit_code
from portal.imports import LOOKUP_CHUNK, Column, Importer, bulk_by

from . import services
from .choices import IMPORT_REASON, AssessorRole, EventKind
from .models import Assessment, CreditEvent, Indicator

YEAR_ERRORS = {
    "invalid": _("Enter the year as four digits, such as 2023."),
    "min_value": _("Enter a year between 2000 and 2100."),
    "max_value": _("Enter a year between 2000 and 2100."),
}


def _year_field() -> forms.IntegerField:
    return forms.IntegerField(min_value=2000, max_value=2100, error_messages=YEAR_ERRORS)


def _chunks(values: list, size: int = LOOKUP_CHUNK):
    for start in range(0, len(values), size):
        yield values[start : start + size]


class _FirmLookupMixin:
    firms: dict[str, Firm]

    def clean_firm_credit_code(self) -> str:
        code = self.cleaned_data["firm_credit_code"]
        if code and code not in self.firms:
            raise ValidationError(
                _("No firm with this credit code is registered."), code="unknown_firm"
            )
        return code


# --- assessments -----------------------------------------------------------------------------


class AssessmentRowForm(_FirmLookupMixin, forms.Form):
    year = _year_field()
    compound_code = forms.CharField(max_length=40)
    firm_credit_code = CreditCodeField()
    indicator = forms.ChoiceField(choices=())
    assessor_role = forms.ChoiceField(choices=AssessorRole.choices)
    score = forms.DecimalField(
        max_digits=5,
        decimal_places=2,
        min_value=Decimal("0"),
        max_value=Decimal("100"),
        error_messages={
            "invalid": _("Enter the score as a number from 0 to 100, such as 87.5."),
            "min_value": _("A score lies between 0 and 100."),
            "max_value": _("A score lies between 0 and 100."),
            "max_decimal_places": _("Give the score with at most 2 decimals."),
            "max_digits": _("A score lies between 0 and 100, with at most 2 decimals."),
            "max_whole_digits": _("A score lies between 0 and 100."),
        },
    )

    def __init__(
        self, *args, compounds: dict[str, Compound], firms: dict[str, Firm], indicators, **kwargs
    ) -> None:
        super().__init__(*args, **kwargs)
        self.compounds = compounds
        self.firms = firms
        self.fields["indicator"].choices = [(code, code) for code in indicators]

    def clean_compound_code(self) -> str:
        code = self.cleaned_data["compound_code"].strip()
        if code not in self.compounds:
            raise ValidationError(
                _("No compound with this code is registered."), code="unknown_compound"
            )
        return code


class AssessmentImporter(Importer):
    name = "assessments"
    verbose_name = _("assessments")
    columns = (
        Column("year", "年度"),
        Column("compound_code", "小区编号"),
        Column("firm_credit_code", "物业企业"),
        Column("indicator", "指标"),
        Column("assessor_role", "评价主体"),
        Column("score", "分数"),
    )
    key = ("year", "compound_code", "firm_credit_code", "indicator", "assessor_role")
    form_class = AssessmentRowForm
    field_columns = {
        "year": "year",
        "compound": "compound_code",
        "firm": "firm_credit_code",
        "indicator": "indicator",
        "assessor_role": "assessor_role",
        "score": "score",
    }

    def __init__(self, *, user=None) -> None:
        super().__init__(user=user)
        self.compounds: dict[str, Compound] = {}
        self.firms: dict[str, Firm] = {}
        self.indicators: dict[str, Indicator] = {}

    def prepare(self, records: list[dict[str, str]]) -> None:
        self.compounds = bulk_by(
            Compound.objects.all(), "code", (r.get("compound_code", "").strip() for r in records)
        )
        self.firms = bulk_by(
            Firm.objects.all(),
            "credit_code",
            (normalize_credit_code(r.get("firm_credit_code", "")) for r in records),
        )
        self.indicators = services.indicators_ensure()

    def form_kwargs(self) -> dict[str, Any]:
        return {"compounds": self.compounds, "firms": self.firms, "indicators": self.indicators}

    def existing(self, keys: list[tuple]) -> dict[tuple, Assessment]:
        years = sorted({key[0] for key in keys})
        compound_ids = sorted({self.compounds[key[1]].pk for key in keys})
        found = {}
        for chunk in _chunks(compound_ids):
            queryset = Assessment.objects.filter(
                year__in=years, compound_id__in=chunk
            ).select_related("compound", "firm", "indicator")
            for a in queryset:
                key = (
                    a.year,
                    a.compound.code,
                    a.firm.credit_code,
                    a.indicator.code,
                    a.assessor_role,
                )
                found[key] = a
        return found

    def current_values(self, instance: Assessment, codes) -> dict[str, Any]:
        current = {
            "year": instance.year,
            "compound_code": instance.compound.code,
            "firm_credit_code": instance.firm.credit_code,
            "indicator": instance.indicator.code,
            "assessor_role": instance.assessor_role,
            "score": instance.score,
        }
        return {code: current[code] for code in codes}

    def _save(self, values: dict[str, Any]) -> None:
        services.assessment_save(
            user=self.user,
            year=values["year"],
            compound=self.compounds[values["compound_code"]],
            firm=self.firms[values["firm_credit_code"]],
            indicator=self.indicators[values["indicator"]],
            assessor_role=values["assessor_role"],
            score=values["score"],
            reason=IMPORT_REASON,
        )

    def create(self, values: dict[str, Any]) -> None:
        self._save(values)

    def update(self, instance: Assessment, values: dict[str, Any], changed: set[str]) -> None:
        self._save(values)


# --- credit events ---------------------------------------------------------------------------


class CreditEventRowForm(_FirmLookupMixin, forms.Form):
    year = _year_field()
    firm_credit_code = CreditCodeField()
    kind = forms.ChoiceField(choices=EventKind.choices)
    points = forms.DecimalField(
        required=False,
        max_digits=6,
        decimal_places=2,
        min_value=Decimal("0"),
        error_messages={
            "invalid": _("Enter the points as a number, such as 2 or 1.5."),
            "min_value": _("Points cannot be negative."),
            "max_decimal_places": _("Give the points with at most 2 decimals."),
        },
    )
    date = forms.DateField(
        input_formats=["%Y-%m-%d"],
        error_messages={"invalid": _("Enter the date as YYYY-MM-DD, such as 2023-06-30.")},
    )
    reason = forms.CharField(max_length=500)

    def __init__(self, *args, firms: dict[str, Firm], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.firms = firms

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        kind, points = cleaned.get("kind"), cleaned.get("points")
        if kind and kind != EventKind.VETO and points is None and "points" not in self.errors:
            self.add_error("points", _("Give the points of a bonus or a deduction."))
        elif "points" in cleaned and points is None:
            cleaned["points"] = Decimal("0")  # a veto's points are ignored
        year, date = cleaned.get("year"), cleaned.get("date")
        if year and date and date.year != year:
            self.add_error(
                "date", _("The date must lie within the year %(year)s.") % {"year": year}
            )
        return cleaned


class CreditEventImporter(Importer):
    name = "credit_events"
    verbose_name = _("credit events")
    columns = (
        Column("year", "年度"),
        Column("firm_credit_code", "物业企业"),
        Column("kind", "类型"),
        Column("points", "分值"),
        Column("date", "日期"),
        Column("reason", "事由"),
    )
    key = ("year", "firm_credit_code", "kind", "date", "reason")
    form_class = CreditEventRowForm
    field_columns = {
        "year": "year",
        "firm": "firm_credit_code",
        "kind": "kind",
        "points": "points",
        "date": "date",
        "reason": "reason",
    }

    def __init__(self, *, user=None) -> None:
        super().__init__(user=user)
        self.firms: dict[str, Firm] = {}

    def prepare(self, records: list[dict[str, str]]) -> None:
        self.firms = bulk_by(
            Firm.objects.all(),
            "credit_code",
            (normalize_credit_code(r.get("firm_credit_code", "")) for r in records),
        )

    def form_kwargs(self) -> dict[str, Any]:
        return {"firms": self.firms}

    def existing(self, keys: list[tuple]) -> dict[tuple, CreditEvent]:
        years = sorted({key[0] for key in keys})
        firm_ids = sorted({self.firms[key[1]].pk for key in keys})
        found = {}
        for chunk in _chunks(firm_ids):
            queryset = CreditEvent.objects.filter(year__in=years, firm_id__in=chunk).select_related(
                "firm"
            )
            for e in queryset:
                found[(e.year, e.firm.credit_code, e.kind, e.date, e.reason)] = e
        return found

    def current_values(self, instance: CreditEvent, codes) -> dict[str, Any]:
        current = {
            "year": instance.year,
            "firm_credit_code": instance.firm.credit_code,
            "kind": instance.kind,
            "points": instance.points,
            "date": instance.date,
            "reason": instance.reason,
        }
        return {code: current[code] for code in codes}

    def describe(self, values: dict[str, Any]) -> str:
        firm = self.firms.get(values["firm_credit_code"])
        return f"{values['year']} {firm.name if firm else values['firm_credit_code']} {values['kind']} {values['date']}"

    def create(self, values: dict[str, Any]) -> None:
        services.credit_event_create(
            user=self.user,
            year=values["year"],
            firm=self.firms[values["firm_credit_code"]],
            kind=values["kind"],
            points=values["points"],
            date=values["date"],
            reason=values["reason"],
        )

    def update(self, instance: CreditEvent, values: dict[str, Any], changed: set[str]) -> None:
        services.credit_event_update(
            user=self.user,
            event=instance,
            change_reason=IMPORT_REASON,
            **{code: values[code] for code in changed if code == "points"},
        )
