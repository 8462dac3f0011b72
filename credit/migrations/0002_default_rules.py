"""The six indicators and the default rule set of credit-rules.md, for 2023."""

from decimal import Decimal

from django.db import migrations

INDICATORS = [
    ("quality", "住宅小区物业服务质量评价", 1, Decimal("30")),
    ("satisfaction", "业主满意度", 2, Decimal("20")),
    ("contract", "依法履行合同服务情况", 3, Decimal("15")),
    ("supervision", "层级监管部门意见", 4, Decimal("15")),
    ("decisions", "执行党委政府决策部署", 5, Decimal("10")),
    ("petitions", "业主信访处理", 6, Decimal("10")),
]
DEFAULT_YEAR = 2023


def create(apps, schema_editor):
    Indicator = apps.get_model("credit", "Indicator")
    RuleSet = apps.get_model("credit", "RuleSet")
    RuleWeight = apps.get_model("credit", "RuleWeight")
    indicators = {}
    for code, name, order, _weight in INDICATORS:
        indicators[code], _created = Indicator.objects.get_or_create(
            code=code, defaults={"name": name, "order": order}
        )
    rule_set, created = RuleSet.objects.get_or_create(
        year=DEFAULT_YEAR,
        defaults={
            "min_indicators": 4,
            "bonus_cap": Decimal("5"),
            "threshold_a": Decimal("90"),
            "threshold_b": Decimal("80"),
            "threshold_c": Decimal("65"),
            "publicity_days": 7,
        },
    )
    if created:
        RuleWeight.objects.bulk_create(
            RuleWeight(rule_set=rule_set, indicator=indicators[code], weight=weight)
            for code, _name, _order, weight in INDICATORS
        )


def remove(apps, schema_editor):
    apps.get_model("credit", "RuleSet").objects.filter(year=DEFAULT_YEAR, runs__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("credit", "0001_initial")]

    operations = [migrations.RunPython(create, remove)]
