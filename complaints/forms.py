"""The forms of the complaints: one entered by hand, the firm's answer, the community's
verification, a clerk's address match."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from cases.forms import CompoundChoiceField
from credit.forms.common import form_helper
from portal.pickers import PickerSelect

from .choices import Verification


class ComplaintForm(forms.Form):
    compound = CompoundChoiceField(
        label=_("Compound"), queryset=None, widget=PickerSelect("compound")
    )
    category = forms.CharField(label=_("Category"), max_length=60)
    text = forms.CharField(
        label=_("Complaint"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )
    address = forms.CharField(label=_("Address"), max_length=300, required=False)

    def __init__(self, *args, compounds, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["compound"].queryset = compounds
        self.helper = form_helper()


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Answer"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = form_helper()


class VerifyForm(forms.Form):
    verification = forms.ChoiceField(
        label=_("Verification"), choices=Verification.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=_("Note"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = form_helper()


class MatchForm(forms.Form):
    address = forms.CharField(label=_("Address"), max_length=300, widget=forms.HiddenInput)
    compound = CompoundChoiceField(
        label=_("Compound"), queryset=None, widget=PickerSelect("compound")
    )

    def __init__(self, *args, compounds, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["compound"].queryset = compounds
        self.helper = form_helper()


class FormulaForm(forms.Form):
    start = forms.DecimalField(
        label=_("starting score"), min_value=0, max_value=100, max_digits=5, decimal_places=2
    )
    threshold = forms.DecimalField(
        label=_("complaints per 1,000 households not counted"),
        min_value=0,
        max_digits=6,
        decimal_places=2,
    )
    k1 = forms.DecimalField(
        label=_("points per complaint per 1,000 households above the threshold"),
        min_value=0,
        max_digits=6,
        decimal_places=2,
    )
    k2 = forms.DecimalField(
        label=_("points for all not answered on time"), min_value=0, max_digits=6, decimal_places=2
    )
    k3 = forms.DecimalField(
        label=_("points for all not verified resolved"), min_value=0, max_digits=6, decimal_places=2
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = form_helper()
