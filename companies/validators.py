"""The unified social credit code (统一社会信用代码) of GB 32100-2015."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# The 31 characters of the code, in the order of their values 0..30: no I, O, S, V, Z.
CREDIT_CODE_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_CODE_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
CREDIT_CODE_LENGTH = 18
# More households than any compound has: a bound for what is entered, not a rule of the city.
HOUSEHOLDS_MAX = 100_000


def credit_code_check_char(first17: str) -> str:
    """The 18th character: 31 minus the weighted sum mod 31 (a result of 31 is 0)."""
    total = sum(
        CREDIT_CODE_ALPHABET.index(char) * weight
        for char, weight in zip(first17, CREDIT_CODE_WEIGHTS, strict=True)
    )
    return CREDIT_CODE_ALPHABET[(31 - total % 31) % 31]


def normalize_credit_code(value: str) -> str:
    return (value or "").strip().upper()


def validate_credit_code(value: str) -> None:
    """Length 18, characters of the code's alphabet, and a matching check character."""
    code = normalize_credit_code(value)
    if len(code) != CREDIT_CODE_LENGTH:
        raise ValidationError(
            _("A unified social credit code has 18 characters; this one has %(n)d.")
            % {"n": len(code)},
            code="length",
        )
    bad = sorted({char for char in code if char not in CREDIT_CODE_ALPHABET})
    if bad:
        raise ValidationError(
            _(
                "The credit code contains characters it may not contain: %(chars)s (I, O, S, V and Z are never used)."
            )
            % {"chars": "、".join(bad)},
            code="alphabet",
        )
    expected = credit_code_check_char(code[:17])
    if code[17] != expected:
        raise ValidationError(
            _(
                "The check character of this credit code is wrong: the last character should be %(c)s. Please check the code."
            )
            % {"c": expected},
            code="check",
        )
