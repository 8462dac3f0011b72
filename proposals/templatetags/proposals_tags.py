"""Small display helpers for reply documents."""

from __future__ import annotations

from django import template

register = template.Library()

_DIGITS = "零一二三四五六七八九"


@register.filter
def cn_numeral(value: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 21 → 二十一 (section headings of a reply, up to 99)."""
    n = int(value)
    if n < 10:
        return _DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else _DIGITS[tens]) + "十" + (_DIGITS[ones] if ones else "")
