"""Forms of the rule set and rating run pages: they validate; the views call credit.services."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.core.validators import MaxValueValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..models import Indicator, RuleSet
from ..models.rules import VETO_LISTING_YEARS_MAX
from .common import form_helper, year_field

# The longest publicity (公示) a rule set may ask for; the columns would take 32,767 days, and
# a date that far away overflows.
PUBLICITY_DAYS_MAX = 90


# Working days: a decision on a credit repair is a matter of days, never of a season.
REPAIR_DECISION_DAYS_MAX = 60


class RuleSetCopyForm(forms.Form):
    source = forms.ModelChoiceField(label=_("copy from"), queryset=RuleSet.objects.none())
    year = year_field()

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["source"].queryset = RuleSet.objects.order_by("-year")
        latest = RuleSet.objects.order_by("-year").first()
        if latest is not None and not self.is_bound:
            self.initial.setdefault("source", latest.pk)
            self.initial.setdefault("year", latest.year + 1)
        self.helper = form_helper()

    def clean_year(self) -> int:
        year = self.cleaned_data["year"]
        if RuleSet.objects.filter(year=year).exists():
            raise forms.ValidationError(
                _("The year %(year)s has a rule set already.") % {"year": year}
            )
        return year


class RuleSetForm(forms.ModelForm):
    """The parameters of a rule set and one weight field per indicator (weight_<code>)."""

    class Meta:
        model = RuleSet
        fields = [
            "min_indicators",
            "bonus_cap",
            "threshold_a",
            "threshold_b",
            "threshold_c",
            "publicity_days",
            "repair_decision_days",
            "veto_listing_years",
        ]

    def __init__(
        self, *args, indicators: list[Indicator], weights: dict[str, Decimal], **kwargs
    ) -> None:
        super().__init__(*args, **kwargs)
        self.indicator_codes = []
        for indicator in indicators:
            name = f"weight_{indicator.code}"
            self.fields[name] = forms.DecimalField(
                label=_("weight: %(name)s") % {"name": indicator.name},
                max_digits=6,
                decimal_places=2,
                min_value=Decimal("0.01"),
                initial=weights.get(indicator.code),
                error_messages={"min_value": _("A weight must be greater than 0.")},
            )
            self.indicator_codes.append(indicator.code)
        # A model form bounds these below only: above, only the column's type would.
        _at_most(self.fields["publicity_days"], PUBLICITY_DAYS_MAX)
        _at_most(self.fields["repair_decision_days"], REPAIR_DECISION_DAYS_MAX)
        _at_most(self.fields["veto_listing_years"], VETO_LISTING_YEARS_MAX)
        _at_most(self.fields["min_indicators"], max(len(indicators), 1))
        self.helper = form_helper()

    def clean(self) -> dict:
        cleaned = super().clean()
        a, b, c = (cleaned.get(f"threshold_{x}") for x in "abc")
        if None not in (a, b, c) and not (a > b > c):
            raise forms.ValidationError(_("The thresholds must descend: A above B above C."))
        return cleaned

    def _post_clean(self) -> None:
        # The service validates the model (and refuses a frozen rule set); the form does not
        # write to its instance.
        pass

    def weights(self) -> dict[str, Decimal]:
        return {code: self.cleaned_data[f"weight_{code}"] for code in self.indicator_codes}

    def parameters(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


def _at_most(field: forms.IntegerField, maximum: int) -> None:
    field.max_value = maximum
    field.validators.append(MaxValueValidator(maximum))
    field.widget.attrs["max"] = maximum


class RatingRunStartForm(forms.Form):
    year = year_field()

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("year", timezone.localdate().year - 1)
        self.helper = form_helper()
