"""Registry forms: they validate; the views hand the cleaned data to companies.services."""

from __future__ import annotations

import datetime as dt

from crispy_forms.helper import FormHelper
from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.pickers import picker_field

from . import selectors
from .models import Compound, Firm, Management
from .validators import HOUSEHOLDS_MAX, normalize_credit_code


def _helper() -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False  # the template writes the <form>, its CSRF token and buttons
    helper.disable_csrf = True
    return helper


class FirmForm(forms.ModelForm):
    class Meta:
        model = Firm
        fields = ["credit_code", "name", "legal_representative", "phone", "address"]
        help_texts = {
            "credit_code": _("18 characters (GB 32100-2015); the last one is a check character."),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper()

    def clean_credit_code(self) -> str:
        return normalize_credit_code(self.cleaned_data["credit_code"])

    def clean_name(self) -> str:
        return self.cleaned_data["name"].strip()


# The picker's empty choice: no firm manages the compound.
NO_FIRM_HELP = _(
    "Type part of the firm's name or credit code; leave empty for no professional firm (self-managed)."
)

COMPOUND_ERRORS = {
    "households": {
        "min_value": _("A compound has at least one household."),
        "max_value": _("A compound has at most %(limit_value)s households."),
    },
    "red_heart_year": {
        "min_value": _("Enter a year between 2000 and 2100."),
        "max_value": _("Enter a year between 2000 and 2100."),
    },
    "floor_area": {
        "min_value": _("The floor area must be greater than 0."),
        "max_decimal_places": _("Give the floor area with at most 2 decimals."),
    },
}


def _between(field: forms.IntegerField, minimum: int, maximum: int) -> None:
    """Bounds for a model form's integer field, which has the column type's only."""
    field.min_value, field.max_value = minimum, maximum
    field.validators += [MinValueValidator(minimum), MaxValueValidator(maximum)]
    field.widget.attrs.update(min=minimum, max=maximum)


class CompoundForm(forms.ModelForm):
    class Meta:
        model = Compound
        fields = [
            "code",
            "name",
            "community",
            "households",
            "floor_area",
            "has_owners_committee",
            "has_party_org",
            "red_heart_year",
        ]
        error_messages = COMPOUND_ERRORS
        help_texts = {
            "red_heart_year": _("Leave empty unless it is a red-heart demonstration project."),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # The columns would take any 32-bit number; no compound comes near these.
        _between(self.fields["households"], 1, HOUSEHOLDS_MAX)
        _between(self.fields["red_heart_year"], 2000, 2100)
        # 248 communities, many of the same name: a searchable picker naming the street.
        picker_field(self, "community", "community", queryset=selectors.communities_for_choice())
        self.helper = _helper()


class CompoundCreateForm(CompoundForm):
    """A new compound, with its managing firm from a date (none: self-managed)."""

    firm = forms.ModelChoiceField(
        label=_("Managing firm"),
        queryset=Firm.objects.none(),
        required=False,
        help_text=NO_FIRM_HELP,
    )
    since = forms.DateField(
        label=_("Managed since"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Empty: today."),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        picker_field(self, "firm", "firm", queryset=selectors.firms_for_choice())


class ChangeFirmForm(forms.Form):
    """Which firm manages the compound from which date; checked against the open period."""

    firm = forms.ModelChoiceField(
        label=_("New managing firm"),
        queryset=Firm.objects.none(),
        required=False,
        help_text=NO_FIRM_HELP,
    )
    since = forms.DateField(label=_("Since"), widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args, compound: Compound, current: Management | None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.compound = compound
        self.current = current
        picker_field(self, "firm", "firm", queryset=selectors.firms_for_choice())
        if not self.is_bound:
            self.initial.setdefault("since", timezone.localdate())
        self.helper = _helper()

    def clean(self) -> dict:
        data = super().clean()
        firm = data.get("firm")
        if "firm" in data and (firm.pk if firm else None) == self.compound.firm_id:
            self.add_error("firm", _("This is already the compound's managing firm."))
        since: dt.date | None = data.get("since")
        if since and self.current is not None and since < self.current.start_date:
            self.add_error(
                "since",
                _("The new firm cannot start before the current one (%(date)s).")
                % {"date": self.current.start_date.isoformat()},
            )
        return data
