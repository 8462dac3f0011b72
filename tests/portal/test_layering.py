"""The house stays layered: `portal/` is the ground floor and imports no app above it."""

from __future__ import annotations

import ast
from pathlib import Path

from django.conf import settings

APPS_ABOVE = {"companies", "credit", "funds", "proposals"}
PORTAL = Path(settings.BASE_DIR) / "portal"


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
