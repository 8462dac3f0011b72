"""Validators shared by the credit models: years and 0-100 scores."""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator

YEAR_VALIDATORS = [MinValueValidator(2000), MaxValueValidator(2100)]
SCORE_VALIDATORS = [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))]
