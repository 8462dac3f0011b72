"""Import of household sub-accounts (分户账) of one compound; the engine is portal.imports.

Key: building + unit + room within the compound. A new household's initial deposit is
posted to the ledger by `services.household_add`; the deposit of an existing household is
money already in the ledger, so a file cannot change it (post a deposit or a reversal).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from companies.models import Compound
from portal.imports import Column, Importer

from . import services
from .models import FundAccount, Household


class HouseholdRowForm(forms.Form):
    building = forms.CharField(max_length=20)
    unit = forms.CharField(max_length=20, required=False)
    room = forms.CharField(max_length=20)
    floor_area = forms.DecimalField(
        max_digits=12,
        decimal_places=2,
        min_value=Decimal("0.01"),
        error_messages={
            "invalid": gettext_lazy("Enter the floor area in square metres, such as 89.5."),
            "min_value": gettext_lazy("The floor area must be greater than 0."),
            "max_decimal_places": gettext_lazy("Give the floor area with at most 2 decimals."),
        },
    )
    owner_name = forms.CharField(max_length=60)
    initial_deposit = forms.DecimalField(
        max_digits=14,
        decimal_places=2,
        min_value=Decimal("0"),
        error_messages={
            "invalid": gettext_lazy("Enter the deposit in yuan, such as 8950.00."),
            "min_value": gettext_lazy("The deposit cannot be negative."),
            "max_decimal_places": gettext_lazy("Give the deposit with at most 2 decimals."),
        },
    )


class HouseholdImporter(Importer):
    verbose_name = gettext_lazy("households")
    columns = (
        Column("building", "楼栋", aliases=("楼号", "幢")),
        Column("unit", "单元", required=False),
        Column("room", "房号", aliases=("室",)),
        Column("floor_area", "建筑面积", aliases=("面积",)),
        Column("owner_name", "业主姓名", aliases=("业主",)),
        Column("initial_deposit", "初始交存额", aliases=("首期交存", "交存额")),
    )
    key = ("building", "unit", "room")
    form_class = HouseholdRowForm

    def __init__(self, *, compound: Compound, user=None) -> None:
        super().__init__(user=user)
        self.compound = compound
        # One pending upload per compound in a session.
        self.name = f"households-{compound.pk}"
        self.account: FundAccount | None = FundAccount.objects.filter(compound=compound).first()

    def existing(self, keys: list[tuple]) -> dict[tuple, Household]:
        if self.account is None:
            return {}
        wanted = set(keys)
        households = Household.objects.filter(account=self.account).only(
            "pk",
            "account_id",
            "building",
            "unit",
            "room",
            "floor_area",
            "owner_name",
            "initial_deposit",
            "balance",
        )
        found = {}
        for household in households.iterator(chunk_size=2000):
            key = (household.building, household.unit, household.room)
            if key in wanted:
                found[key] = household
        return found

    def describe(self, values: dict[str, Any]) -> str:
        return " / ".join(str(values.get(code, "")) for code in ("building", "unit", "room"))

    def create(self, values: dict[str, Any]) -> None:
        if self.account is None:
            self.account = services.account_open(user=self.user, compound=self.compound)
        services.household_add(
            user=self.user,
            account=self.account,
            building=values["building"],
            unit=values.get("unit", ""),
            room=values["room"],
            floor_area=values["floor_area"],
            owner_name=values["owner_name"],
            initial_deposit=values["initial_deposit"],
        )

    def update(self, instance: Household, values: dict[str, Any], changed: set[str]) -> None:
        if "initial_deposit" in changed:
            message = _(
                "The initial deposit of a registered household is already in the "
                "ledger: post a deposit or a reversal on the account page instead."
            )
            raise ValidationError(
                {"initial_deposit": ValidationError(message, code="deposit_changed")}
            )
        services.household_update(
            user=self.user, household=instance, **{code: values[code] for code in changed}
        )
