"""Django's zh_Hans formats, with ISO dates first among the input formats: a date input
(<input type="date">) reads only YYYY-MM-DD, and Django fills it with the first format."""

from django.conf.locale.zh_Hans.formats import *  # noqa: F403
from django.conf.locale.zh_Hans.formats import DATE_INPUT_FORMATS, DATETIME_INPUT_FORMATS


def _iso_first(formats: list[str], iso: list[str]) -> list[str]:
    return iso + [f for f in formats if f not in iso]


DATE_INPUT_FORMATS = _iso_first(DATE_INPUT_FORMATS, ["%Y-%m-%d"])
DATETIME_INPUT_FORMATS = _iso_first(
    DATETIME_INPUT_FORMATS, ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]
)
