"""Every address and every form of the portal, fed what no page of it would send, as each
visitor of the demo: the answer is never a 5xx, and nothing is written.

For each visitor (anonymous and the six demo accounts) the test
1. walks the pages the visitor is shown (up to three addresses per URL pattern, and a detail
   page of each state of emergencies, applications, plans, notices, objections, publications,
   rule sets and proposals, whose forms change with the state), reading each page's links,
   its GET forms' fields and its POST forms;
2. asks each page again with every query parameter a view reads (a fixed broad set and the
   names the page itself uses) set to each hostile value: NUL, "²" (a digit to
   `str.isdigit()`, not to `int()`), Arabic-Indic digits, -1, 10**20 and 100,000 characters;
3. asks every URL pattern of the project (admin aside) with absurd path values: 0, 10**20,
   Arabic-Indic digits, 1,000 characters, wherever the pattern's converters take them;
4. posts every form it was shown (with the form's CSRF token) once with a NUL in every field,
   once with every field missing, and once per field with that field's hostile values, the
   other fields holding what the page showed or, when empty, a value their form accepts.

A hostile value the form's field itself refuses (asked of the field: `field.clean(value)`)
must write nothing: no INSERT, UPDATE or DELETE but the session's, django-axes' and
django-otp's bookkeeping (failed sign-ins, a code's throttling) and the import jobs' own.
Every request runs in a savepoint rolled back after it, so cases do not see each other.
The forms rendered are also checked for bounds: every text field has a max_length, every
number field a max_value (a DecimalField: max_digits).

A generated table, not random draws: the same cases on every run.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urljoin, urlsplit

import pytest
from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Min
from django.forms.formsets import ManagementForm
from django.http import Http404
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, resolve, reverse
from django.urls.exceptions import Resolver404

from tests.demo import load_demo_for_tests
from tests.signin import verified_login

VISITORS = [
    "anonymous",
    "bureau",
    "street",
    "community",
    "association",
    "firm",
    "committee",
    "dept_chengguan",
]
LONG = "长" * 100_000
# In an address the same length, mostly ASCII: a page writes its address into its links
# (sorting, paging, ?next=), and "长" percent-encoded is nine bytes.
LONG_QUERY = "长" + "x" * 99_999
HUGE = str(10**20)
HOSTILE = {
    "nul": "a\x00b",
    "superscript digit": "²",
    "Arabic-Indic digits": "٢٠٢٣",
    "negative": "-1",
    "huge": HUGE,
    "100,000 characters": LONG,
}
# What views read from the query string, whether or not the page shows it.
QUERY_NAMES = [
    "q", "page", "per_page", "sort", "year", "status", "street", "community", "compound",
    "firm", "kind", "state", "order", "waiting", "district", "role", "step", "level", "was",
    "low", "overdue", "missing", "session", "red_heart", "no_firm", "owners_committee",
    "party_org", "_export", "next", "job",
]  # fmt: skip
PATH_VALUES = ["0", HUGE, "٢٠٢٣", "²", "x" * 1000, "٢٠٢٣-٠٠٠٠١", "9999-99999", "-1"]
SKIPPED_NAMESPACES = {"admin"}  # Django's own admin, tested by Django
NOT_POSTED = {"logout"}  # would end the visitor's session for the cases after it
MAX_PAGES = 400
# Addresses per URL pattern read for their forms (an emergency shows other forms in each of
# its states); the queries are fuzzed on the first only.
PER_ROUTE = 3
FIELDS_PER_FORM = 10  # the assessment grid has 300 cells alike: the first ten of a form
ALLOWED_WRITES = re.compile(r'^"?(django_session|axes_\w+|otp_\w+|portal_importjob)"?$')
WRITE = re.compile(r'^\s*(INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+("?[\w.]+"?)', re.IGNORECASE)


# --- the demo, once per module ---------------------------------------------------------------


@pytest.fixture(scope="module")
def demo_city(django_db_setup, django_db_blocker):
    """The demo city, loaded once for this module and rolled back after it."""
    with django_db_blocker.unblock(), transaction.atomic():
        load_demo_for_tests()
        yield
        transaction.set_rollback(True)


# --- what a page holds -----------------------------------------------------------------------


@dataclass
class FormField:
    name: str
    kind: str  # text, number, date, hidden, select, textarea, checkbox, radio, file, submit...
    value: str = ""
    required: bool = False
    options: list[str] = field(default_factory=list)


@dataclass
class HtmlForm:
    method: str
    action: str
    fields: list[FormField] = field(default_factory=list)

    def named(self, name: str) -> FormField | None:
        return next((f for f in self.fields if f.name == name), None)


class PageParser(HTMLParser):
    """The links and forms of a page, with each field's value as the browser would send it."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.forms: list[HtmlForm] = []
        self._form: HtmlForm | None = None
        self._select: FormField | None = None
        self._textarea: FormField | None = None
        self._option: tuple[str, bool] | None = None

    def handle_starttag(self, tag, attrs):
        attrs = {k: (v or "") for k, v in attrs}
        # What a browser asks besides links: htmx's partials and the pickers' searches.
        for name in ("hx-get", "data-picker"):
            if attrs.get(name):
                self.links.append(attrs[name])
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        elif tag == "form":
            self._form = HtmlForm(attrs.get("method", "get").lower(), attrs.get("action", ""))
            self.forms.append(self._form)
        elif self._form is None or not attrs.get("name") and tag != "option":
            return
        elif tag in ("input", "button"):
            kind = attrs.get("type", "text" if tag == "input" else "submit").lower()
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                existing = self._form.named(attrs["name"])
                if existing is not None:
                    existing.options.append(attrs.get("value", "on"))
                    return
                self._form.fields.append(
                    FormField(
                        attrs["name"], kind, "", "required" in attrs, [attrs.get("value", "on")]
                    )
                )
                return
            existing = self._form.named(attrs["name"])
            if existing is not None and kind in ("checkbox", "radio", "submit"):
                existing.value = existing.value or attrs.get("value", "on")
                return
            self._form.fields.append(
                FormField(attrs["name"], kind, attrs.get("value", ""), "required" in attrs)
            )
        elif tag == "select":
            self._select = FormField(attrs["name"], "select", None, "required" in attrs)
            self._form.fields.append(self._select)
        elif tag == "option" and self._select is not None:
            self._option = (attrs.get("value"), "selected" in attrs)
            if attrs.get("value") is not None:
                self._add_option(attrs["value"], "selected" in attrs)
                self._option = None
        elif tag == "textarea":
            self._textarea = FormField(attrs["name"], "textarea", "", "required" in attrs)
            self._form.fields.append(self._textarea)

    def _add_option(self, value: str, selected: bool) -> None:
        self._select.options.append(value)
        if selected or self._select.value is None:  # the selected option, else the first
            self._select.value = value

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea.value += data
        if self._option is not None:  # an <option> without a value attribute sends its text
            self._add_option(data.strip(), self._option[1])
            self._option = None

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select" and self._select is not None:
            self._select.value = self._select.value or ""
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            # A browser drops the newline that follows <textarea>, as Django writes it.
            self._textarea.value = self._textarea.value.removeprefix("\n")
            self._textarea = None


# --- the Django forms behind a page ----------------------------------------------------------


def _forms_in(value, depth: int = 0):
    if isinstance(value, forms.BaseForm):
        yield value
    elif isinstance(value, forms.BaseFormSet):
        yield value.management_form
        yield from value.forms
        yield value.empty_form
    elif isinstance(value, list | tuple) and depth < 2:
        for item in value[:60]:
            yield from _forms_in(item, depth + 1)


def django_fields(response) -> dict[str, tuple[forms.BaseForm, forms.Field]]:
    """Every field of the forms the page rendered (with its form), by its name in the HTML."""
    found: dict[str, tuple[forms.BaseForm, forms.Field]] = {}
    contexts = response.context or []
    if hasattr(contexts, "dicts"):
        contexts = [contexts]
    for context in contexts:
        for layer in getattr(context, "dicts", [context]):
            for value in layer.values():
                for form in _forms_in(value):
                    for name, form_field in form.fields.items():
                        found.setdefault(form.add_prefix(name), (form, form_field))
    return found


def bound_problems(where: str, fields: dict) -> list[str]:
    """A text field without a length, a number without a maximum: the 100,000-character paste
    and the 10**20 would reach the service and the database."""
    problems = []
    for name, (form, form_field) in fields.items():
        if isinstance(form, ManagementForm) or form_field.disabled:
            continue  # Django's own, bounded by the formset's absolute_max
        if isinstance(form_field.widget, forms.PasswordInput | forms.HiddenInput):
            continue  # a password is hashed, never stored as typed; hidden: set by the page
        if isinstance(form_field, forms.CharField) and form_field.max_length is None:
            problems.append(f"{where}: text field {name!r} has no max_length")
        if (
            isinstance(form_field, forms.IntegerField)  # FloatField and DecimalField too
            and not isinstance(form_field, forms.DecimalField)
            and form_field.max_value is None
        ):
            problems.append(f"{where}: number field {name!r} has no max_value")
        if (
            isinstance(form_field, forms.DecimalField)
            and form_field.max_value is None
            and form_field.max_digits is None
        ):
            problems.append(f"{where}: decimal field {name!r} has no max_digits")
    return problems


def refuses(form_field: forms.Field, value) -> bool:
    """Does the field itself refuse this value? Then the request must write nothing. (A
    disabled field keeps its initial value whatever is posted: it refuses nothing.)"""
    if form_field.disabled:
        return False
    if isinstance(form_field, forms.MultipleChoiceField | forms.ModelMultipleChoiceField):
        value = [value]
    try:
        form_field.clean(value)
    except ValidationError:
        return True
    except Exception:  # noqa: BLE001 — a crash here will crash the request too: it is reported
        return True
    return False


def field_of(known: dict, name: str) -> forms.Field | None:
    return known[name][1] if name in known else None


def is_text(form_field: forms.Field | None) -> bool:
    return isinstance(form_field, forms.CharField)


def accepted_value(form_field: forms.Field) -> str | None:
    """A value the field accepts, for a field the page left empty."""
    candidates: list[str] = []
    if isinstance(form_field, forms.ModelChoiceField):
        candidates += [str(pk) for pk in form_field.queryset.values_list("pk", flat=True)[:1]]
    elif isinstance(form_field, forms.ChoiceField):
        candidates += [str(v) for v, _label in form_field.choices if v not in ("", None)][:1]
    for bound in (
        (form_field.min_value, form_field.max_value) if hasattr(form_field, "min_value") else ()
    ):
        if bound is not None:
            candidates.append(str(bound))
    candidates += ["测试", "7", "1", "2023", dt.date.today().isoformat(), "1.00"]
    for candidate in candidates:
        if not refuses(form_field, candidate):
            return candidate
    return None


# --- one request, isolated and watched -------------------------------------------------------


@dataclass
class Outcome:
    status: int
    content_type: str
    body: str
    writes: list[str]
    response: object = None


def send(client: Client, method: str, url: str, data=None) -> Outcome:
    """The request in a savepoint rolled back after it; what it answered and wrote."""
    connection.queries_log.clear()  # it keeps 9,000 queries: a full log would hide the new
    with CaptureQueriesContext(connection) as queries, transaction.atomic():
        try:
            response = getattr(client, method)(url, data or {})
        except Exception as exc:  # noqa: BLE001 — the test client re-raises a view's error
            transaction.set_rollback(True)
            return Outcome(500, "", f"{type(exc).__name__}: {exc}"[:300], [])
        transaction.set_rollback(True)
    writes = []
    for query in queries.captured_queries:
        match = WRITE.match(query["sql"])
        if match and not ALLOWED_WRITES.match(match[2]):
            writes.append(f"{match[1].split()[0].upper()} {match[2]}")
    content_type = response.get("Content-Type", "")
    body = ""
    if "text/html" in content_type and not response.streaming:
        body = response.content.decode(errors="replace")
    return Outcome(response.status_code, content_type, body, writes, response)


# --- the URL patterns ------------------------------------------------------------------------


def url_patterns() -> list[tuple[str, list[str]]]:
    """Every named pattern of the project as (view name, the names of its path arguments)."""
    found = []

    def walk(patterns, namespace: str, outer: list[str]) -> None:
        for pattern in patterns:
            names = outer + list(getattr(pattern.pattern, "converters", {}) or {})
            regex = getattr(pattern.pattern, "regex", None)
            if regex is not None and not getattr(pattern.pattern, "converters", None):
                names = outer + list(regex.groupindex)
            if isinstance(pattern, URLResolver):
                if pattern.namespace in SKIPPED_NAMESPACES:
                    continue
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                walk(pattern.url_patterns, inner, names)
            elif isinstance(pattern, URLPattern) and pattern.name:
                found.append((namespace + pattern.name, names))

    walk(get_resolver().url_patterns, "", [])
    return sorted(set((name, tuple(args)) for name, args in found))


def absurd_addresses(view_name: str, args: list[str]) -> list[str]:
    """The pattern's address with each absurd value its converters take, in every argument."""
    if not args:
        return []
    addresses = []
    for value in PATH_VALUES:
        try:
            addresses.append(reverse(view_name, kwargs=dict.fromkeys(args, value)))
        except NoReverseMatch:
            continue
    return addresses


def route_of(path: str) -> str | None:
    try:
        return resolve(path).view_name
    except Resolver404:
        return None


# --- the walk and the cases ------------------------------------------------------------------


def seeds(user) -> list[str]:
    """Detail pages whose forms depend on the state of what they show (an emergency waits
    for another signature in each state): the visitor's first of each state in the demo."""
    from credit import selectors as credit
    from credit.models import RuleSet
    from funds import selectors as funds
    from proposals.models import Proposal

    # The published list of the demo's year, at the addresses nothing links to.
    public = [
        reverse(name, args=[2023])
        for name in ("credit:redblack_year", "credit:redblack_csv", "credit:redblack_json")
    ] + [reverse("healthz")]
    if user is None:
        return public
    sources = [
        ("funds:emergency_detail", lambda: funds.emergencies_for_user(user=user), "status"),
        ("funds:ordinary_detail", lambda: funds.ordinaries_for_user(user=user), "status"),
        ("funds:plan_detail", lambda: funds.plans_for_user(user=user), "status"),
        ("credit:notice_detail", lambda: credit.notices_for_user(user=user), "status"),
        ("credit:objection_detail", lambda: credit.objections_for_user(user=user), "status"),
        ("credit:publication_detail", lambda: credit.publications_for_user(user=user), "status"),
        ("credit:rule_set_edit", lambda: RuleSet.objects.all(), "frozen_at"),
        ("proposals:proposal_detail", lambda: Proposal.objects.all(), "state"),
        ("proposals:reply_edit", lambda: Proposal.objects.all(), "state"),
    ]
    urls = public
    for name, rows, state in sources:
        try:
            queryset = rows().order_by()
            firsts = (
                queryset.values(state).annotate(first=Min("pk")).values_list("first", flat=True)
            )
            urls += [reverse(name, args=[pk]) for pk in sorted(firsts)]
        except (PermissionDenied, Http404):
            continue  # the visitor's role has none of these
    return urls


@dataclass
class Report:
    visitor: str
    problems: list[str] = field(default_factory=list)
    requests: int = 0
    pages: dict[str, str] = field(default_factory=dict)  # view name -> the first address
    visits: Counter = field(default_factory=Counter)  # view name -> addresses visited
    html: set[str] = field(default_factory=set)  # view names whose page is HTML
    # (action's view name, field names) -> (action, the form, its Django fields, the page)
    forms: dict[tuple, tuple[str, HtmlForm, dict, str]] = field(default_factory=dict)
    query_names: dict[str, set[str]] = field(default_factory=dict)

    def check(self, what: str, outcome: Outcome, *, must_refuse: bool, status: int | None = None):
        self.requests += 1
        if outcome.status >= 500:
            self.problems.append(f"{what}: {outcome.status} {outcome.body[:200]}")
        elif status is not None and outcome.status != status:
            self.problems.append(f"{what}: {outcome.status}, expected {status}")
        if outcome.writes and must_refuse:
            self.problems.append(f"{what}: wrote {sorted(set(outcome.writes))}")


def walk(client: Client, report: Report, start: list[str], seeds: list[str]) -> None:
    """Up to PER_ROUTE addresses per URL pattern that the visitor is shown, breadth first,
    and the seeds (whatever the limit)."""
    queue = [(url, True) for url in seeds] + [(url, False) for url in start]
    seen: set[str] = set()
    while queue and sum(report.visits.values()) < MAX_PAGES:
        url, seed = queue.pop(0)
        route = route_of(urlsplit(url).path)
        if url in seen or route is None or (report.visits[route] >= PER_ROUTE and not seed):
            continue
        seen.add(url)
        outcome = send(client, "get", url)
        report.check(f"GET {url}", outcome, must_refuse=True)
        report.visits[route] += 1
        if outcome.status != 200:
            continue
        report.pages.setdefault(route, url)
        if not outcome.body:
            continue
        report.html.add(route)
        page = PageParser()
        page.feed(outcome.body)
        names = report.query_names.setdefault(route, set())
        fields = django_fields(outcome.response)
        report.problems.extend(bound_problems(url, fields))
        for form in page.forms:
            if form.method == "get":
                names.update(f.name for f in form.fields)
                continue
            action = urljoin(url, form.action or url)
            if urlsplit(action).netloc not in ("", "testserver"):
                continue
            # The same form on another row (fields named after the row's ids) is not another.
            shape = sorted({re.sub(r"\d+", "#", f.name) for f in form.fields})
            key = (route_of(urlsplit(action).path), tuple(shape))
            report.forms.setdefault(key, (urlsplit(action).path, form, fields, url))
        for href in page.links:
            target = urljoin(url, href.strip())
            parts = urlsplit(target)
            if parts.netloc not in ("", "testserver") or parts.path.startswith(
                ("/static/", "/admin/", "/accounts/logout")
            ):
                continue
            names.update(key for key, _value in parse_qsl(parts.query, keep_blank_values=True))
            queue.append((parts.path, False))


def fuzz_queries(client: Client, report: Report, turn: int) -> None:
    """Each page again, every query parameter set to each hostile value."""
    for route, url in sorted(report.pages.items()):
        own = ["q", *sorted(report.query_names.get(route, set()) - {"q"})[:1]]
        names = sorted(set(QUERY_NAMES) | set(own))
        values = list(HOSTILE.items())
        if route not in report.html:
            # A download or a PDF reads no filter: NUL and one other value, in turn.
            values = [values[0], values[1 + turn % (len(values) - 1)]]
        for label, value in values:
            # The 100,000 characters in two parameters only (the search and one of the page's
            # own): thirty of them in each link of a page would make pages of hundreds of MB.
            query = dict.fromkeys(own, LONG_QUERY) if value is LONG else dict.fromkeys(names, value)
            outcome = send(client, "get", url, query)
            expected = 400 if label == "nul" else None
            report.check(f"GET {url}?…={label}", outcome, must_refuse=True, status=expected)


def fuzz_paths(client: Client, report: Report) -> None:
    """Every URL pattern with absurd path values (and a NUL in the path)."""
    for view_name, args in url_patterns():
        for address in absurd_addresses(view_name, list(args)):
            report.check(f"GET {address[:80]}", send(client, "get", address), must_refuse=True)
        if args and view_name in report.pages:
            nul = report.pages[view_name].rstrip("/") + "%00/"
            report.check(f"GET {nul}", send(client, "get", nul), must_refuse=True, status=400)


def fuzz_forms(client: Client, report: Report) -> None:
    """Every POST form the visitor was shown, field by field."""
    for (route, _names), (action, form, known, page) in sorted(report.forms.items(), key=str):
        if route is None or route in NOT_POSTED:
            continue
        baseline: dict[str, object] = {}
        fuzzable: list[FormField] = []
        for html_field in form.fields:
            if html_field.kind in ("file", "image", "reset"):
                continue
            value = html_field.value or ""
            django_field = field_of(known, html_field.name)
            if not value.strip() and django_field is not None and django_field.required:
                value = accepted_value(django_field) or ""
            if value or html_field.kind not in ("checkbox", "radio"):
                baseline[html_field.name] = value
            if html_field.name != "csrfmiddlewaretoken" and html_field.kind != "submit":
                fuzzable.append(html_field)
        token = {"csrfmiddlewaretoken": baseline.get("csrfmiddlewaretoken", "")}
        where = f"POST {action} (the form of {page})"
        # A NUL in every field: refused before any view.
        nul = {**baseline, **{f.name: "a\x00b" for f in fuzzable}}
        if fuzzable:
            report.check(
                f"{where} (NUL)", send(client, "post", action, nul), must_refuse=True, status=400
            )
        # Every field missing.
        if any(f.required or getattr(field_of(known, f.name), "required", False) for f in fuzzable):
            report.check(
                f"{where} (nothing)", send(client, "post", action, token), must_refuse=True
            )
        for html_field in fuzzable[:FIELDS_PER_FORM]:
            django_field = field_of(known, html_field.name)
            if isinstance(django_field, forms.BooleanField | forms.FileField):
                continue
            for label, value in HOSTILE.items():
                if label in ("nul", "Arabic-Indic digits"):
                    continue  # NUL: above; Arabic-Indic digits are digits to Django's forms
                if is_text(django_field) and value is not LONG:
                    continue  # "²", "-1" and 10**20 are fair text: only the length matters
                data = {**baseline, html_field.name: value}
                must_refuse = django_field is not None and refuses(django_field, value)
                outcome = send(client, "post", action, data)
                report.check(
                    f"{where} ({html_field.name}={label})", outcome, must_refuse=must_refuse
                )
            if django_field is not None and django_field.required and not django_field.disabled:
                data = {k: v for k, v in baseline.items() if k != html_field.name}
                outcome = send(client, "post", action, data)
                report.check(f"{where} ({html_field.name} missing)", outcome, must_refuse=True)


@pytest.mark.parametrize("visitor", VISITORS)
def test_no_input_gets_a_5xx_or_writes_anything(visitor, demo_city, db, settings):
    # The limits on public pages have tests of their own; this visitor sends thousands.
    settings.PORTAL_RATE_LIMITS_ENABLED = False
    client = Client(enforce_csrf_checks=True)
    start, user = ["/"], None
    if visitor != "anonymous":
        user = get_user_model().objects.get(username=f"demo_{visitor}")
        verified_login(client, user)
        start = ["/dashboard/", "/"]
    report = Report(visitor)
    began = time.monotonic()
    walk(client, report, start, seeds(user))
    fuzz_queries(client, report, VISITORS.index(visitor))
    fuzz_paths(client, report)
    fuzz_forms(client, report)
    print(
        f"{visitor}: {len(report.pages)} of {len(url_patterns())} patterns visited, "
        f"{len(report.forms)} forms, {report.requests} requests in "
        f"{time.monotonic() - began:.0f} s; forms: {sorted({key[0] for key in report.forms})}"
    )
    assert len(report.pages) > (10 if visitor == "anonymous" else 20)
    assert not report.problems, "\n".join(report.problems[:80])
