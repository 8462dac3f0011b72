"""Forms of rectification to the end: the firm's answer, the bureau's edits and delegation, the
re-inspection, the summons, the key-supervision list, the deduction and the commendation
policy. They validate; the views call credit.rectification."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.models import Street

from ..models import Verdict
from ..rectification import DEFAULT_DEDUCTION_POINTS
from .common import form_helper
from .publication import EvidenceFilesField


class _Form(forms.Form):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = form_helper()


class NoticeAnswerForm(_Form):
    text = forms.CharField(
        label=_("measures your firm took"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    files = EvidenceFilesField(label=_("evidence"), required=False)


class NoticeEditForm(_Form):
    findings = forms.CharField(
        label=_("findings"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    measures = forms.CharField(
        label=_("required measures"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    deadline = forms.DateField(
        label=_("rectify by"), widget=forms.DateInput(attrs={"type": "date"})
    )


class NoticeDelegateForm(_Form):
    street = forms.ModelChoiceField(
        label=_("street"),
        queryset=Street.objects.order_by("name"),
        required=False,
        empty_label=_("none: the bureau re-inspects"),
    )


class ReinspectForm(_Form):
    verdict = forms.ChoiceField(
        label=_("verdict"), choices=Verdict.choices, widget=forms.RadioSelect
    )
    reasons = forms.CharField(
        label=_("reasons"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when the answer is sent back."),
    )
    deadline = forms.DateField(
        label=_("new deadline"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("When sent back: the deadline is kept unless you extend it."),
    )


class OverdueCloseForm(_Form):
    note = forms.CharField(
        label=_("note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class SummonsForm(_Form):
    scheduled_at = forms.DateTimeField(
        label=_("date and time"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    place = forms.CharField(label=_("place"), max_length=200)


class MinutesForm(_Form):
    minutes = forms.CharField(
        label=_("minutes"), max_length=10000, widget=forms.Textarea(attrs={"rows": 4})
    )


class KeySupervisionForm(_Form):
    reason = forms.CharField(label=_("reason"), max_length=500)


class DeductionForm(_Form):
    points = forms.DecimalField(
        label=_("points to deduct"),
        max_digits=6,
        decimal_places=2,
        min_value=Decimal("0.01"),
        initial=DEFAULT_DEDUCTION_POINTS,
    )


class PolicyForm(_Form):
    text = forms.CharField(
        label=_("policy support"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Shown on the commendation notices of the year and on the public page."),
    )
