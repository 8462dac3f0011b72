"""The draw's rules on plain documents: how often each grade is drawn, and who may inspect."""

from __future__ import annotations

import hashlib
import math
from collections import Counter

import pytest

from supervision.draw import DrawError, draw, seed_of

SEEDS = 2000
ONE_MONTH = {"name": "July", "start": "2024-07-01", "end": "2024-07-31", "months": 1}


def document(seed: str, candidates: list[dict], inspectors: list[dict], plan=ONE_MONTH) -> dict:
    return {
        "plan": plan,
        "seed": seed,
        "checks_per_year": {"A": 1, "B": 2, "C": 4, "D": 12},
        "ungraded_as": "C",
        "candidates": candidates,
        "inspectors": inspectors,
    }


def candidate(code: str, grade: str | None, street_id: int = 1) -> dict:
    return {"code": code, "grade": grade, "street_id": street_id}


POOL = [{"name": f"inspector {i}", "street_id": None} for i in range(4)]
ONE_OF_EACH = [
    candidate("A1", "A"),
    candidate("B1", "B"),
    candidate("C1", "C"),
    candidate("D1", "D"),
    candidate("N1", None),
]


def seeds(n: int = SEEDS):
    return (hashlib.sha256(str(i).encode()).hexdigest() for i in range(n))


def test_over_many_draws_each_grade_is_drawn_as_often_as_its_frequency_within_four_sigma():
    drawn = Counter()
    for seed in seeds():
        drawn.update(
            ONE_OF_EACH[c.candidate]["code"] for c in draw(document(seed, ONE_OF_EACH, POOL))
        )
    # A month of a plan: D monthly (always), C quarterly (1/3), B twice a year (1/6), A yearly (1/12).
    for code, p in {"A1": 1 / 12, "B1": 1 / 6, "C1": 1 / 3, "N1": 1 / 3}.items():
        sigma = math.sqrt(SEEDS * p * (1 - p))
        assert abs(drawn[code] - SEEDS * p) <= 4 * sigma, (code, drawn[code])
    assert drawn["D1"] == SEEDS


def test_a_quarter_checks_a_grade_d_compound_three_times_and_a_grade_c_compound_once():
    quarter = {"name": "Q3", "start": "2024-07-01", "end": "2024-09-30", "months": 3}
    for seed in seeds(50):
        drawn = Counter(
            ONE_OF_EACH[c.candidate]["code"]
            for c in draw(document(seed, ONE_OF_EACH, POOL, quarter))
        )
        assert drawn["D1"] == 3 and drawn["C1"] == 1 and drawn["N1"] == 1


def test_two_different_inspectors_none_of_the_compounds_own_street():
    pool = [{"name": f"p{i}", "street_id": i % 3} for i in range(9)] + [
        {"name": "bureau", "street_id": None}
    ]
    compounds = [candidate(f"D{i}", "D", street_id=i % 3) for i in range(30)]
    for seed in seeds(200):
        for check in draw(document(seed, compounds, pool)):
            first, second = check.inspectors
            assert first != second
            street = compounds[check.candidate]["street_id"]
            assert pool[first]["street_id"] != street and pool[second]["street_id"] != street


def test_a_compound_without_two_inspectors_outside_its_street_stops_the_draw():
    pool = [{"name": "own street", "street_id": 1}, {"name": "bureau", "street_id": None}]
    with pytest.raises(DrawError):
        draw(document("ab" * 32, [candidate("D1", "D", street_id=1)], pool))


def test_the_same_seed_draws_the_same_checks():
    first = draw(document("cd" * 32, ONE_OF_EACH, POOL))
    assert draw(document("cd" * 32, ONE_OF_EACH, POOL)) == first


def test_the_seed_is_the_sha256_of_the_list_digest_and_the_date():
    assert (
        seed_of(list_digest="abc", date="2024-07-01")
        == hashlib.sha256(b"abc:2024-07-01").hexdigest()
    )
