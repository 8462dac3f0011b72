"""What a signed-in user finds on landing: the cards and to-do items each app contributes.

`portal/` owns the registry and the page; the apps fill it from their `AppConfig.ready()`
(as NetBox's dashboard widgets do), so the portal imports no app above it and a new app
plugs in without touching it:

    from portal import workbench

    workbench.register_card(
        "credit.grades", template="credit/card_grades.html", roles={Role.BUREAU},
        context=grade_card_context, order=20,
    )
    workbench.register_todos(credit_todos)

A card's `context(user, today)` returns the template's context, or None when the card has
nothing to show that user. A to-do source returns `Todo` items; an item with no count is
left out, so a source may return every kind of work it knows and let the page drop the rest.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.utils import timezone

from .choices import Role

ALL_ROLES = frozenset(Role.values)


@dataclass(frozen=True)
class Todo:
    """Work waiting for the user: how many, where to do it, and the nearest deadline."""

    label: str
    count: int
    url: str
    due: dt.date | dt.datetime | None = None  # the earliest deadline among them
    overdue: int = 0  # how many of them are past their deadline
    order: int = 100
    capped: bool = False  # more than `count`: a count that stops at a cap (portal.params)

    @property
    def is_overdue(self) -> bool:
        return self.overdue > 0


CardContext = Callable[..., dict | None]
TodoSource = Callable[..., Iterable[Todo]]


@dataclass(frozen=True)
class Card:
    """One panel of the landing page, drawn by its own template."""

    name: str
    template: str
    context: CardContext
    roles: frozenset[str] = ALL_ROLES
    order: int = 100
    width: str = "col-12"  # the Bootstrap column class of the card


@dataclass(frozen=True)
class ShownCard:
    card: Card
    context: dict = field(default_factory=dict)


_cards: dict[str, Card] = {}
_todo_sources: list[TodoSource] = []


def register_card(
    name: str,
    *,
    template: str,
    context: CardContext,
    roles: Iterable[str] = ALL_ROLES,
    order: int = 100,
    width: str = "col-12",
) -> None:
    """Add (or, under the same name, replace) a card of the landing page."""
    _cards[name] = Card(
        name=name,
        template=template,
        context=context,
        roles=frozenset(roles),
        order=order,
        width=width,
    )


def register_todos(source: TodoSource) -> None:
    """Add a source of to-do items: `source(user, today)` yields `Todo`s (once per function)."""
    if source not in _todo_sources:
        _todo_sources.append(source)


def cards_for(user, today: dt.date) -> list[ShownCard]:
    """The cards of the user's role that have something to show, in their order."""
    shown = []
    for card in sorted(_cards.values(), key=lambda c: (c.order, c.name)):
        if user.role not in card.roles:
            continue
        context = card.context(user, today)
        if context is not None:
            shown.append(ShownCard(card=card, context=context))
    return shown


def todos_for(user, today: dt.date) -> list[Todo]:
    """The user's waiting work across the apps: overdue first, then by deadline."""
    items = [item for source in _todo_sources for item in source(user, today) if item.count]
    far = dt.date.max

    def deadline(item: Todo) -> dt.date:
        if item.due is None:
            return far
        return timezone.localdate(item.due) if isinstance(item.due, dt.datetime) else item.due

    return sorted(items, key=lambda i: (not i.is_overdue, deadline(i), i.order, i.label))
