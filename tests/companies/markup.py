"""What a reader meets in a page's content (`<main>`), checked without a browser: the texts the
crawl watches (tests/crawl.py) and the markup a screen reader needs. Shared by the registry's
and the proposals' tests."""

from __future__ import annotations

from html.parser import HTMLParser

from tests.crawl import text_problems  # noqa: F401 — shared with the proposals tests

UNLABELLED_TYPES = {"hidden", "submit", "button", "reset", "image"}
# Text classes whose contrast on white (or the light cards) falls under WCAG AA's 4.5:1.
LOW_CONTRAST = {"text-white-50", "text-black-50", "text-light", "opacity-25", "opacity-50"}


class _Main(HTMLParser):
    """Inputs and their labels, table headers, icons and text classes inside `<main>`."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0  # > 0 inside <main>
        self.in_thead = False
        self.label_depth = 0
        self.label_for: set[str] = set()
        self.fields: list[tuple[str, dict, bool]] = []  # tag, attrs, inside a <label>
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = {k: v or "" for k, v in attrs}
        if tag == "main":
            self.depth += 1
            return
        if not self.depth:
            return
        classes = set(attrs.get("class", "").split())
        if tag == "thead":
            self.in_thead = True
        elif tag == "th" and self.in_thead and attrs.get("scope") != "col":
            self.problems.append("a column header without scope=col")
        elif tag == "label":
            self.label_depth += 1
            if attrs.get("for"):
                self.label_for.add(attrs["for"])
        elif tag == "i" and "bi" in classes and attrs.get("aria-hidden") != "true":
            self.problems.append(f"an icon read aloud: {attrs.get('class')}")
        elif tag in {"input", "select", "textarea"} and attrs.get("type") not in UNLABELLED_TYPES:
            self.fields.append((tag, attrs, self.label_depth > 0))
        if classes & LOW_CONTRAST:
            self.problems.append(f"low-contrast text: {attrs.get('class')}")

    def handle_endtag(self, tag):
        if tag == "main":
            self.depth -= 1
        elif tag == "thead":
            self.in_thead = False
        elif tag == "label" and self.label_depth:
            self.label_depth -= 1


def accessibility_problems(html: str) -> list[str]:
    """Inputs without a label, column headers without scope, icons read aloud, low contrast."""
    main = _Main()
    main.feed(html)
    problems = list(main.problems)
    for tag, attrs, wrapped in main.fields:
        named = attrs.get("aria-label") or attrs.get("aria-labelledby")
        if not (wrapped or named or attrs.get("id") in main.label_for):
            problems.append(f"a {tag} without a label: {attrs.get('name')}")
    return problems
