"""Follow-through links of a reply's sections: a path inside this portal, and the title of
what it points to (a rule set, a red and black list version, a fund case, a reply...).

The link stays a plain path (no generic foreign key): it is checked to resolve to one of our
pages when saved, and its target's title is looked up when shown, so a renamed or deleted
target never breaks the reply.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _


def _path_of(url: str) -> str | None:
    """The path part of a portal-relative link, or None if it leaves the portal."""
    parts = urlsplit(url)
    if parts.scheme or parts.netloc or not url.startswith("/") or url.startswith("//"):
        return None
    if "\\" in url or any(ord(c) < 32 for c in url):
        return None
    return parts.path


def validate_portal_path(url: str) -> None:
    path = _path_of(url)
    try:
        if path is None:
            raise Resolver404
        resolve(path)
    except Resolver404:
        raise ValidationError(
            _("Enter the address of a page of this portal, starting with /, e.g. /credit/rules/."),
            code="not_portal_path",
        ) from None


def _rule_set(pk: int) -> str | None:
    from credit.models import RuleSet

    obj = RuleSet.objects.filter(pk=pk).first()
    return str(obj) if obj else None


def _red_black(year: int, number: int | None = None) -> str | None:
    from credit.models import Publication, PublicationVersion

    if not Publication.objects.filter(year=year).exists():
        return None
    title = _("Red and black list %(year)s") % {"year": year}
    if number is None:
        return title
    if not PublicationVersion.objects.filter(publication__year=year, number=number).exists():
        return None
    return _("%(title)s, version %(n)d") % {"title": title, "n": number}


def _publication(pk: int) -> str | None:
    from credit.models import Publication

    obj = Publication.objects.filter(pk=pk).first()
    return str(obj) if obj else None


def _title_of(model_path: str) -> Callable[[int], str | None]:
    def lookup(pk: int) -> str | None:
        from django.apps import apps

        model = apps.get_model(model_path)
        return model.objects.filter(pk=pk).values_list("title", flat=True).first()

    return lookup


def _str_of(model_path: str) -> Callable[[int], str | None]:
    def lookup(pk: int) -> str | None:
        from django.apps import apps

        obj = apps.get_model(model_path).objects.filter(pk=pk).first()
        return str(obj) if obj else None

    return lookup


def _public_reply(year: str, seq: str) -> str | None:
    from .models import Reply

    return (
        Reply.objects.published()
        .filter(index_year=int(year), index_seq=int(seq))
        .values_list("title", flat=True)
        .first()
    )


# view name → function of the URL's keyword arguments giving the target's title.
TARGETS: dict[str, Callable[..., str | None]] = {
    "credit:rule_set_edit": _rule_set,
    "credit:publication_detail": _publication,
    "credit:redblack_year": _red_black,
    "credit:redblack_version": _red_black,
    "funds:emergency_detail": _title_of("funds.EmergencyApplication"),
    "funds:ordinary_detail": _title_of("funds.OrdinaryApplication"),
    "funds:notice_detail": _title_of("funds.FundNotice"),
    "funds:plan_detail": _str_of("funds.MaintenancePlan"),
    "proposals:proposal_detail": _title_of("proposals.Proposal"),
    "proposals:public_reply_detail": _public_reply,
}


def follow_up_title(url: str) -> str | None:
    """The title of the link's target, or None when it is not one we know or it is gone."""
    path = _path_of(url) if url else None
    if path is None:
        return None
    try:
        match = resolve(path)
    except Resolver404:
        return None
    lookup = TARGETS.get(match.view_name)
    return lookup(**match.kwargs) if lookup else None


def attach_follow_up_titles(sections: Iterable) -> None:
    """Set `follow_up_title` on each section (a query per linked section: a reply has a few)."""
    for section in sections:
        section.follow_up_title = follow_up_title(section.follow_up_url)
