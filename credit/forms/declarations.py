"""Forms of good-conduct declarations: they validate; the views call
credit.services.declarations."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import DECLARATION_MAX_POINTS, ConductKind, DeclarationStatus
from .common import DecisionForm, form_helper
from .publication import EvidenceFilesField


class DeclarationForm(forms.Form):
    kind = forms.ChoiceField(label=_("kind"), choices=ConductKind.choices)
    date = forms.DateField(
        label=_("date of the conduct"), widget=forms.DateInput(attrs={"type": "date"})
    )
    description = forms.CharField(
        label=_("description"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What your firm did, where and when, and who recognised it."),
    )
    files = EvidenceFilesField(label=_("evidence"))

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = form_helper()


class DeclarationAcceptForm(DecisionForm):
    points = forms.DecimalField(
        label=_("bonus points"),
        min_value=Decimal("0.01"),
        max_value=DECLARATION_MAX_POINTS,
        max_digits=4,
        decimal_places=2,
    )


class DeclarationRefuseForm(DecisionForm):
    reasons = forms.CharField(
        label=_("reasons"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The firm reads them."),
        error_messages={"required": _("Give the reasons for refusing the declaration.")},
    )


class DeclarationFilterForm(forms.Form):
    state = forms.ChoiceField(
        label=_("state"),
        required=False,
        choices=[("", _("all")), *DeclarationStatus.choices],
        widget=forms.Select(attrs={"class": "form-select"}),
    )
