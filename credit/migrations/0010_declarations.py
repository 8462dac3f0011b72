# Operations of good-conduct declarations (helper C), written by hand: see the issue 12 work split.

import django.core.validators
import django.db.models.deletion
import simple_history.models
from decimal import Decimal
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("companies", "0004_names_not_formulas"),
        ("credit", "0009_rectification"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Declaration",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("award", "Award or commendation"),
                            ("red_heart", "Red-heart property (红心物业) project"),
                            ("contest", "Skills-contest prize"),
                            ("emergency", "Help in an emergency"),
                        ],
                        max_length=12,
                        verbose_name="kind",
                    ),
                ),
                ("date", models.DateField(verbose_name="date of the conduct")),
                ("description", models.TextField(max_length=5000, verbose_name="description")),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("pending", "Pending"),
                            ("accepted", "Accepted"),
                            ("refused", "Refused"),
                        ],
                        default="pending",
                        max_length=10,
                        verbose_name="status",
                    ),
                ),
                ("filed_at", models.DateTimeField(verbose_name="filed")),
                ("decide_by", models.DateField(verbose_name="decide by")),
                ("decided_at", models.DateTimeField(blank=True, null=True, verbose_name="decided")),
                (
                    "points",
                    models.DecimalField(
                        blank=True,
                        decimal_places=2,
                        max_digits=6,
                        null=True,
                        validators=[django.core.validators.MinValueValidator(Decimal("0"))],
                        verbose_name="points",
                    ),
                ),
                ("reasons", models.TextField(blank=True, max_length=5000, verbose_name="reasons")),
                (
                    "bonus_event",
                    models.OneToOneField(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="declaration",
                        to="credit.creditevent",
                        verbose_name="bonus credit event",
                    ),
                ),
                (
                    "decided_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="decided by",
                    ),
                ),
                (
                    "filed_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="filed by",
                    ),
                ),
                (
                    "firm",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="conduct_declarations",
                        to="companies.firm",
                        verbose_name="firm",
                    ),
                ),
            ],
            options={
                "verbose_name": "good-conduct declaration",
                "verbose_name_plural": "good-conduct declarations",
                "ordering": ["-filed_at", "-pk"],
            },
        ),
        migrations.CreateModel(
            name="DeclarationEvidence",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "file",
                    models.FileField(
                        max_length=200,
                        upload_to="credit/declarations/%Y/",
                        validators=[
                            django.core.validators.FileExtensionValidator(
                                ["pdf", "jpg", "jpeg", "png"]
                            )
                        ],
                        verbose_name="file",
                    ),
                ),
                ("name", models.CharField(max_length=200, verbose_name="file name")),
                ("size", models.PositiveIntegerField(verbose_name="size")),
                ("uploaded_at", models.DateTimeField(auto_now_add=True, verbose_name="uploaded")),
                (
                    "declaration",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="evidence",
                        to="credit.declaration",
                        verbose_name="good-conduct declaration",
                    ),
                ),
            ],
            options={
                "verbose_name": "declaration evidence",
                "verbose_name_plural": "declaration evidence",
                "ordering": ["declaration", "pk"],
            },
        ),
        migrations.CreateModel(
            name="HistoricalDeclaration",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("award", "Award or commendation"),
                            ("red_heart", "Red-heart property (红心物业) project"),
                            ("contest", "Skills-contest prize"),
                            ("emergency", "Help in an emergency"),
                        ],
                        max_length=12,
                        verbose_name="kind",
                    ),
                ),
                ("date", models.DateField(verbose_name="date of the conduct")),
                ("description", models.TextField(max_length=5000, verbose_name="description")),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("pending", "Pending"),
                            ("accepted", "Accepted"),
                            ("refused", "Refused"),
                        ],
                        default="pending",
                        max_length=10,
                        verbose_name="status",
                    ),
                ),
                ("filed_at", models.DateTimeField(verbose_name="filed")),
                ("decide_by", models.DateField(verbose_name="decide by")),
                ("decided_at", models.DateTimeField(blank=True, null=True, verbose_name="decided")),
                (
                    "points",
                    models.DecimalField(
                        blank=True,
                        decimal_places=2,
                        max_digits=6,
                        null=True,
                        validators=[django.core.validators.MinValueValidator(Decimal("0"))],
                        verbose_name="points",
                    ),
                ),
                ("reasons", models.TextField(blank=True, max_length=5000, verbose_name="reasons")),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(
                        choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                    ),
                ),
                (
                    "bonus_event",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="credit.creditevent",
                        verbose_name="bonus credit event",
                    ),
                ),
                (
                    "decided_by",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="decided by",
                    ),
                ),
                (
                    "filed_by",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="filed by",
                    ),
                ),
                (
                    "firm",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="companies.firm",
                        verbose_name="firm",
                    ),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "historical good-conduct declaration",
                "verbose_name_plural": "historical good-conduct declarations",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.AddIndex(
            model_name="declaration",
            index=models.Index(fields=["status", "decide_by"], name="declaration_status_due"),
        ),
        migrations.AddConstraint(
            model_name="declaration",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("status", "refused"), _negated=True),
                    models.Q(("reasons", ""), _negated=True),
                    _connector="OR",
                ),
                name="declaration_refusal_has_reasons",
            ),
        ),
        migrations.AddConstraint(
            model_name="declaration",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("status", "accepted"), _negated=True),
                    models.Q(("bonus_event__isnull", False), ("points__isnull", False)),
                    _connector="OR",
                ),
                name="declaration_acceptance_has_event",
            ),
        ),
    ]
