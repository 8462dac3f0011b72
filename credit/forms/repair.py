"""Forms of credit repair and the working-day calendar: they validate; the views call
credit.services.repair."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import DayKind, RepairStatus
from .common import DecisionForm, form_helper
from .publication import EvidenceFilesField


class RepairApplicationForm(forms.Form):
    rectification = forms.CharField(
        label=_("what your firm rectified"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    files = EvidenceFilesField(label=_("evidence"))

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = form_helper()


class RepairApproveForm(DecisionForm):
    pass


class RepairRefuseForm(DecisionForm):
    reasons = forms.CharField(
        label=_("reasons"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The firm reads them; it stays on the list and may apply again."),
        error_messages={"required": _("Give the reasons for refusing the application.")},
    )


class RepairFilterForm(forms.Form):
    state = forms.ChoiceField(
        label=_("state"),
        required=False,
        choices=[("", _("all")), *RepairStatus.choices],
        widget=forms.Select(attrs={"class": "form-select"}),
    )


class CalendarDayForm(forms.Form):
    date = forms.DateField(label=_("date"), widget=forms.DateInput(attrs={"type": "date"}))
    kind = forms.ChoiceField(label=_("kind"), choices=DayKind.choices)
    name = forms.CharField(label=_("name"), max_length=50)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = form_helper()
