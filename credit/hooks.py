"""What the credit app plugs into the portal (portal/menu.py, workbench.py, files.py)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from portal import menu

from . import selectors


def register() -> None:
    menu.register(
        _("Assessment windows"),
        "credit:window_list",
        allowed=selectors.can_assess,
        group=menu.ASSESSMENT,
        order=10,
    )
    for order, (label, url_name) in enumerate(
        [
            (_("Rating runs"), "credit:run_list"),
            (_("Credit events"), "credit:event_list"),
            (_("D-grade spot checks"), "credit:spot_check_list"),
        ]
    ):
        menu.register(
            label, url_name, allowed=selectors.can_read_ratings, group=menu.CREDIT, order=10 + order
        )
    for order, (label, url_name) in enumerate(
        [
            (_("Rule sets"), "credit:rule_set_list"),
            (_("Import assessments"), "credit:assessment_import"),
            (_("Import credit events"), "credit:credit_event_import"),
        ]
    ):
        menu.register(
            label,
            url_name,
            allowed=selectors.can_manage_credit,
            group=menu.CREDIT,
            order=40 + order,
        )
    menu.register(
        _("Publicity and publication"),
        "credit:publication_list",
        allowed=selectors.can_see_publications,
        group=menu.CREDIT,
        order=60,
    )
    menu.register(
        _("Credit notices"),
        "credit:notice_list",
        allowed=selectors.can_see_publications,
        group=menu.CREDIT,
        order=70,
    )
    menu.register_public(_("Red and black list"), "credit:redblack", order=20)
