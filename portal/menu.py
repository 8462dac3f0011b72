"""The navigation bar: the links each app contributes, shown to the roles that may open them.

Apps register their entries in `AppConfig.ready()`; `allowed(user)` must be the same test
the view applies, so that every link a user is shown opens for that user (the crawl test in
tests/test_crawl.py holds the portal to it). The bar is built from the role alone: no query.

    from portal import menu

    menu.register(_("Rating runs"), "credit:run_list", group=menu.CREDIT, allowed=is_bureau)
    menu.register_public(_("Red and black list"), "credit:redblack", order=20)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .scoping import is_signed_in

# The groups of the bar, in this order; an app may add its own.
REGISTRY = _("Registry")
ASSESSMENT = _("Assessments")
CREDIT = _("Credit")
FUNDS = _("Maintenance fund")
PROPOSALS = _("Proposals")
PUBLIC = _("Public information")
GROUP_ORDER = [REGISTRY, ASSESSMENT, CREDIT, FUNDS, PROPOSALS]

Label = str | Promise | Callable[..., str]


@dataclass(frozen=True)
class MenuItem:
    label: Label
    url_name: str
    allowed: Callable[..., bool]
    group: Promise | str | None = None  # None: a link of its own on the bar
    order: int = 100

    def label_for(self, user) -> str:
        return str(self.label(user) if callable(self.label) else self.label)


@dataclass(frozen=True)
class Link:
    label: str
    url: str


@dataclass(frozen=True)
class Entry:
    """A link on the bar, or a drop-down group of links."""

    label: str
    url: str = ""
    links: tuple[Link, ...] = ()

    @property
    def is_group(self) -> bool:
        return bool(self.links)


_items: list[MenuItem] = []
_public: list[MenuItem] = []


def _anyone(user) -> bool:
    return True


def register(
    label: Label,
    url_name: str,
    *,
    allowed: Callable[..., bool],
    group: Promise | str | None = None,
    order: int = 100,
) -> None:
    """A link for signed-in users for whom `allowed(user)` is true."""
    item = MenuItem(label=label, url_name=url_name, allowed=allowed, group=group, order=order)
    if item not in _items:
        _items.append(item)


def register_public(label: Label, url_name: str, *, order: int = 100) -> None:
    """A page of the public: on the bar for visitors, in the "public" group once signed in."""
    item = MenuItem(label=label, url_name=url_name, allowed=_anyone, group=PUBLIC, order=order)
    if item not in _public:
        _public.append(item)


def _links(items: list[MenuItem], user) -> tuple[Link, ...]:
    return tuple(
        Link(label=item.label_for(user), url=reverse(item.url_name))
        for item in sorted(items, key=lambda i: i.order)
    )


def menu_for(user) -> list[Entry]:
    """The bar of this user: visitors see the public pages; signed-in users their own links
    first (single links, then the groups in GROUP_ORDER), and the public pages in a group."""
    if not is_signed_in(user):
        return [Entry(label=link.label, url=link.url) for link in _links(_public, user)]
    mine = [item for item in _items if item.allowed(user)]
    entries = [
        Entry(label=link.label, url=link.url)
        for link in _links([i for i in mine if i.group is None], user)
    ]
    groups: dict[str, list[MenuItem]] = {}
    for item in mine:
        if item.group is not None:
            groups.setdefault(str(item.group), []).append(item)
    order = [str(g) for g in GROUP_ORDER]
    for name in sorted(groups, key=lambda g: (order.index(g) if g in order else len(order), g)):
        links = _links(groups[name], user)
        # A group of one is a plain link: one click less, and the bar stays short.
        entries.append(
            Entry(label=links[0].label, url=links[0].url)
            if len(links) == 1
            else Entry(label=name, links=links)
        )
    entries.append(Entry(label=str(PUBLIC), links=_links(_public, user)))
    return entries


def context(request) -> dict:
    """Template context processor: `menu`, the bar of the request's user (none yet on a page
    for a request refused before sign-in was read, such as a 400)."""
    return {"menu": menu_for(getattr(request, "user", None))}
