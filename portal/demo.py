"""The demo: a city to try the portal on, written by steps that each app contributes.

`load_demo()` runs the steps in the order they were registered (the apps' order in
INSTALLED_APPS; `companies.demo` writes the city itself: areas, firms, compounds and one
account per role). An app adds its own demo data with a step in its `demo.py`, found by
`load_demo` through autodiscovery:

    from portal.demo import DemoContext, demo_step

    @demo_step("credit")
    def credit_demo(ctx: DemoContext) -> None:
        rng = ctx.rng("credit")      # its own stream: adding a step changes no other data
        ... ctx.firms, ctx.compounds, ctx.accounts["bureau"] ...

Everything is drawn from a fixed seed, so every load gives the same data.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext as _

from .choices import Role
from .models import District, User

# The date of the bureau's reply (吉市住建提字〔2024〕22号), as good a seed as any.
DEMO_SEED = 20240612
DEMO_PASSWORD = "Demo-2026-portal"  # noqa: S105 — documented demo password, printed by load_demo
DEMO_REASON = "demo data"
# The demo bureau account's authenticator key (hex), published like the password: add it to
# an authenticator app (load_demo prints it in base32), or run `manage.py otp_code demo_bureau`.
DEMO_TOTP_KEY = "3132333435363738393031323334353637383930"  # noqa: S105 — published demo key


class DemoRefused(Exception):
    """The demo may not be loaded here."""


def stream(seed: int, name: str) -> random.Random:
    """A random stream of its own for each part, so that adding a part changes no other."""
    return random.Random(f"{seed}:{name}")  # noqa: S311 — demo data, not secrets


@dataclass
class DemoContext:
    """What the steps share: the seed, the plan of the city, and the rows written so far."""

    seed: int
    plan: Any = None  # companies.demo.CityPlan, once its first step has run
    districts: list = field(default_factory=list)
    streets: list = field(default_factory=list)
    communities: list = field(default_factory=list)
    firms: list = field(default_factory=list)
    compounds: list = field(default_factory=list)
    accounts: dict[str, User] = field(default_factory=dict)  # role -> demo account
    notes: list[str] = field(default_factory=list)  # lines a step wants printed

    def rng(self, name: str) -> random.Random:
        return stream(self.seed, name)


DemoStep = Callable[[DemoContext], None]
STEPS: dict[str, DemoStep] = {}


def demo_step(name: str) -> Callable[[DemoStep], DemoStep]:
    """Register a step; steps run app by app in the order of INSTALLED_APPS (a later app's
    demo needs the earlier ones' rows, whatever imported its module first), and within an
    app in the order they were registered."""

    def register(step: DemoStep) -> DemoStep:
        STEPS[name] = step
        return step

    return register


def load_demo(*, seed: int = DEMO_SEED) -> DemoContext | None:
    """Load the demo city into an empty portal; with areas already there (a real city, or
    the demo loaded before), do nothing and return None. Never in production: demo accounts
    with a published password would open the bureau's portal to anyone."""
    if settings.PRODUCTION:
        raise DemoRefused(_("The demo is not loaded in production (DJANGO_ENV=production)."))
    if District.objects.exists():
        return None
    autodiscover_modules("demo")  # the apps' steps
    ctx = DemoContext(seed=seed)
    app_order = {config.name: i for i, config in enumerate(apps.get_app_configs())}
    steps = sorted(STEPS.values(), key=lambda step: app_order[step.__module__.split(".")[0]])
    with transaction.atomic():
        for step in steps:
            step(ctx)
    return ctx


def accounts_table(ctx: DemoContext) -> str:
    """The demo accounts, for the operator to sign in with."""
    rows = [("role", "username", "password", "scope")]
    for user in sorted(ctx.accounts.values(), key=lambda u: list(Role.values).index(u.role)):
        rows.append((user.role, user.username, DEMO_PASSWORD, user.scope_label))
    widths = [max(len(str(row[i])) for row in rows) for i in range(3)]
    return "\n".join(
        "  ".join(str(value).ljust(widths[i]) for i, value in enumerate(row[:3])) + "  " + row[3]
        for row in rows
    )
