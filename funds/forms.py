"""Forms of the fund pages: they validate input only; services do the work."""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal

from django import forms
from django.core.validators import FileExtensionValidator
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from portal.pickers import picker_field

from . import selectors
from .choices import EmergencyKind, FundingSource, ItemProgress, Scope
from .models import EVIDENCE_EXTENSIONS, evidence_max_bytes, validate_evidence_size

# What a person writes in a box, with room to spare; a 100,000-character paste is refused by
# the form rather than stored.
TEXT_MAX = 2000
LONG_TEXT_MAX = 10000
# Owners of one vote's scope: more than any compound has households.
OWNERS_MAX = 1_000_000
# Publicity of an ordinary use: at least the rule's days, at most a quarter of a year.
PUBLICITY_DAYS_MAX = 90


def money_field(label, *, required: bool = True) -> forms.DecimalField:
    # decimal_places=2 turns 3 decimals into a form error; min_value refuses 0 and negatives.
    return forms.DecimalField(
        label=label,
        max_digits=14,
        decimal_places=2,
        min_value=Decimal("0.01"),
        required=required,
    )


def area_field(label) -> forms.DecimalField:
    return forms.DecimalField(label=label, max_digits=12, decimal_places=2, min_value=Decimal("0"))


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".jpg,.jpeg,.png,.pdf"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else []


# What people add to a building's or a unit's number: 2栋, 2号楼, 2幢, 2#; 1单元.
BUILDING_SUFFIX = re.compile(r"(号楼|栋|幢|楼|号|#)$")
UNIT_SUFFIX = re.compile(r"(单元|号)$")


def name_key(text: str, suffix: re.Pattern) -> str:
    """How a building or unit is compared: ２栋, 2 栋 and 2号楼 are all the building 2."""
    text = "".join(unicodedata.normalize("NFKC", text or "").split())
    return suffix.sub("", text)


def match_name(text: str, stored: list[str], suffix: re.Pattern) -> str | None:
    """The stored name that `text` means (the ledger stores "2" and shows "2栋"), or None."""
    wanted = name_key(text, suffix)
    for name in stored:
        if name_key(name, suffix) == wanted:
            return name
    return None


class ScopeMixin(forms.Form):
    scope = forms.ChoiceField(label=_("Who shares the cost"), choices=Scope.choices)
    building = forms.CharField(
        label=_("Building"),
        max_length=20,
        required=False,
        help_text=_("As the fund ledger names it, such as 2 or 2栋."),
    )
    unit = forms.CharField(label=_("Unit"), max_length=20, required=False)

    def clean(self):
        data = super().clean()
        scope = data.get("scope")
        if scope in (Scope.BUILDING, Scope.UNIT) and not data.get("building"):
            self.add_error("building", _("Name the building for this scope."))
        if scope == Scope.UNIT and not data.get("unit"):
            self.add_error("unit", _("Name the unit for this scope."))
        compound = data.get("compound")
        if compound is not None and scope in (Scope.BUILDING, Scope.UNIT):
            self._match_scope(data, compound, scope)
        return data

    def _match_scope(self, data: dict, compound, scope: str) -> None:
        """Take the building and unit as the fund ledger stores them ("2栋" is its building
        "2"), or say which buildings and units there are."""
        if not data.get("building") or "building" in self.errors:
            return
        buildings = selectors.compound_buildings(compound=compound)
        building = match_name(data["building"], list(buildings), BUILDING_SUFFIX)
        if building is None:
            names = [gettext("Building %(b)s") % {"b": b} for b in buildings]
            self.add_error(
                "building",
                gettext(
                    "The fund ledger of %(compound)s has no building “%(building)s”; "
                    "its buildings are: %(names)s."
                )
                % {"compound": compound.name, "building": data["building"], "names": _list(names)},
            )
            return
        data["building"] = building
        if scope != Scope.UNIT or not data.get("unit") or "unit" in self.errors:
            return
        unit = match_name(data["unit"], buildings[building], UNIT_SUFFIX)
        if unit is None:
            names = [gettext("Unit %(u)s") % {"u": u} for u in buildings[building]]
            self.add_error(
                "unit",
                gettext(
                    "Building %(building)s of the fund ledger has no unit “%(unit)s”; "
                    "its units are: %(names)s."
                )
                % {"building": building, "unit": data["unit"], "names": _list(names)},
            )
            return
        data["unit"] = unit


def _list(names: list[str], most: int = 30) -> str:
    """A list for a sentence, the Chinese way (、), cut after `most` names."""
    if not names:
        return "—"
    return "、".join(names[:most]) + ("…" if len(names) > most else "")


class EmergencyForm(ScopeMixin):
    compound = forms.ModelChoiceField(label=_("Compound"), queryset=None)
    kind = forms.ChoiceField(label=_("Emergency"), choices=EmergencyKind.choices)
    title = forms.CharField(label=_("Title"), max_length=120)
    description = forms.CharField(
        label=_("Description"), max_length=LONG_TEXT_MAX, widget=forms.Textarea(attrs={"rows": 4})
    )
    quote_amount = money_field(_("Quoted cost (yuan)"))
    quote_file = forms.FileField(
        label=_("Quote"),
        required=False,
        validators=[FileExtensionValidator(EVIDENCE_EXTENSIONS), validate_evidence_size],
        widget=forms.ClearableFileInput(attrs={"accept": ".jpg,.jpeg,.png,.pdf"}),
    )
    evidence = MultipleFileField(label=_("Evidence photos"), required=False)

    field_order = ["compound", "kind", "title", "description", "scope", "building", "unit"]

    def __init__(self, *args, compounds, **kwargs):
        super().__init__(*args, **kwargs)
        picker_field(self, "compound", "fund-compound", queryset=compounds)
        limits = _("JPG, PNG or PDF, at most %(size)s") % {
            "size": filesizeformat(evidence_max_bytes())
        }
        self.fields["quote_file"].help_text = self.fields["evidence"].help_text = limits

    def clean_evidence(self):
        files = self.cleaned_data.get("evidence") or []
        for f in files:
            if f.name.rsplit(".", 1)[-1].lower() not in EVIDENCE_EXTENSIONS:
                raise forms.ValidationError(_("Upload JPG, PNG or PDF files only."))
            validate_evidence_size(f)
        return files


class ApproveForm(forms.Form):
    amount = money_field(_("Approved cost (yuan)"), required=False)


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Give the reason for the rejection.")},
    )


class OrdinaryForm(ScopeMixin):
    compound = forms.ModelChoiceField(label=_("Compound"), queryset=None)
    title = forms.CharField(label=_("Title"), max_length=120)
    items = forms.CharField(
        label=_("Items of work"), max_length=LONG_TEXT_MAX, widget=forms.Textarea(attrs={"rows": 4})
    )
    budget = money_field(_("Budget (yuan)"))
    raises_fund = forms.BooleanField(
        label=_("Raises or tops up the fund (needs three quarters)"), required=False
    )
    publicity_days = forms.IntegerField(
        label=_("Days of publicity"), min_value=7, max_value=PUBLICITY_DAYS_MAX, initial=7
    )

    field_order = ["compound", "title", "items", "budget", "scope", "building", "unit"]

    def __init__(self, *args, compounds, **kwargs):
        super().__init__(*args, **kwargs)
        picker_field(self, "compound", "fund-compound", queryset=compounds)


class VoteForm(forms.Form):
    total_area = area_field(_("Total floor area of the scope (m²)"))
    total_owners = forms.IntegerField(label=_("Total owners"), min_value=1, max_value=OWNERS_MAX)
    participating_area = area_field(_("Floor area taking part (m²)"))
    participating_owners = forms.IntegerField(
        label=_("Owners taking part"), min_value=0, max_value=OWNERS_MAX
    )
    yes_area = area_field(_("Floor area voting yes (m²)"))
    yes_owners = forms.IntegerField(label=_("Owners voting yes"), min_value=0, max_value=OWNERS_MAX)


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"), choices=[("approve", _("Approve")), ("return", _("Return"))]
    )
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class AcceptForm(forms.Form):
    final_cost = money_field(_("Final cost (yuan)"))


class DepositForm(forms.Form):
    household = forms.ModelChoiceField(label=_("Household"), queryset=None)
    amount = money_field(_("Amount (yuan)"))
    memo = forms.CharField(label=_("Memo"), max_length=200, required=False)

    def __init__(self, *args, households, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["household"].queryset = households


class InterestForm(forms.Form):
    amount = money_field(_("Interest to allocate (yuan)"))
    memo = forms.CharField(label=_("Memo"), max_length=200, required=False)


class NoticeSearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)


# ---------------------------------------------------------------- maintenance plans

MONTHS = [(m, str(m)) for m in range(1, 13)]


class PlanCreateForm(forms.Form):
    compound = forms.ModelChoiceField(label=_("Compound"), queryset=None)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)

    def __init__(self, *args, compounds, **kwargs):
        super().__init__(*args, **kwargs)
        # The firm's own compounds: the registry's compound picker shows the same rows.
        picker_field(self, "compound", "compound", queryset=compounds)


class PlanItemForm(forms.Form):
    facility = forms.CharField(label=_("Facility"), max_length=100)
    work = forms.CharField(label=_("Work"), max_length=200)
    planned_month = forms.TypedChoiceField(label=_("Planned month"), choices=MONTHS, coerce=int)
    estimated_cost = money_field(_("Estimated cost (yuan)"))
    funding_source = forms.ChoiceField(label=_("Funding source"), choices=FundingSource.choices)


class PlanStreetReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"), choices=[("pass", _("Pass to the bureau")), ("return", _("Return"))]
    )
    comment = forms.CharField(
        label=_("Comments"),
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class PlanProgressForm(forms.Form):
    progress = forms.ChoiceField(label=_("Progress"), choices=ItemProgress.choices)
    date = forms.DateField(
        label=_("Date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class PlanDeductForm(forms.Form):
    points = forms.DecimalField(
        label=_("Points to deduct"),
        max_digits=6,
        decimal_places=2,
        min_value=Decimal("0.01"),
    )
    reason = forms.CharField(
        label=_("Reason"), max_length=300, widget=forms.Textarea(attrs={"rows": 2})
    )
