"""Imports of the registry: firms (key credit_code) and compounds (key code).

The columns are those of docs/interchange.md; the engine is portal.imports.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.areas import AreaResolver
from portal.exports import validate_not_formula
from portal.imports import Column, Importer, YesNoField, bulk_by

from . import services
from .models import Compound, Firm
from .validators import HOUSEHOLDS_MAX, normalize_credit_code, validate_credit_code


class CreditCodeField(forms.CharField):
    """A unified social credit code, upper-cased and checked (GB 32100-2015)."""

    def to_python(self, value: Any) -> str:
        return normalize_credit_code(super().to_python(value))

    def validate(self, value: str) -> None:
        super().validate(value)
        if value:
            validate_credit_code(value)


# --- firms ---------------------------------------------------------------------------------


class FirmRowForm(forms.Form):
    credit_code = CreditCodeField()
    name = forms.CharField(max_length=120, validators=[validate_not_formula])
    legal_representative = forms.CharField(
        max_length=60, required=False, validators=[validate_not_formula]
    )
    phone = forms.CharField(max_length=30, required=False)
    address = forms.CharField(max_length=200, required=False)


class FirmImporter(Importer):
    name = "firms"
    verbose_name = _("property firms")
    columns = (
        Column("credit_code", "统一社会信用代码"),
        Column("name", "企业名称"),
        Column("legal_representative", "法定代表人", required=False),
        Column("phone", "联系电话", required=False),
        Column("address", "地址", required=False),
    )
    key = ("credit_code",)
    form_class = FirmRowForm
    defers_writes = True
    reuse_form = True

    def __init__(self, *, user=None) -> None:
        super().__init__(user=user)
        self._to_create: list[Firm] = []
        self._to_update: list[Firm] = []
        self._updated_fields: set[str] = set()

    def existing(self, keys: list[tuple]) -> dict[tuple, Firm]:
        firms = bulk_by(Firm.objects.all(), "credit_code", (code for (code,) in keys))
        return {(code,): firm for code, firm in firms.items()}

    # Written in bulk by `flush`, a batch at a time: a query per row made 100,000 firms
    # take three minutes.
    def create(self, values: dict[str, Any]) -> None:
        self._to_create.append(Firm(**values))

    def update(self, instance: Firm, values: dict[str, Any], changed: set[str]) -> None:
        for code in changed:
            setattr(instance, code, values[code])
        self._updated_fields |= changed
        self._to_update.append(instance)

    def flush(self) -> None:
        if self._to_create:
            services.firm_bulk_create(user=self.user, firms=self._to_create)
        if self._to_update:
            services.firm_bulk_update(
                user=self.user, firms=self._to_update, fields=sorted(self._updated_fields)
            )
        self._to_create, self._to_update, self._updated_fields = [], [], set()


# --- compounds -----------------------------------------------------------------------------


class CompoundRowForm(forms.Form):
    code = forms.CharField(max_length=40)
    name = forms.CharField(max_length=120, validators=[validate_not_formula])
    # Areas named here are created when new: they are names in every export of compounds.
    district = forms.CharField(max_length=60, validators=[validate_not_formula])
    street = forms.CharField(max_length=60, validators=[validate_not_formula])
    community = forms.CharField(max_length=60, validators=[validate_not_formula])
    households = forms.IntegerField(
        min_value=1,
        max_value=HOUSEHOLDS_MAX,
        error_messages={
            "invalid": _("Enter the number of households as a whole number, such as 320."),
            "min_value": _("The number of households must be greater than 0."),
            "max_value": _("A compound has at most %(limit_value)s households."),
        },
    )
    floor_area = forms.DecimalField(
        max_digits=12,
        decimal_places=2,
        min_value=Decimal("0.01"),
        error_messages={
            "invalid": _("Enter the floor area in square metres as a number, such as 25800.5."),
            "min_value": _("The floor area must be greater than 0."),
            "max_decimal_places": _("Give the floor area with at most 2 decimals."),
        },
    )
    firm_credit_code = CreditCodeField(required=False)
    owners_committee = YesNoField()
    party_org = YesNoField()
    red_heart_year = forms.IntegerField(
        required=False,
        min_value=2000,
        max_value=2100,
        error_messages={
            "invalid": _("Enter the year, such as 2023, or leave the cell empty."),
            "min_value": _("Enter a year between 2000 and 2100, or leave the cell empty."),
            "max_value": _("Enter a year between 2000 and 2100, or leave the cell empty."),
        },
    )

    def __init__(self, *args, firms: dict[str, Firm], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.firms = firms

    def clean_firm_credit_code(self) -> str:
        code = self.cleaned_data["firm_credit_code"]
        if code and code not in self.firms:
            raise ValidationError(
                _(
                    "No firm with this credit code is registered. Import or add the firm "
                    "first, or leave the cell empty for a compound without a property firm."
                ),
                code="unknown_firm",
            )
        return code


AREA_COLUMNS = ("district", "street", "community")
# Column → field of Compound, for the columns that are plain fields.
COMPOUND_FIELDS = {
    "name": "name",
    "households": "households",
    "floor_area": "floor_area",
    "owners_committee": "has_owners_committee",
    "party_org": "has_party_org",
    "red_heart_year": "red_heart_year",
}


class CompoundImporter(Importer):
    name = "compounds"
    verbose_name = _("compounds")
    columns = (
        Column("code", "小区编号"),
        Column("name", "小区名称"),
        Column("district", "区县", aliases=("区/县", "区")),
        Column("street", "街道/乡镇", aliases=("街道", "乡镇")),
        Column("community", "社区"),
        Column("households", "户数"),
        Column("floor_area", "建筑面积"),
        Column("firm_credit_code", "物业企业", required=False),
        Column("owners_committee", "业委会", required=False),
        Column("party_org", "党组织", required=False),
        Column("red_heart_year", "红心物业示范年份", required=False),
    )
    key = ("code",)
    form_class = CompoundRowForm
    defers_writes = True
    reuse_form = True
    field_columns = {
        **{field: code for code, field in COMPOUND_FIELDS.items()},
        "code": "code",
        "community": "community",
        "firm": "firm_credit_code",
        "since": "firm_credit_code",
    }

    def __init__(self, *, user=None) -> None:
        super().__init__(user=user)
        self.firms: dict[str, Firm] = {}
        self.areas = AreaResolver(user=user)
        self._to_create: list[Compound] = []
        self._to_update: list[Compound] = []
        self._updated_fields: set[str] = set()
        self._batch_areas: list[tuple[str, str, str]] = []
        self._areas_ensured = False

    def prepare(self, records: list[dict[str, str]]) -> None:
        codes = {normalize_credit_code(r.get("firm_credit_code", "")) for r in records}
        self.firms = bulk_by(Firm.objects.all(), "credit_code", codes)
        self._batch_areas = [
            tuple(r.get(code, "").strip() for code in AREA_COLUMNS) for r in records
        ]
        self._areas_ensured = False
        self.areas.preload(self._batch_areas)

    def form_kwargs(self) -> dict[str, Any]:
        return {"firms": self.firms}

    def existing(self, keys: list[tuple]) -> dict[tuple, Compound]:
        compounds = bulk_by(Compound.objects.with_area(), "code", (code for (code,) in keys))
        return {(code,): compound for code, compound in compounds.items()}

    def current_values(self, instance: Compound, codes) -> dict[str, Any]:
        street = instance.community.street
        current = {
            "code": instance.code,
            "district": street.district.name,
            "street": street.name,
            "community": instance.community.name,
            "firm_credit_code": instance.firm.credit_code if instance.firm else "",
            **{code: getattr(instance, field) for code, field in COMPOUND_FIELDS.items()},
        }
        return {code: current[code] for code in codes}

    def _community(self, values: dict[str, Any]):
        return self.areas.get_or_create(tuple(values[code] for code in AREA_COLUMNS))

    # New compounds and changed fields are written in bulk by `flush` (thousands in
    # seconds); a change of firm goes through compound_change_firm row by row.
    def _new_compound(self, values: dict[str, Any]) -> Compound:
        firm_code = values.get("firm_credit_code", "")
        return Compound(
            code=values["code"],
            community=self._community(values),
            firm=self.firms[firm_code] if firm_code else None,
            **{field: values[code] for code, field in COMPOUND_FIELDS.items() if code in values},
        )

    def create(self, values: dict[str, Any]) -> None:
        if not self._areas_ensured:
            # The batch's new districts, streets and communities, created at once first.
            self.areas.ensure(self._batch_areas)
            self._areas_ensured = True
        self._to_create.append(self._new_compound(values))

    def update(self, instance: Compound, values: dict[str, Any], changed: set[str]) -> None:
        for code in changed & set(COMPOUND_FIELDS):
            field = COMPOUND_FIELDS[code]
            setattr(instance, field, values[code])
            self._updated_fields.add(field)
        if changed & set(AREA_COLUMNS):
            instance.community = self._community(values)
            self._updated_fields.add("community")
        if "firm_credit_code" in changed:
            firm_code = values["firm_credit_code"]
            instance.firm = services.compound_change_firm(
                user=self.user,
                compound=instance,
                firm=self.firms[firm_code] if firm_code else None,
                since=timezone.localdate(),
            ).firm
        if changed - {"firm_credit_code"}:
            self._to_update.append(instance)

    def flush(self) -> None:
        if self._to_create:
            services.compound_bulk_create(
                user=self.user, compounds=self._to_create, since=timezone.localdate()
            )
        if self._to_update:
            services.compound_bulk_update(
                user=self.user, compounds=self._to_update, fields=sorted(self._updated_fields)
            )
        self._to_create, self._to_update, self._updated_fields = [], [], set()
