"""How a recorded change is named on the page.

Services record a change with a short code as its reason ("certified", "vote recorded",
"assigned → drafting: note"); the page shows its label in the reader's language. Each app
registers the codes of its models in `AppConfig.ready()`:

    history.register(EmergencyApplication, reasons={"certified": _("certified"), ...},
                     states=EmergencyStatus)

A reason is shown as:
- a registered code: its label ("certified" → 已核实);
- "<state> → <state>" with an optional ": note": both states' labels, the note as written;
- "<code> #<n>": the code's label and the number;
- anything else is a person's own words and is shown as written.
An entry without a reason shows its kind: created, changed or deleted.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

# Reasons any model may carry (the demo's rows, the importers').
COMMON_REASONS: dict[str, str] = {
    "demo data": _("demo data"),
    "imported": _("imported"),
    "corrected": _("corrected"),
}
KINDS = {
    "+": pgettext_lazy("history", "created"),
    "~": pgettext_lazy("history", "changed"),
    "-": pgettext_lazy("history", "deleted"),
}
ARROW = " → "
NUMBERED = re.compile(r"^(?P<code>.+?) #(?P<number>\d+)$")

_reasons: dict[type, dict[str, str]] = {}
_states: dict[type, dict[str, str]] = {}


def register(
    model: type[models.Model],
    *,
    reasons: Mapping[str, str] | None = None,
    states: type[models.Choices] | Iterable[tuple[str, str]] | None = None,
) -> None:
    """The reason codes a model's services record, and the states its transitions name."""
    _reasons.setdefault(model, {}).update(reasons or {})
    if states is not None:
        pairs = states.choices if hasattr(states, "choices") else states
        _states.setdefault(model, {}).update(dict(pairs))


def registered() -> dict[type, tuple[dict[str, str], dict[str, str]]]:
    """Every model's codes and states (for the tests that look for raw codes)."""
    return {m: (_reasons.get(m, {}), _states.get(m, {})) for m in {*_reasons, *_states}}


def reason_label(model: type[models.Model] | None, reason: str) -> str:
    """The label of a recorded reason of `model` (see the module's docstring)."""
    reason = (reason or "").strip()
    if not reason:
        return ""
    codes = {**COMMON_REASONS, **_reasons.get(model, {})}
    states = _states.get(model, {})
    if reason in codes:
        return str(codes[reason])
    if ARROW in reason:
        move, _sep, note = reason.partition(": ")
        before, _arrow, after = move.partition(ARROW)
        if before in states and after in states:
            text = f"{states[before]}{ARROW}{states[after]}"
            return f"{text}：{note}" if note else text
    numbered = NUMBERED.match(reason)
    if numbered and numbered["code"] in codes:
        return f"{codes[numbered['code']]} #{numbered['number']}"
    head, sep, note = reason.partition(": ")
    if sep and head in codes:
        return f"{codes[head]}：{note}"
    return reason


def entry_label(entry) -> str:
    """What a django-simple-history record shows: its reason's label, else its kind."""
    model = getattr(entry, "instance_type", None)
    reason = getattr(entry, "history_change_reason", "") or ""
    if reason:
        return reason_label(model, reason)
    return str(KINDS.get(getattr(entry, "history_type", ""), ""))
