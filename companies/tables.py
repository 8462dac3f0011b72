"""The registry lists as tables: sortable columns, and the same columns exported to Excel.

On screen areas read as 1,234.50 m² (portal_tags.area); the spreadsheet gets the exact
value with its two decimals, the same from SQLite (whose sums carry nine) and PostgreSQL.
"""

from __future__ import annotations

from decimal import Decimal

import django_tables2 as tables
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_tables2.data import TableQuerysetData

from portal.templatetags.portal_tags import area

from .models import Compound, Firm

CENT = Decimal("0.01")

TABLE_ATTRS = {"class": "table table-sm table-hover align-middle"}
RESPONSIVE_TEMPLATE = "django_tables2/bootstrap5-responsive.html"


class PageFirst(TableQuerysetData):
    """A registry list's rows, its page chosen first: the page's ids, read bare in the list's
    order (`LIMIT 50 OFFSET 9950` over an index), then the rows of those ids with what they
    join (a compound's areas) and compute (a firm's figures). A plain slice would make
    PostgreSQL join and compute every row the OFFSET skips. Sorted by a figure, the ids are
    still chosen by computing it for every row."""

    def __getitem__(self, key):
        if isinstance(key, slice):
            return self.data.filter(pk__in=self.data.values("pk")[key])
        return self.data[key]


class YesNoColumn(tables.BooleanColumn):
    """✔/✘ on screen, a translated Yes/No in the spreadsheet."""

    def value(self, record, value, bound_column) -> str:
        return (
            gettext("Yes") if self._get_bool_value(record, value, bound_column) else gettext("No")
        )


class AreaColumn(tables.Column):
    """A floor area: "1,234.50 m²" on screen, the exact decimal in the export."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("attrs", {"td": {"class": "text-end"}})
        super().__init__(**kwargs)

    def render(self, value) -> str:
        return area(value)

    def value(self, value) -> Decimal | None:
        return None if value is None else Decimal(value).quantize(CENT)


class CountColumn(tables.Column):
    """A count with thousands separators on screen, the plain number in the export."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("attrs", {"td": {"class": "text-end"}})
        super().__init__(**kwargs)

    def render(self, value) -> str:
        return f"{value:,}"

    def value(self, value) -> int:
        return value


class FirmTable(tables.Table):
    name = tables.Column(linkify=("companies:firm_detail", {"pk": tables.A("pk")}))
    credit_code = tables.Column()
    legal_representative = tables.Column()
    phone = tables.Column()
    compound_count = CountColumn(verbose_name=capfirst(_("compounds")))
    households_total = CountColumn(verbose_name=capfirst(_("households")), default=0)
    floor_area_total = AreaColumn(verbose_name=capfirst(_("floor area (m²)")), default=0)

    class Meta:
        model = Firm
        fields = ("name", "credit_code", "legal_representative", "phone")
        sequence = (
            "name",
            "credit_code",
            "legal_representative",
            "phone",
            "compound_count",
            "households_total",
            "floor_area_total",
        )
        attrs = TABLE_ATTRS
        template_name = RESPONSIVE_TEMPLATE
        order_by = ("name",)


class CompoundTable(tables.Table):
    code = tables.Column(linkify=("companies:compound_detail", {"pk": tables.A("pk")}))
    name = tables.Column(linkify=("companies:compound_detail", {"pk": tables.A("pk")}))
    district = tables.Column(
        accessor="community__street__district__name",
        verbose_name=capfirst(_("district")),
        order_by=("community__street__district__name",),
    )
    street = tables.Column(
        accessor="community__street__name",
        verbose_name=capfirst(_("street")),
        order_by=("community__street__name",),
    )
    community = tables.Column(
        accessor="community__name",
        verbose_name=capfirst(_("community")),
        order_by=("community__name",),
    )
    firm = tables.Column(
        linkify=("companies:firm_detail", {"pk": tables.A("firm_id")}),
        order_by=("firm__name",),
    )
    households = CountColumn()
    floor_area = AreaColumn()
    has_owners_committee = YesNoColumn()
    has_party_org = YesNoColumn()
    red_heart_year = tables.Column()

    class Meta:
        model = Compound
        fields = (
            "code",
            "name",
            "district",
            "street",
            "community",
            "firm",
            "households",
            "floor_area",
            "has_owners_committee",
            "has_party_org",
            "red_heart_year",
        )
        attrs = TABLE_ATTRS
        template_name = RESPONSIVE_TEMPLATE
        order_by = ("code",)
