"""What the apps above the registry add to a firm's public page (credit: its grades and its
listings), so that the registry, which they depend on, need not know them.

A section is a function of the firm giving a template and the values it reads; the page
includes the templates in the order the sections were registered (the apps' hooks)."""

from __future__ import annotations

from collections.abc import Callable

from .models import Firm

Section = Callable[[Firm], tuple[str, dict]]

_sections: list[Section] = []


def register_section(section: Section) -> None:
    if section not in _sections:
        _sections.append(section)


def sections_of(firm: Firm) -> tuple[list[str], dict]:
    """The templates of the firm's public sections, and the values they read."""
    templates, values = [], {}
    for section in _sections:
        template, section_values = section(firm)
        templates.append(template)
        values.update(section_values)
    return templates, values
