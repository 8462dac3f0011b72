"""Search and filters of the registry lists; the choices offered are within the user's scope.
Areas and firms, up to a country's 20,000 streets, are searchable pickers (portal/pickers.py)."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from portal.pickers import PickerSelect

from . import selectors
from .models import Compound, Firm

SEARCH_MAX = 100  # longer than any name or code searched for
YES_NO = [("yes", _("Yes")), ("no", _("No"))]


def _districts(request):
    return selectors.districts_for_user(user=request.user)


def _streets(request):
    return selectors.streets_for_user(user=request.user)


def _communities(request):
    return selectors.communities_for_user(user=request.user)


def _firms(request):
    return selectors.firm_choices_for_user(user=request.user)


def _yes_no_filter(label, lookup: str, *, yes_value=True) -> django_filters.ChoiceFilter:
    """A yes/no select over `lookup`: "yes" keeps rows where lookup == yes_value."""

    def apply(queryset: QuerySet, name: str, value: str) -> QuerySet:
        wanted = yes_value if value == "yes" else not yes_value
        return queryset.filter(**{lookup: wanted})

    return django_filters.ChoiceFilter(
        label=label, choices=YES_NO, empty_label=_("Any"), method=apply
    )


def _search_filter(placeholder) -> django_filters.CharFilter:
    widget = forms.TextInput(attrs={"placeholder": placeholder, "type": "search"})
    return django_filters.CharFilter(
        label=_("Search"), method="search", widget=widget, max_length=SEARCH_MAX
    )


class CompoundFilter(django_filters.FilterSet):
    q = _search_filter(_("Compound code or name, or firm name"))
    district = django_filters.ModelChoiceFilter(
        label=_("District"),
        field_name="community__street__district",
        queryset=_districts,
        empty_label=_("Any"),
        widget=PickerSelect("district"),
    )
    street = django_filters.ModelChoiceFilter(
        label=_("Street"),
        field_name="community__street",
        queryset=_streets,
        empty_label=_("Any"),
        widget=PickerSelect("street"),
    )
    community = django_filters.ModelChoiceFilter(
        label=_("Community"), queryset=_communities, widget=PickerSelect("community")
    )
    firm = django_filters.ModelChoiceFilter(
        label=_("Managing firm"), queryset=_firms, widget=PickerSelect("firm")
    )
    owners_committee = _yes_no_filter(_("Owners' committee"), "has_owners_committee")
    party_org = _yes_no_filter(_("Party organisation"), "has_party_org")
    red_heart = _yes_no_filter(_("Red-heart project"), "red_heart_year__isnull", yes_value=False)
    no_firm = _yes_no_filter(_("No professional firm"), "firm__isnull")

    class Meta:
        model = Compound
        fields: list[str] = []

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return selectors.compound_search(queryset, value)


class FirmFilter(django_filters.FilterSet):
    """Firms by search and by the areas of the compounds they serve."""

    q = _search_filter(_("Firm name or credit code, or a compound it serves"))
    district = django_filters.ModelChoiceFilter(
        label=_("District"),
        queryset=_districts,
        empty_label=_("Any"),
        widget=PickerSelect("district"),
        method="serving",
    )
    street = django_filters.ModelChoiceFilter(
        label=_("Street"),
        queryset=_streets,
        empty_label=_("Any"),
        widget=PickerSelect("street"),
        method="serving",
    )
    community = django_filters.ModelChoiceFilter(
        label=_("Community"),
        queryset=_communities,
        widget=PickerSelect("community"),
        method="serving",
    )
    red_heart = django_filters.ChoiceFilter(
        label=_("Serves a red-heart project"),
        choices=YES_NO,
        empty_label=_("Any"),
        method="serving_red_heart",
    )

    class Meta:
        model = Firm
        fields: list[str] = []

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return selectors.firm_search(queryset, value)

    def serving(self, queryset: QuerySet, name: str, value) -> QuerySet:
        lookup = {
            "district": "community__street__district",
            "street": "community__street",
            "community": "community",
        }[name]
        # A subquery, not a join: a join would multiply the rows the figures are summed over.
        serving = Compound.objects.filter(firm__isnull=False, **{lookup: value}).values("firm_id")
        return queryset.filter(pk__in=serving)

    def serving_red_heart(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        serving = Compound.objects.filter(red_heart_year__isnull=False, firm__isnull=False).values(
            "firm_id"
        )
        condition = Q(pk__in=serving)
        return queryset.filter(condition) if value == "yes" else queryset.exclude(condition)
