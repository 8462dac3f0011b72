"""The forms of the spot checks: a plan (bureau) and a result (an inspector, on a phone)."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from credit.forms.common import form_helper
from credit.forms.publication import EvidenceFilesField

from . import selectors
from .choices import CHECKLIST, DEDUCTION_MAX_POINTS, DEFAULT_CHECKS_PER_YEAR, Outcome


class InspectorField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj} ({obj.get_role_display()}, {obj.scope_label})"

    def _check_values(self, value):
        # An id no database integer can hold is no choice: refused here, not as a 500.
        for pk in value:
            text = str(pk)
            if not (text.isascii() and text.isdigit() and int(text) < 2**63):
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                )
        return super()._check_values(value)


class PlanForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=60, help_text=_("For example 2026 Q1."))
    start = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("Until"), widget=forms.DateInput(attrs={"type": "date"}))
    checks_a = forms.IntegerField(
        label=_("Checks a year, grade A"),
        min_value=0,
        max_value=52,
        initial=DEFAULT_CHECKS_PER_YEAR["A"],
    )
    checks_b = forms.IntegerField(
        label=_("Checks a year, grade B"),
        min_value=0,
        max_value=52,
        initial=DEFAULT_CHECKS_PER_YEAR["B"],
    )
    checks_c = forms.IntegerField(
        label=_("Checks a year, grade C"),
        min_value=0,
        max_value=52,
        initial=DEFAULT_CHECKS_PER_YEAR["C"],
    )
    checks_d = forms.IntegerField(
        label=_("Checks a year, grade D"),
        min_value=0,
        max_value=52,
        initial=DEFAULT_CHECKS_PER_YEAR["D"],
    )
    inspectors = InspectorField(
        label=_("Inspectors"),
        queryset=selectors.inspector_choices(),
        widget=forms.SelectMultiple(attrs={"size": 12}),
        help_text=_(
            "Bureau staff and street or community officers; nobody inspects a compound of their own street."
        ),
    )

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            self.add_error("end", _("The period ends before it starts."))
        return data

    def checks_per_year(self) -> dict[str, int]:
        return {grade: self.cleaned_data[f"checks_{grade.lower()}"] for grade in "ABCD"}


class MultiplePhotoInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultiplePhotoField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "widget",
            MultiplePhotoInput(attrs={"accept": "image/jpeg,image/png", "capture": "environment"}),
        )
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultiplePhotoField, self).clean(item, initial) for item in data if item]
        return [super().clean(data, initial)] if data else []


class ResultForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=Outcome.choices, widget=forms.RadioSelect
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )
    photos = MultiplePhotoField(
        label=_("Photos"),
        required=False,
        help_text=_("JPG or PNG photos, up to six."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        items = {code: forms.BooleanField(label=label, required=False) for code, label in CHECKLIST}
        # The checklist first: it is what the inspector walks through on site.
        self.fields = {**items, **self.fields}

    def checklist(self) -> dict[str, bool]:
        return {code: self.cleaned_data.get(code, False) for code, _label in CHECKLIST}


class RectificationAnswerForm(forms.Form):
    measures = forms.CharField(
        label=_("What your firm did"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    files = EvidenceFilesField(label=_("Evidence"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper()


class SendBackForm(forms.Form):
    reasons = forms.CharField(
        label=_("Reasons"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The firm reads them and answers again, by the same date."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper()


class DeductionForm(forms.Form):
    points = forms.DecimalField(
        label=_("Points deducted"),
        min_value=Decimal("0.01"),
        max_value=DEDUCTION_MAX_POINTS,
        max_digits=4,
        decimal_places=2,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper()
