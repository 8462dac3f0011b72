"""The house stays layered: `portal/` is the ground floor and imports no app above it."""

from __future__ import annotations

import ast
from pathlib import Path

from django.apps import apps
from django.conf import settings

BASE = Path(settings.BASE_DIR)
# The project's apps in the order of INSTALLED_APPS: the floors of the house, portal first.
FLOORS = [
    config.name
    for config in apps.get_app_configs()
    if Path(config.path).parent == BASE and "." not in config.name
]
APPS_ABOVE = set(FLOORS) - {"portal"}
PORTAL = BASE / "portal"


def _imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module)
    return found


def test_portal_imports_no_app_above_it():
    offenders = {
        str(path.relative_to(PORTAL.parent)): sorted(
            module for module in _imported_modules(path) if module.split(".")[0] in APPS_ABOVE
        )
        for path in PORTAL.rglob("*.py")
    }
    assert {path: mods for path, mods in offenders.items() if mods} == {}


def test_each_app_imports_only_the_apps_below_it():
    """An app may use the apps listed before it in INSTALLED_APPS, never one after it: the
    registry (companies) knows no credit, credit no case; what an upper app adds to a lower
    one's page comes through a registry (companies/public_record.py, portal/workbench.py)."""
    assert FLOORS[:3] == ["portal", "companies", "credit"]
    offenders = {}
    for floor, app in enumerate(FLOORS):
        above = set(FLOORS[floor + 1 :])
        for path in (BASE / app).rglob("*.py"):
            wrong = sorted(m for m in _imported_modules(path) if m.split(".")[0] in above)
            if wrong:
                offenders[str(path.relative_to(BASE))] = wrong
    assert offenders == {}
