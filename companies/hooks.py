"""What the registry plugs into the portal (portal/menu.py, workbench.py, pickers.py)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from portal import menu, pickers, workbench
from portal.scoping import can_edit_registry, is_bureau, is_signed_in

from . import coverage, public_page, selectors
from .models import Compound, Firm


def firm_label(firm: Firm) -> str:
    return f"{firm.name} · {firm.credit_code}"


def compound_label(compound: Compound) -> str:
    return f"{compound.name} · {compound.community.street.name} · {compound.code}"


def coverage_card(user, today) -> dict | None:
    if not coverage.can_see_coverage(user):
        return None
    return {"coverage": coverage.coverage_for_user(user=user), "quick_actions": is_bureau(user)}


def register() -> None:
    public_page.register()  # the firm's public page, kept for anonymous visitors
    menu.register(
        _("Firms"), "companies:firm_list", allowed=is_signed_in, group=menu.REGISTRY, order=10
    )
    menu.register(
        _("Compounds"),
        "companies:compound_list",
        allowed=is_signed_in,
        group=menu.REGISTRY,
        order=20,
    )
    menu.register(
        _("Import firms"),
        "companies:firm_import",
        allowed=can_edit_registry,
        group=menu.REGISTRY,
        order=30,
    )
    menu.register(
        _("Import compounds"),
        "companies:compound_import",
        allowed=can_edit_registry,
        group=menu.REGISTRY,
        order=40,
    )
    menu.register_public(_("Firm lookup"), "companies:public_firm_search", order=10)
    pickers.register(
        "firm",
        rows=lambda user: Firm.objects.filter(
            pk__in=selectors.firms_for_user(user=user).values("pk")
        ),
        search=selectors.firm_search,
        label=firm_label,
    )
    pickers.register(
        "compound",
        rows=selectors.compounds_for_user,
        search=selectors.compound_search,
        label=compound_label,
        related=("community__street",),
    )
    workbench.register_card(
        "companies.coverage",
        template="companies/card_coverage.html",
        context=coverage_card,
        order=80,
    )
