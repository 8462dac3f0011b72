"""The warning categories a community officer picks from; editable in the admin afterwards."""

from django.db import migrations

CATEGORIES = [
    ("fire_lane", "消防通道", 10),
    ("elevator", "电梯", 20),
    ("water_supply", "二次供水", 30),
    ("sanitation", "环境卫生", 40),
    ("illegal_building", "违建", 50),
    ("safety_hazard", "安全隐患", 60),
]


def seed_categories(apps, schema_editor):
    Category = apps.get_model("cases", "Category")
    for code, name, order in CATEGORIES:
        Category.objects.get_or_create(code=code, defaults={"name": name, "order": order})


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]

    operations = [migrations.RunPython(seed_categories, migrations.RunPython.noop)]
