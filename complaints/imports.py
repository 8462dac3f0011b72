"""The 12345 hotline's spreadsheet export (xlsx, or CSV in UTF-8 or GB18030), through the
portal's all-or-nothing import engine (portal/imports.py): keyed by the order number, so that
importing the same file again changes nothing. Each row's compound is found by its code, then
by its exact name, then by the addresses clerks matched by hand (AddressMatch); a row matched
by none is imported unmatched and waits on the clerk's page."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from companies.models import Compound
from portal.imports import Column, Importer, bulk_by

from . import services
from .choices import Source
from .models import AddressMatch, Complaint

DATETIME_FORMATS = (
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d %H:%M",
    "%Y-%m-%d",
    "%Y/%m/%d",
    "%Y-%m-%dT%H:%M:%S",
)
# The hotline's own columns, which a later export of the same order may have moved on.
HOTLINE_FIELDS = (
    "received_at",
    "category",
    "text",
    "handling_unit",
    "hotline_answered_at",
    "outcome",
    "satisfaction",
)


class HotlineDateTimeField(forms.DateTimeField):
    input_formats = DATETIME_FORMATS


class HotlineRowForm(forms.Form):
    order_number = forms.CharField(max_length=40)
    received_at = HotlineDateTimeField()
    address = forms.CharField(max_length=300, required=False)
    compound_code = forms.CharField(max_length=40, required=False)
    category = forms.CharField(max_length=60)
    text = forms.CharField(max_length=5000)
    handling_unit = forms.CharField(max_length=100, required=False)
    hotline_answered_at = HotlineDateTimeField(required=False)
    outcome = forms.CharField(max_length=300, required=False)
    satisfaction = forms.CharField(max_length=30, required=False)

    def __init__(self, *args, codes: dict[str, Compound], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.codes = codes

    def clean_order_number(self) -> str:
        number = self.cleaned_data["order_number"].strip()
        if number.upper().startswith(services.MANUAL_PREFIX + "-"):
            raise forms.ValidationError(
                _(
                    "Order numbers beginning with %(prefix)s- are kept for complaints entered by hand."
                )
                % {"prefix": services.MANUAL_PREFIX},
                code="manual_prefix",
            )
        return number

    def clean_compound_code(self) -> str:
        code = self.cleaned_data["compound_code"].strip()
        if code and code not in self.codes:
            raise forms.ValidationError(_("No compound has this code."), code="unknown_compound")
        return code

    def clean(self) -> dict:
        data = super().clean()
        if not (data.get("address") or data.get("compound_code")):
            raise forms.ValidationError(
                {"address": _("Give the address or the compound code.")}, code="required"
            )
        received, answered = data.get("received_at"), data.get("hotline_answered_at")
        if received and answered and answered < received:
            self.add_error(
                "hotline_answered_at",
                forms.ValidationError(_("Answered before it was received."), code="order"),
            )
        return data


class HotlineImporter(Importer):
    name = "hotline"
    verbose_name = gettext_lazy("12345 hotline orders")
    columns = (
        Column("order_number", "工单编号", aliases=("工单号",)),
        Column("received_at", "受理时间", aliases=("来电时间",)),
        Column("address", "诉求地址", aliases=("地址", "小区")),
        Column("compound_code", "小区编号", required=False),
        Column("category", "诉求分类", aliases=("分类",)),
        Column("text", "诉求内容", aliases=("内容",)),
        Column("handling_unit", "承办单位", required=False),
        Column("hotline_answered_at", "办结时间", required=False, aliases=("答复时间",)),
        Column("outcome", "办理结果", required=False),
        Column("satisfaction", "满意度", required=False),
    )
    key = ("order_number",)
    form_class = HotlineRowForm
    field_columns = {"order_number": "order_number", "received_at": "received_at"}

    def __init__(self, *, user=None) -> None:
        super().__init__(user=user)
        self.codes: dict[str, Compound] = {}
        self.names: dict[str, Compound] = {}
        self.remembered: dict[str, Compound] = {}

    def prepare(self, records: list[dict[str, str]]) -> None:
        codes = {r.get("compound_code", "").strip() for r in records}
        addresses = {r.get("address", "").strip() for r in records} - {""}
        self.codes = bulk_by(Compound.objects.all(), "code", codes | addresses)
        named: dict[str, list[Compound]] = {}
        for compound in Compound.objects.filter(name__in=addresses):
            named.setdefault(compound.name, []).append(compound)
        # A name two compounds share matches neither: a clerk decides.
        self.names = {name: found[0] for name, found in named.items() if len(found) == 1}
        self.remembered = {
            m.address: m.compound
            for m in AddressMatch.objects.filter(address__in=addresses).select_related("compound")
        }

    def form_kwargs(self) -> dict[str, Any]:
        return {"codes": self.codes}

    def match(self, values: dict[str, Any]) -> Compound | None:
        """Exact code, then exact name, then a remembered match; else None."""
        code, address = values.get("compound_code", ""), values.get("address", "")
        return (
            self.codes.get(code)
            or self.codes.get(address)
            or self.names.get(address)
            or self.remembered.get(address)
        )

    def existing(self, keys: list[tuple]) -> dict[tuple, Complaint]:
        found = bulk_by(Complaint.objects.all(), "order_number", (k for (k,) in keys))
        return {(number,): complaint for number, complaint in found.items()}

    def current_values(self, instance: Complaint, codes) -> dict[str, Any]:
        return {code: getattr(instance, code) for code in codes}

    def create(self, values: dict[str, Any]) -> None:
        fields = {k: v for k, v in values.items() if v is not None}
        services.hotline_create(
            user=self.user, values=fields, compound=self.match(values), now=timezone.now()
        )

    def update(self, instance: Complaint, values: dict[str, Any], changed: set[str]) -> None:
        if instance.source != Source.HOTLINE:
            raise forms.ValidationError(
                _("This order number belongs to a complaint entered by hand.")
            )
        services.hotline_update(
            user=self.user,
            complaint=instance,
            values={
                k: values[k]
                for k in changed
                if k in HOTLINE_FIELDS or k in ("address", "compound_code")
            },
        )

    def describe(self, values: dict[str, Any]) -> str:
        return (
            f"{values['order_number']} {values.get('address') or values.get('compound_code', '')}"
        )
