"""The forms of the demonstration applications: the firm's application and resubmission, the
community's and street's recommendation, the bureau's decision."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from credit.forms.common import form_helper
from credit.forms.publication import EvidenceFilesField
from portal.params import ID_MAX, parse_int

from . import selectors
from .choices import STANDARDS, State


class CompoundChoiceField(forms.ModelChoiceField):
    def to_python(self, value):
        # An id past the column's range is no such row (not an overflow in the database).
        if (
            value not in self.empty_values
            and parse_int(str(value), minimum=1, maximum=ID_MAX) is None
        ):
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            )
        return super().to_python(value)

    def label_from_instance(self, obj) -> str:
        return f"{obj.name} · {obj.code}"


class ApplicationForm(forms.Form):
    compound = CompoundChoiceField(label=_("compound"), queryset=None)
    year = forms.IntegerField(label=_("year"), min_value=2000, max_value=2100)
    party_org = forms.CharField(
        label=_("Party organisation"),
        max_length=200,
        help_text=_("The Party branch or group at the compound."),
    )
    standards = forms.MultipleChoiceField(
        label=_("service standards met"),
        choices=STANDARDS,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    satisfaction = forms.DecimalField(
        label=_("owners' satisfaction (%)"),
        min_value=0,
        max_value=100,
        max_digits=5,
        decimal_places=1,
        required=False,
        help_text=_("From the owners' survey; or attach the survey below."),
    )
    description = forms.CharField(
        label=_("description"), max_length=5000, widget=forms.Textarea(attrs={"rows": 6})
    )
    files = EvidenceFilesField(label=_("evidence files"), required=False)

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["compound"].queryset = selectors.compounds_to_apply_for(user=user)
        self.fields["year"].initial = timezone.localdate().year
        self.helper = form_helper()


class ResubmitForm(forms.Form):
    description = forms.CharField(
        label=_("description"), max_length=5000, widget=forms.Textarea(attrs={"rows": 6})
    )
    satisfaction = forms.DecimalField(
        label=_("owners' satisfaction (%)"),
        min_value=0,
        max_value=100,
        max_digits=5,
        decimal_places=1,
        required=False,
    )
    files = EvidenceFilesField(label=_("evidence files"), required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = form_helper()


class RecommendForm(forms.Form):
    recommend = forms.TypedChoiceField(
        label=_("your answer"),
        choices=[("yes", _("Recommend")), ("no", _("Do not recommend"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("reasons"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when you do not recommend it."),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = form_helper()


class DecideForm(forms.Form):
    approve = forms.TypedChoiceField(
        label=_("decision"),
        choices=[("yes", _("Approve")), ("no", _("Refuse"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    bonus = forms.BooleanField(
        label=_("Record the rule set's bonus credit event for the firm"),
        required=False,
    )
    note = forms.CharField(
        label=_("reasons"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required for a refusal."),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = form_helper()


class FilterForm(forms.Form):
    state = forms.ChoiceField(
        label=_("state"), choices=[("", _("All"))] + list(State.choices), required=False
    )
    q = forms.CharField(label=_("compound"), max_length=60, required=False)
    year = forms.IntegerField(label=_("year"), min_value=2000, max_value=2100, required=False)
