# Operations of listing periods on the public lists (helper A), written by hand: see the issue 12 work split.
import django.core.validators
from django.db import migrations, models


def _field():
    return models.PositiveSmallIntegerField(
        default=1,
        help_text=(
            "1: until the next year's list is published, as any black listing; 2: until the "
            "list of the year after, and so on (unless the firm's credit is repaired)."
        ),
        validators=[
            django.core.validators.MinValueValidator(1),
            django.core.validators.MaxValueValidator(10),
        ],
        verbose_name="years a veto keeps a firm on the black list",
    )


class Migration(migrations.Migration):
    dependencies = [("credit", "0007_repair")]

    operations = [
        migrations.AddField(
            model_name="historicalruleset", name="veto_listing_years", field=_field()
        ),
        migrations.AddField(model_name="ruleset", name="veto_listing_years", field=_field()),
    ]
