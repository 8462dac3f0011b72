"""Shared set-up of the publication tests: a finished run of YEAR with one firm on each list."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from credit import publication as services
from credit.models import Publication, Rating, RatingRun
from tests.factories import CompoundFactory

from .helpers import assess, rate

YEAR = 2023
CODES = ("quality", "satisfaction", "contract", "supervision")
T0 = dt.datetime(2024, 3, 1, 9, 0, tzinfo=dt.UTC)


def rated_run(compound_a, compound_b, capture, *, scores=(92, 60), extra_b_grade=True) -> RatingRun:
    """Firm A scores 92 (grade A, red list), firm B 60 (grade D, black list), and a third
    firm 85 (grade B, on neither list)."""
    for compound, score in zip((compound_a, compound_b), scores, strict=True):
        for code in CODES:
            assess(YEAR, compound, compound.firm, code, "street", score)
    if extra_b_grade:
        other = CompoundFactory(community=compound_a.community, name="中苑小区")
        for code in CODES:
            assess(YEAR, other, other.firm, code, "street", 85)
    return rate(YEAR, capture)


def rating_of(run: RatingRun, firm) -> Rating:
    return Rating.objects.get(run=run, firm=firm)


def open_publicity(bureau_user, run: RatingRun) -> Publication:
    return services.publication_create(user=bureau_user, run=run)


def end_period(publication: Publication) -> Publication:
    """Move the publicity period into the past, as the browser journey does."""
    Publication.objects.filter(pk=publication.pk).update(
        period_start=publication.period_start - dt.timedelta(days=publication.publicity_days + 1)
    )
    publication.refresh_from_db()
    return publication


def pdf(name: str = "evidence.pdf", size: int = 100) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4\n" + b"0" * size, content_type="application/pdf")


def code_of(exc: ValidationError) -> str:
    """The code of a service's refusal, whether it names a field or not."""
    if hasattr(exc, "error_dict"):
        return next(iter(exc.error_dict.values()))[0].code
    return exc.code
