# Rectification of spot checks to the end (helper C, issue 12), written from makemigrations --dry-run.

import django.core.validators
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("credit", "0010_declarations"),
        ("supervision", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="check",
            name="answered_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="answered"),
        ),
        migrations.AddField(
            model_name="check",
            name="answered_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="answered by",
            ),
        ),
        migrations.AddField(
            model_name="check",
            name="credit_event",
            field=models.OneToOneField(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="spot_check",
                to="credit.creditevent",
                verbose_name="credit event",
            ),
        ),
        migrations.AddField(
            model_name="check",
            name="measures",
            field=models.TextField(
                blank=True, max_length=5000, verbose_name="rectification measures"
            ),
        ),
        migrations.AddField(
            model_name="check",
            name="review_reasons",
            field=models.TextField(
                blank=True, max_length=5000, verbose_name="reasons for sending back"
            ),
        ),
        migrations.AddField(
            model_name="check",
            name="reviewed_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="reviewed"),
        ),
        migrations.AddField(
            model_name="check",
            name="reviewed_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="reviewed by",
            ),
        ),
        migrations.AddField(
            model_name="historicalcheck",
            name="answered_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="answered"),
        ),
        migrations.AddField(
            model_name="historicalcheck",
            name="answered_by",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="answered by",
            ),
        ),
        migrations.AddField(
            model_name="historicalcheck",
            name="credit_event",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="credit.creditevent",
                verbose_name="credit event",
            ),
        ),
        migrations.AddField(
            model_name="historicalcheck",
            name="measures",
            field=models.TextField(
                blank=True, max_length=5000, verbose_name="rectification measures"
            ),
        ),
        migrations.AddField(
            model_name="historicalcheck",
            name="review_reasons",
            field=models.TextField(
                blank=True, max_length=5000, verbose_name="reasons for sending back"
            ),
        ),
        migrations.AddField(
            model_name="historicalcheck",
            name="reviewed_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="reviewed"),
        ),
        migrations.AddField(
            model_name="historicalcheck",
            name="reviewed_by",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="reviewed by",
            ),
        ),
        migrations.AlterField(
            model_name="check",
            name="state",
            field=models.CharField(
                choices=[
                    ("drawn", "To inspect"),
                    ("passed", "Passed"),
                    ("issues", "Issues found"),
                    ("rectification", "Rectification ordered"),
                    ("answered", "Rectification answered"),
                    ("rectified", "Rectified"),
                    ("deducted", "Credit deduction recorded"),
                ],
                default="drawn",
                max_length=15,
                verbose_name="state",
            ),
        ),
        migrations.AlterField(
            model_name="historicalcheck",
            name="state",
            field=models.CharField(
                choices=[
                    ("drawn", "To inspect"),
                    ("passed", "Passed"),
                    ("issues", "Issues found"),
                    ("rectification", "Rectification ordered"),
                    ("answered", "Rectification answered"),
                    ("rectified", "Rectified"),
                    ("deducted", "Credit deduction recorded"),
                ],
                default="drawn",
                max_length=15,
                verbose_name="state",
            ),
        ),
        migrations.CreateModel(
            name="RectificationEvidence",
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
                        upload_to="supervision/rectification/%Y/",
                        validators=[
                            django.core.validators.FileExtensionValidator(
                                ("pdf", "jpg", "jpeg", "png")
                            )
                        ],
                        verbose_name="file",
                    ),
                ),
                ("name", models.CharField(max_length=200, verbose_name="file name")),
                ("size", models.PositiveIntegerField(verbose_name="size")),
                ("uploaded_at", models.DateTimeField(auto_now_add=True, verbose_name="uploaded")),
                (
                    "check_row",
                    models.ForeignKey(
                        db_column="check_id",
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="rectification_evidence",
                        to="supervision.check",
                        verbose_name="spot check",
                    ),
                ),
            ],
            options={
                "verbose_name": "rectification evidence",
                "verbose_name_plural": "rectification evidence",
                "ordering": ["check_row", "pk"],
            },
        ),
    ]
