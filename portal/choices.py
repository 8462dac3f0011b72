from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    BUREAU = "bureau", _("Bureau staff")
    STREET = "street", _("Street officer")
    COMMUNITY = "community", _("Community officer")
    ASSOCIATION = "association", _("Industry association")
    FIRM = "firm", _("Property firm")
    OWNERS_COMMITTEE = "owners_committee", _("Owners' committee")
    DEPARTMENT = "department", _("Department")
