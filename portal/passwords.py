"""Passwords a guesser would try first in a Chinese city: refused before they are set.

Django's own validators stay (length, its 20,000 common passwords, all digits, likeness to
the user's attributes); these add what that English-language list misses:

- `ContextWordsValidator`: the city's and the bureau's names, in characters and in pinyin
  (`PORTAL_PASSWORD_CONTEXT_WORDS`), and the user's own names: user name, full name and its
  pinyin, e-mail name, phone number. "Jilin2026!" and "wangwei@88" are refused.
- `ChineseCommonPasswordValidator`: the habits that fill the leaked Chinese lists: a common
  word or phrase in pinyin ("woaini", "5201314", "aini") or a keyboard walk ("1qaz2wsx")
  padded with digits and symbols, and dates (birthdays) written as digits.
"""

from __future__ import annotations

import datetime as dt
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from pypinyin import lazy_pinyin

MIN_WORD = 3  # shorter names ("li", "王") would refuse half of all passwords

# Pinyin words and phrases, keyboard walks and digit phrases common in leaked Chinese lists.
COMMON_STEMS = {
    *"woaini aini woaiwojia wojiushiwo nihao zhongguo beijing shanghai tianjin jilin changchun "  # noqa: SIM905
    "admin password passwd mima mimamima zhanghao wangluo dianxin yidong liantong qq "
    "iloveyou love abc abcd abcde abcdef abcabc aaa aaaa qwe qwer qwert qwerty asd asdf "
    "asdfgh zxc zxcv zxcvbn qaz 1qaz 1qaz2wsx qazwsx qwertyuiop asdfghjkl zxcvbnm "
    "shuaige meinv baobei laogong laopo xiaobao tiantian kuaile xingfu pingan fuqi aiqing "
    "huangjin jinniu longma wuye wuyeguanli zhujian zhujianju fangguanju shequ jiedao "
    "5201314 1314520 521 1314 520 147258 258369 123456789 987654321 112233 445566 "
    "778899 168 888 666 518 hao123 sina baidu".split(),
}
# Digits, punctuation and spaces around a stem do not make it a new password.
LEADING = re.compile(r"^[\d\W_]+")
TRAILING = re.compile(r"[\d\W_]+$")
DIGITS = re.compile(r"\d+")


def _pinyin(text: str) -> str:
    return "".join(lazy_pinyin(text)).lower()


def _date_like(digits: str) -> bool:
    """A birthday or anniversary: YYYYMMDD, MMDDYYYY, DDMMYYYY, YYMMDD or MMDD of a real day."""
    readings = {
        8: [(digits, "%Y%m%d"), (digits, "%m%d%Y"), (digits, "%d%m%Y")],
        6: [(digits, "%y%m%d")],
        4: [("2000" + digits, "%Y%m%d")],  # a leap year, so that 0229 reads too
    }
    for value, pattern in readings.get(len(digits), []):
        try:
            day = dt.datetime.strptime(value, pattern)
        except ValueError:
            continue
        if len(digits) == 4 or 1930 <= day.year <= dt.date.today().year:
            return True
    return False


class ContextWordsValidator:
    """Refuses a password containing the city's or bureau's name or one of the user's own."""

    def _words(self, user) -> set[str]:
        words = {w.lower() for w in getattr(settings, "PORTAL_PASSWORD_CONTEXT_WORDS", [])}
        if user is not None:
            # The whole user name, e-mail name and phone; the full name also word by word and
            # in pinyin ("市住建局物业科 王科长" → wangkezhang).
            for attribute in ("username", "phone"):
                words.add(str(getattr(user, attribute, "") or "").strip().lower())
            words.add(str(getattr(user, "email", "") or "").split("@")[0].lower())
            full_name = str(getattr(user, "full_name", "") or "").strip()
            words.add(full_name.lower())
            words.update(part.lower() for part in full_name.split())
            words.update(_pinyin(part) for part in full_name.split())
            words.add(_pinyin(full_name.replace(" ", "")))
        return {w for w in words if len(w) >= MIN_WORD}

    def validate(self, password: str, user=None) -> None:
        text = password.lower()
        found = sorted(w for w in self._words(user) if w in text)
        if found:
            raise ValidationError(
                _("The password contains a name others can guess (%(word)s). Choose another.")
                % {"word": found[0]},
                code="password_context_word",
            )

    def get_help_text(self) -> str:
        return _("Your password may not contain the city's, the bureau's or your own names.")


class ChineseCommonPasswordValidator:
    """Refuses a common pinyin word, digit phrase or keyboard walk padded with digits and
    symbols, and a date written as digits."""

    def validate(self, password: str, user=None) -> None:
        text = password.lower()
        tail_off = TRAILING.sub("", text)
        stem = LEADING.sub("", tail_off)
        if stem == "" or {text, tail_off, stem} & COMMON_STEMS:
            raise ValidationError(
                _("This password is among the first a guesser tries. Choose another."),
                code="password_too_common",
            )
        if any(_date_like(run) for run in DIGITS.findall(text)) and len(stem) < 6:
            raise ValidationError(
                _("A date (a birthday, an anniversary) is easy to guess. Choose another."),
                code="password_date",
            )

    def get_help_text(self) -> str:
        return _("Your password may not be a common word, phrase or keyboard walk with digits.")
