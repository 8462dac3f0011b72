"""The forms of the cases: a warning (a community officer on a phone), the street's review,
a department's report, closing, confirmation, and the bureau's credit event."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from credit.forms.common import form_helper
from portal.params import ID_MAX, parse_int

from . import selectors
from .choices import CaseState, Urgency, credit_points_default


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


def _refuse_out_of_range(field: forms.Field, values) -> None:
    # Django asks the database about a posted id as it is: one past the column's range
    # (10**20) would overflow SQLite's integer (a 500) instead of being no such row.
    for pk in values:
        if parse_int(str(pk), minimum=1, maximum=ID_MAX) is None:
            raise forms.ValidationError(
                field.error_messages.get("invalid_pk_value")
                or field.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"pk": pk, "value": pk},
            )


class RowChoiceField(forms.ModelChoiceField):
    def to_python(self, value):
        if value not in self.empty_values:
            _refuse_out_of_range(self, [value])
        return super().to_python(value)


class RowsChoiceField(forms.ModelMultipleChoiceField):
    def _check_values(self, value):
        _refuse_out_of_range(self, value)
        return super()._check_values(value)


class CompoundChoiceField(RowChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.name} · {obj.code}"


class CaseForm(forms.Form):
    compound = CompoundChoiceField(label=_("Compound"), queryset=None)
    category = RowChoiceField(label=_("Category"), queryset=None)
    urgency = forms.ChoiceField(
        label=_("Urgency"),
        choices=Urgency.choices,
        initial=Urgency.NORMAL,
        widget=forms.RadioSelect,
    )
    description = forms.CharField(
        label=_("What did you find?"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )
    photos = MultiplePhotoField(
        label=_("Photos"), required=False, help_text=_("JPG or PNG photos, up to six.")
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["compound"].queryset = selectors.compounds_to_warn_about(user=user)
        self.fields["category"].queryset = selectors.active_categories()
        self.helper = form_helper()


class HandleForm(forms.Form):
    handle_note = forms.CharField(
        label=_("How the street handled it"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class WhistleForm(forms.Form):
    departments = RowsChoiceField(
        label=_("Departments"),
        queryset=None,
        required=False,  # the service refuses an empty whistle, with its own message
        widget=forms.CheckboxSelectMultiple,
    )
    whistle_note = forms.CharField(
        label=_("Instructions"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["departments"].queryset = selectors.active_departments()


class ReportForm(forms.Form):
    action = forms.CharField(
        label=_("Action taken"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
    result = forms.CharField(
        label=_("Result"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper()


class CloseForm(forms.Form):
    close_note = forms.CharField(
        label=_("Closing note"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ConfirmForm(forms.Form):
    resolved = forms.TypedChoiceField(
        label=_("On the spot"),
        choices=[("yes", _("Resolved")), ("no", _("Not resolved: back to the street"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    confirm_note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=5000,
        help_text=_("Required when it is not resolved: say what is still wrong."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class CreditForm(forms.Form):
    points = forms.DecimalField(
        label=_("Points to deduct"),
        min_value=0,
        max_digits=6,
        decimal_places=2,
        initial=credit_points_default,
    )
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=500,
        help_text=_("Left empty: the case's number, category and compound."),
    )


class CaseFilterForm(forms.Form):
    state = forms.ChoiceField(
        label=_("State"), required=False, choices=[("", _("All states")), *CaseState.choices]
    )
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)


class MonthForm(forms.Form):
    month = forms.CharField(
        label=_("Month"),
        required=False,
        max_length=7,
        widget=forms.DateInput(attrs={"type": "month"}),
    )

    def clean_month(self):
        value = self.cleaned_data["month"]
        if not value:
            return None
        try:
            year, month = (int(part) for part in value.split("-"))
        except ValueError:
            raise forms.ValidationError(_("Enter a month as YYYY-MM.")) from None
        if not (2000 <= year <= 2100 and 1 <= month <= 12):
            raise forms.ValidationError(_("Enter a month as YYYY-MM."))
        return year, month
