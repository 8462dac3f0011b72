"""The SQL batch against a plain-Python reading of credit-rules.md, on random data."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal, localcontext
from fractions import Fraction

from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from companies.models import Compound
from credit import services
from credit.choices import RunStatus
from credit.models import Assessment, CreditEvent, Rating, RatingRun
from tests.factories import CommunityFactory, FirmFactory

from .helpers import indicator

YEAR = 2023
INDICATORS = ("quality", "satisfaction", "contract", "supervision", "decisions", "petitions")
ROLES = ("street", "community", "owners_committee", "association", "bureau")

cents = st.integers(min_value=0, max_value=10_000).map(lambda n: Decimal(n).scaleb(-2))
data = st.fixed_dictionaries(
    {
        "households": st.lists(st.integers(1, 2000), min_size=1, max_size=5),
        "firms": st.integers(1, 5),
        "assessments": st.dictionaries(
            keys=st.tuples(
                st.integers(0, 4),
                st.integers(0, 4),
                st.sampled_from(INDICATORS),
                st.sampled_from(ROLES),
            ),
            values=cents,
            max_size=40,
        ),
        "events": st.lists(
            st.tuples(
                st.integers(0, 4),
                st.sampled_from(("bonus", "deduction", "veto")),
                st.integers(0, 800).map(lambda n: Decimal(n).scaleb(-2)),
            ),
            max_size=6,
        ),
        "weights": st.lists(
            st.integers(1, 5000).map(lambda n: Decimal(n).scaleb(-2)), min_size=6, max_size=6
        ),
        "min_indicators": st.integers(1, 6),
        "bonus_cap": st.integers(0, 1000).map(lambda n: Decimal(n).scaleb(-2)),
        "chunk": st.integers(1, 4),
    }
)


def reference(assessments, events, households, codes, weights, min_indicators, bonus_cap):
    """credit-rules.md read literally: {firm: (score, grade, indicators, vetoed, rank)}."""
    out = {}
    for firm in {a[1] for a in assessments}:
        s_big = {}
        for code in INDICATORS:
            scores = defaultdict(list)
            for compound, f, ind, score in assessments:
                if f == firm and ind == code:
                    scores[compound].append(Fraction(score))
            if scores:
                num = sum(households[c] * sum(v) / len(v) for c, v in scores.items())
                s_big[code] = num / sum(households[c] for c in scores)
        vetoed = any(f == firm and kind == "veto" for f, kind, _p in events)
        if len(s_big) < min_indicators:
            out[firm] = (None, "", len(s_big), vetoed)
            continue
        base = sum(Fraction(weights[c]) * v for c, v in s_big.items()) / sum(
            Fraction(weights[c]) for c in s_big
        )
        bonus = sum((p for f, k, p in events if f == firm and k == "bonus"), Decimal(0))
        deduction = sum((p for f, k, p in events if f == firm and k == "deduction"), Decimal(0))
        final = base + Fraction(min(bonus, bonus_cap)) - Fraction(deduction)
        final = min(max(final, Fraction(0)), Fraction(100))
        with localcontext() as ctx:
            ctx.prec = 60
            exact = Decimal(final.numerator) / Decimal(final.denominator)
            score = exact.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        grade = "A" if score >= 90 else "B" if score >= 80 else "C" if score >= 65 else "D"
        out[firm] = (score, "D" if vetoed else grade, len(s_big), vetoed)
    rated = sorted((f for f in out if out[f][0] is not None), key=lambda f: (-out[f][0], codes[f]))
    return {f: (*out[f], rated.index(f) + 1 if f in rated else None) for f in out}


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(example=data)
def test_the_sql_batch_agrees_with_a_plain_reading_of_the_rules(db, example):
    with transaction.atomic():
        check(example)
        transaction.set_rollback(True)


def check(example):
    community = CommunityFactory()
    firms = [FirmFactory() for _ in range(example["firms"])]
    compounds = [
        Compound.objects.create(
            code=f"P{i}-{firms[0].pk}",
            name=f"P{i}",
            community=community,
            households=h,
            floor_area=Decimal(1),
        )
        for i, h in enumerate(example["households"])
    ]
    assessments = [
        (c, f, code, score)
        for (c, f, code, role), score in example["assessments"].items()
        if c < len(compounds) and f < len(firms)
    ]
    if not assessments:
        return
    for (c, f, code, role), score in example["assessments"].items():
        if c < len(compounds) and f < len(firms):
            Assessment.objects.create(
                year=YEAR,
                compound=compounds[c],
                firm=firms[f],
                indicator=indicator(code),
                assessor_role=role,
                score=score,
            )
    events = [(f, k, p) for f, k, p in example["events"] if f < len(firms)]
    for n, (f, kind, points) in enumerate(events):
        CreditEvent.objects.create(
            year=YEAR,
            firm=firms[f],
            kind=kind,
            points=points,
            date=dt.date(YEAR, 1, 1),
            reason=str(n),
        )
    rule_set = services.rule_set_for_year(user=None, year=YEAR)
    weights = dict(zip(INDICATORS, example["weights"], strict=True))
    services.rule_set_update(
        user=None,
        rule_set=rule_set,
        weights=weights,
        min_indicators=example["min_indicators"],
        bonus_cap=example["bonus_cap"],
    )
    firm_ids = sorted({firms[f].pk for _c, f, _i, _s in assessments})
    run = RatingRun.objects.create(
        year=YEAR, rule_set=rule_set, status=RunStatus.RUNNING, total=len(firm_ids)
    )
    size = example["chunk"]
    for start in range(0, len(firm_ids), size):
        services.rating_chunk_rate(run_id=run.pk, firm_ids=firm_ids[start : start + size])
    run.refresh_from_db()
    assert run.status == RunStatus.FINISHED, run.error

    expected = reference(
        assessments,
        events,
        [c.households for c in compounds],
        {i: f.credit_code for i, f in enumerate(firms)},
        weights,
        example["min_indicators"],
        example["bonus_cap"],
    )
    got = {
        next(i for i, f in enumerate(firms) if f.pk == r.firm_id): (
            r.score,
            r.grade,
            r.indicators_present,
            r.vetoed,
            r.rank,
        )
        for r in Rating.objects.filter(run=run)
    }
    assert got == expected
