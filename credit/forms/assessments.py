"""Forms of the assessment pages: the window, the grid, the progress reminders and credit
events. They validate; the views call credit.services."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django import forms
from django.conf import settings
from django.core.validators import FileExtensionValidator
from django.db.models import Q
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from companies.imports import CreditCodeField
from companies.models import Compound, Firm

from ..choices import AssessorRole, EventKind
from ..models import CreditEvent, Indicator
from ..services import grid_cell_key
from .common import form_helper, year_field

SCORE_ERRORS = {
    "invalid": _("Enter the score as a number from 0 to 100, such as 87.5."),
    "min_value": _("A score lies between 0 and 100."),
    "max_value": _("A score lies between 0 and 100."),
    "max_decimal_places": _("Give the score with at most 2 decimals."),
    "max_digits": _("A score lies between 0 and 100, with at most 2 decimals."),
    "max_whole_digits": _("A score lies between 0 and 100."),
}
# Evidence of a credit event: a scan or a photo. The limit can be set in the settings.
EVIDENCE_EXTENSIONS = ("pdf", "jpg", "jpeg", "png")
EVIDENCE_SIGNATURES = (b"%PDF-", b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n")


def evidence_max_bytes() -> int:
    return settings.CREDIT_EVIDENCE_MAX_BYTES


def _bootstrap(form: forms.Form) -> None:
    """Bootstrap classes on a filter form rendered field by field."""
    for field in form.fields.values():
        css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
        field.widget.attrs.setdefault("class", css)


# --- the window ------------------------------------------------------------------------------


class WindowOpenForm(forms.Form):
    year = year_field()

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            # Assessments look back on the year just ended.
            self.initial.setdefault("year", timezone.localdate().year - 1)


# --- the grid --------------------------------------------------------------------------------


class GridFilterForm(forms.Form):
    """Which compounds the grid shows: by street (city-wide users), community, name or code."""

    street = forms.TypedChoiceField(label=_("street"), required=False, coerce=int, empty_value=None)
    community = forms.TypedChoiceField(
        label=_("community"), required=False, coerce=int, empty_value=None
    )
    q = forms.CharField(label=_("compound"), required=False, max_length=60)
    missing = forms.BooleanField(
        label=_("only those I have not scored"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )

    def __init__(self, *args, streets, communities, show_street: bool, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        everything = [("", _("all"))]
        self.fields["community"].choices = everything + [
            (c.pk, f"{c.street.name} · {c.name}" if show_street else c.name) for c in communities
        ]
        if show_street:
            self.fields["street"].choices = everything + [(s.pk, s.name) for s in streets]
        else:
            del self.fields["street"]
        _bootstrap(self)

    @property
    def only_missing(self) -> bool:
        return self.is_valid() and self.cleaned_data["missing"]

    def filter(self, queryset):
        if not self.is_valid():
            return queryset
        data = self.cleaned_data
        if data.get("street"):
            queryset = queryset.filter(community__street_id=data["street"])
        if data.get("community"):
            queryset = queryset.filter(community_id=data["community"])
        if data.get("q"):
            q = data["q"].strip()
            queryset = queryset.filter(Q(name__icontains=q) | Q(code__iexact=q))
        return queryset


class AssessmentGridForm(forms.Form):
    """One score field per (compound, indicator): `c<compound id>_<indicator code>`, blank
    for no score; a `reason` field when bureau staff change scores after the window closed."""

    def __init__(
        self,
        *args,
        compounds: Sequence[Compound],
        indicators: Sequence[Indicator],
        scores: dict[tuple, Decimal],
        needs_reason: bool = False,
        read_only: bool = False,
        **kwargs,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.compounds = list(compounds)
        self.indicators = list(indicators)
        for compound in self.compounds:
            for indicator in self.indicators:
                attrs = {
                    "class": "form-control form-control-sm text-end",
                    "inputmode": "decimal",
                    "aria-label": f"{compound.name} · {indicator.name}",
                    "data-indicator": indicator.code,
                }
                if read_only:
                    attrs["disabled"] = True
                self.fields[grid_cell_key(compound.pk, indicator.code)] = forms.DecimalField(
                    label=indicator.name,
                    required=False,
                    max_digits=5,
                    decimal_places=2,
                    min_value=Decimal("0"),
                    max_value=Decimal("100"),
                    initial=scores.get((compound.pk, indicator.pk)),
                    error_messages=SCORE_ERRORS,
                    widget=forms.NumberInput(attrs=attrs),
                )
        if needs_reason:
            self.fields["reason"] = forms.CharField(
                label=_("reason for the change"),
                max_length=200,
                help_text=_("The window is closed: the reason is kept in the scores' history."),
                error_messages={
                    "required": _("Give a reason for changing a score after the window closed.")
                },
            )

    def rows(self) -> list[tuple[Compound, list[forms.BoundField]]]:
        """A row per compound, a cell per indicator; refused cells are marked invalid."""
        rows = []
        for compound in self.compounds:
            cells = []
            for indicator in self.indicators:
                name = grid_cell_key(compound.pk, indicator.code)
                if self.is_bound and self.errors.get(name):
                    attrs = self.fields[name].widget.attrs
                    attrs["class"] += " is-invalid"
                    attrs["aria-invalid"] = "true"
                    attrs["aria-describedby"] = f"{name}-error"
                cells.append(self[name])
            rows.append((compound, cells))
        return rows

    def entries(self) -> list[tuple[Compound, Indicator, Decimal]]:
        """The cells that hold a score (blank cells are no score)."""
        return [
            (compound, indicator, value)
            for compound in self.compounds
            for indicator in self.indicators
            if (value := self.cleaned_data.get(grid_cell_key(compound.pk, indicator.code)))
            is not None
        ]


# --- progress --------------------------------------------------------------------------------


class ReminderForm(forms.Form):
    level = forms.ChoiceField(
        label=_("remind"),
        choices=[
            ("both", _("street and community officers")),
            (AssessorRole.STREET, _("street officers")),
            (AssessorRole.COMMUNITY, _("community officers")),
        ],
        initial="both",
    )

    def levels(self) -> list[str]:
        level = self.cleaned_data["level"]
        return [AssessorRole.STREET, AssessorRole.COMMUNITY] if level == "both" else [level]


# --- credit events ---------------------------------------------------------------------------


class CreditEventFilterForm(forms.Form):
    year = year_field(required=False)
    firm = forms.CharField(label=_("firm"), required=False, max_length=120)
    kind = forms.ChoiceField(
        label=_("kind"), required=False, choices=[("", _("all"))] + EventKind.choices
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        _bootstrap(self)


class CreditEventForm(forms.Form):
    """A credit event; on an existing event the year and firm are fixed."""

    year = year_field()
    firm = CreditCodeField(
        label=_("firm's credit code"),
        max_length=18,
        help_text=_("The 18-character unified social credit code."),
    )
    kind = forms.ChoiceField(label=_("kind"), choices=EventKind.choices)
    points = forms.DecimalField(
        label=_("points"),
        max_digits=6,
        decimal_places=2,
        min_value=Decimal("0"),
        initial=Decimal("0"),
        help_text=_("0 or more, at most 2 decimals; ignored for a veto."),
        error_messages={
            "min_value": _("Points cannot be negative."),
            "max_decimal_places": _("Give the points with at most 2 decimals."),
            "max_digits": _("Give the points with at most 4 digits and 2 decimals."),
            "max_whole_digits": _("Give the points with at most 4 digits and 2 decimals."),
        },
    )
    date = forms.DateField(label=_("date"), widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(
        label=_("reason"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Give the reason of the event.")},
    )
    evidence = forms.FileField(
        label=_("evidence"),
        required=False,
        max_length=100,
        validators=[FileExtensionValidator(EVIDENCE_EXTENSIONS)],
        help_text=_("PDF, JPG or PNG."),
    )
    change_reason = forms.CharField(
        label=_("reason for the change"), required=False, max_length=200
    )

    def __init__(self, *args, event: CreditEvent | None = None, **kwargs) -> None:
        if event is not None:
            kwargs.setdefault(
                "initial",
                {
                    "year": event.year,
                    "firm": event.firm.credit_code,
                    "kind": event.kind,
                    "points": event.points,
                    "date": event.date,
                    "reason": event.reason,
                },
            )
        super().__init__(*args, **kwargs)
        self.event = event
        self.firm_obj: Firm | None = event.firm if event is not None else None
        if event is None:
            del self.fields["change_reason"]
        else:
            for name in ("year", "firm"):
                self.fields[name].disabled = True
        self.helper = form_helper()

    def clean_firm(self) -> str:
        code = self.cleaned_data["firm"]
        if self.event is not None:
            return code
        self.firm_obj = Firm.objects.filter(credit_code=code).first()
        if self.firm_obj is None:
            raise forms.ValidationError(_("No firm with this credit code is registered."))
        return code

    def clean_evidence(self) -> Any:
        evidence = self.cleaned_data.get("evidence")
        if not evidence:
            return evidence
        limit = evidence_max_bytes()
        if evidence.size > limit:
            raise forms.ValidationError(
                _("The file is too large: at most %(limit)s.") % {"limit": filesizeformat(limit)}
            )
        head = evidence.read(8)
        evidence.seek(0)
        if not head.startswith(EVIDENCE_SIGNATURES):
            raise forms.ValidationError(_("The file is not a PDF, JPG or PNG file."))
        return evidence

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        year, date = cleaned.get("year"), cleaned.get("date")
        if year and isinstance(date, dt.date) and date.year != year:
            self.add_error(
                "date", _("The date must lie within the year %(year)s.") % {"year": year}
            )
        return cleaned
