"""Writes of the credit rule sets: the six indicators, and each year's rule set and weights."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.models import User
from portal.services import record_save

from .. import rating
from ..choices import FROZEN_REASON
from ..models import Indicator, RuleSet, RuleWeight

# --- indicators and rule sets ---------------------------------------------------------------

# The six indicators of credit-rules.md: (code, name, order). The data migration creates them;
# `indicators_ensure` restores them where a database was emptied (a flushed test database).
INDICATORS = (
    ("quality", "住宅小区物业服务质量评价", 1),
    ("satisfaction", "业主满意度", 2),
    ("contract", "依法履行合同服务情况", 3),
    ("supervision", "层级监管部门意见", 4),
    ("decisions", "执行党委政府决策部署", 5),
    ("petitions", "业主信访处理", 6),
)


def indicators_ensure() -> dict[str, Indicator]:
    """The indicators by code, creating any of the six that is missing."""
    found = {indicator.code: indicator for indicator in Indicator.objects.all()}
    for code, name, order in INDICATORS:
        if code not in found:
            found[code], _created = Indicator.objects.get_or_create(
                code=code, defaults={"name": name, "order": order}
            )
    return found


def _frozen_error(rule_set: RuleSet) -> ValidationError:
    return ValidationError(
        _("The rule set of %(year)s is frozen: a rating made with it has been published.")
        % {"year": rule_set.year},
        code="frozen",
    )


@transaction.atomic
def rule_set_create(
    *,
    user: User | None,
    year: int,
    weights: Mapping[str, Decimal],
    **fields,
) -> RuleSet:
    """A rule set for `year` with the given parameters and one weight per indicator code."""
    if RuleSet.objects.filter(year=year).exists():
        raise ValidationError(
            {"year": _("The year %(year)s has a rule set already.") % {"year": year}},
            code="exists",
        )
    rule_set = record_save(RuleSet(year=year, created_by=user, **fields), user=user)
    _save_weights(user=user, rule_set=rule_set, weights=weights, create=True)
    return rule_set


def _save_weights(
    *, user: User | None, rule_set: RuleSet, weights: Mapping[str, Decimal], create: bool
) -> None:
    indicators = indicators_ensure()
    unknown = sorted(set(weights) - set(indicators))
    if unknown:
        raise ValidationError(
            _("Unknown indicators: %(codes)s.") % {"codes": ", ".join(unknown)}, code="indicator"
        )
    missing = sorted(set(indicators) - set(weights)) if create else []
    if missing:
        raise ValidationError(
            _("Give a weight for every indicator; missing: %(codes)s.")
            % {"codes": ", ".join(missing)},
            code="weights_missing",
        )
    existing = {w.indicator.code: w for w in rule_set.weights.select_related("indicator")}
    for code, value in weights.items():
        if value is None or Decimal(value) <= 0:
            raise ValidationError(
                {f"weight_{code}": _("A weight must be greater than 0.")}, code="weight"
            )
        row = existing.get(code) or RuleWeight(rule_set=rule_set, indicator=indicators[code])
        if row.pk and row.weight == Decimal(value):
            continue
        row.weight = Decimal(value)
        record_save(row, user=user)


def default_rule_set_fields() -> dict:
    return {
        "min_indicators": rating.DEFAULT_RULES.min_indicators,
        "bonus_cap": rating.DEFAULT_RULES.bonus_cap,
        "threshold_a": rating.DEFAULT_RULES.threshold_a,
        "threshold_b": rating.DEFAULT_RULES.threshold_b,
        "threshold_c": rating.DEFAULT_RULES.threshold_c,
        "publicity_days": 7,
    }


COPIED_FIELDS = (
    "min_indicators",
    "bonus_cap",
    "threshold_a",
    "threshold_b",
    "threshold_c",
    "publicity_days",
    "repair_decision_days",
    "veto_listing_years",
)


@transaction.atomic
def rule_set_copy(*, user: User | None, source: RuleSet, year: int) -> RuleSet:
    """A new year's rule set with every parameter and weight of `source` (not frozen)."""
    weights = {w.indicator.code: w.weight for w in source.weights.select_related("indicator")}
    fields = {name: getattr(source, name) for name in COPIED_FIELDS}
    return rule_set_create(user=user, year=year, weights=weights, **fields)


@transaction.atomic
def rule_set_for_year(*, user: User | None, year: int) -> RuleSet:
    """The year's rule set; created when missing by copying the latest earlier year's, or
    from the defaults of credit-rules.md."""
    existing = RuleSet.objects.filter(year=year).first()
    if existing is not None:
        return existing
    earlier = RuleSet.objects.filter(year__lt=year).order_by("-year").first()
    if earlier is not None:
        return rule_set_copy(user=user, source=earlier, year=year)
    return rule_set_create(
        user=user,
        year=year,
        weights=dict(rating.DEFAULT_WEIGHTS),
        **default_rule_set_fields(),
    )


@transaction.atomic
def rule_set_update(
    *,
    user: User | None,
    rule_set: RuleSet,
    weights: Mapping[str, Decimal] | None = None,
    **fields,
) -> RuleSet:
    """Change the parameters and weights of a rule set that is not frozen."""
    # Lock the row: a publication freezing this rule set at the same moment must win or wait.
    rule_set = RuleSet.objects.select_for_update().get(pk=rule_set.pk)
    if rule_set.is_frozen:
        raise _frozen_error(rule_set)
    fields.pop("year", None)
    for name, value in fields.items():
        if name not in COPIED_FIELDS:
            raise TypeError(f"rule_set_update() got an unexpected field {name!r}")
        setattr(rule_set, name, value)
    record_save(rule_set, user=user)
    if weights:
        _save_weights(user=user, rule_set=rule_set, weights=weights, create=False)
    return rule_set


@transaction.atomic
def rule_set_freeze(*, user: User | None, rule_set: RuleSet) -> RuleSet:
    """Freeze a rule set (called when a rating made with it is published); idempotent."""
    rule_set = RuleSet.objects.select_for_update().get(pk=rule_set.pk)
    if rule_set.frozen_at is None:
        rule_set.frozen_at = timezone.now()
        record_save(rule_set, user=user, reason=FROZEN_REASON)
    return rule_set


def rules_of(rule_set: RuleSet, weights: Sequence[tuple[str, int, Decimal]]) -> rating.Rules:
    """The pure-arithmetic view of a rule set; `weights` are (code, order, weight)."""
    ordered = sorted(weights, key=lambda w: (w[1], w[0]))
    return rating.Rules(
        weights={code: weight for code, _order, weight in ordered},
        min_indicators=rule_set.min_indicators,
        bonus_cap=rule_set.bonus_cap,
        threshold_a=rule_set.threshold_a,
        threshold_b=rule_set.threshold_b,
        threshold_c=rule_set.threshold_c,
        indicator_order=tuple(code for code, _order, _weight in ordered),
    )
