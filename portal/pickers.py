"""Searchable pickers for long lists (streets, communities, firms, compounds).

A form field over 1,500 compounds never renders them all as `<option>`s: its widget renders
only the chosen value, and the vendored Tom Select asks `/pick/<kind>/?q=` as the clerk
types. Each kind is registered once, by the app that owns the rows:

    pickers.register(
        "compound", rows=compounds_for_user, search=compound_search,
        label=lambda c: f"{c.name} · {c.community.street.name} · {c.code}",
        related=("community__street",),
    )

and a form field takes the widget: `forms.ModelChoiceField(queryset=..., widget=
PickerSelect("compound"))`, or `picker_field(form, "compound", "compound")` on a ModelForm.
The field's own queryset still decides what is valid; the picker only helps find it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, JsonResponse
from django.urls import reverse
from django.views.decorators.http import require_GET

from .params import ID_MAX, parse_int

PAGE_SIZE = 20
MAX_QUERY = 100


@dataclass(frozen=True)
class PickerKind:
    rows: Callable[..., object]  # rows(user=...) -> the QuerySet the user may pick from
    search: Callable[[object, str], object]  # search(queryset, q) -> the matching rows
    label: Callable[[object], str]  # what the clerk reads: name, street, code
    related: tuple[str, ...] = ()  # select_related for the label


_kinds: dict[str, PickerKind] = {}


def register(
    kind: str,
    *,
    rows: Callable[..., object],
    search: Callable[[object, str], object],
    label: Callable[[object], str],
    related: tuple[str, ...] = (),
) -> None:
    _kinds[kind] = PickerKind(rows=rows, search=search, label=label, related=related)


def get(kind: str) -> PickerKind:
    return _kinds[kind]


class PickerSelect(forms.Select):
    """A select that renders only its chosen option(s); the browser fetches the rest."""

    def __init__(self, kind: str, attrs: dict | None = None):
        super().__init__(attrs)
        self.kind = kind

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"]["data-picker"] = reverse("portal:pick", args=[self.kind])
        return context

    def optgroups(self, name, value, attrs=None):
        # Only what could be a row's id: a hand-edited "²" or 10**20 would fail the query.
        chosen = [str(v) for v in value if parse_int(str(v), minimum=1, maximum=ID_MAX)]
        field = getattr(self.choices, "field", None)
        empty_label = getattr(field, "empty_label", None) or "---------"
        options = [self.create_option(name, "", empty_label, not chosen, 0)]
        queryset = getattr(self.choices, "queryset", None)
        if chosen and queryset is not None:
            spec = _kinds[self.kind]
            rows = queryset.select_related(*spec.related).filter(pk__in=chosen)
            for index, row in enumerate(rows, start=1):
                options.append(self.create_option(name, str(row.pk), spec.label(row), True, index))
        return [(None, options, 0)]


def picker_field(form: forms.Form, name: str, kind: str, queryset=None) -> None:
    """Give a form's choice field the picker of `kind` (and, if given, a narrower queryset)."""
    field = form.fields[name]
    if queryset is not None:
        field.queryset = queryset
    field.widget = PickerSelect(kind)
    field.widget.choices = field.choices
    spec = _kinds[kind]
    field.label_from_instance = spec.label


@require_GET
@login_required
def pick(request: HttpRequest, kind: str) -> JsonResponse:
    """Up to PAGE_SIZE rows of `kind` matching `q`, that the user may pick: {value, text}."""
    spec = _kinds.get(kind)
    if spec is None:
        raise Http404
    q = request.GET.get("q", "").replace("\x00", "").strip()[:MAX_QUERY]
    rows = spec.rows(user=request.user).select_related(*spec.related)
    if q:
        rows = spec.search(rows, q)
    found = list(rows[: PAGE_SIZE + 1])
    return JsonResponse(
        {
            "results": [{"value": row.pk, "text": spec.label(row)} for row in found[:PAGE_SIZE]],
            "more": len(found) > PAGE_SIZE,
        }
    )
