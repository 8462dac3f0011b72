"""The draw of a spot-check plan (双随机): pure functions of the published document, Python's
standard library only, so that anyone can re-run it (docs/spot-checks.md, and the same steps
in scripts/spot_check_draw.py, written apart on purpose).

1. seed = SHA-256 of "<digest of the latest published red/black list version>:<plan start>".
2. rng = random.Random(int(seed, 16)).
3. For each candidate compound, in the published order (by compound code): its share is
   checks a year of its firm's grade × the plan's months / 12. It is checked floor(share)
   times, plus once more when rng.random() < the fraction left (one random() per compound,
   always drawn, so every compound moves the stream alike).
4. For each check in that order: rng.sample of two inspectors from the pool (published in the
   order of their usernames), leaving out those whose area is the compound's own street.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass
from fractions import Fraction


class DrawError(ValueError):
    """The document cannot be drawn (a compound without two eligible inspectors)."""


@dataclass(frozen=True)
class DrawnCheck:
    candidate: int  # index into the document's candidates
    number: int  # 1, 2, … the compound's checks in the plan
    inspectors: tuple[int, int]  # indices into the document's inspectors


def seed_of(*, list_digest: str, date: str) -> str:
    return hashlib.sha256(f"{list_digest}:{date}".encode()).hexdigest()


def months_between(start, end) -> int:
    """The calendar months a period touches: 1 July – 30 September is 3."""
    return (end.year - start.year) * 12 + end.month - start.month + 1


def share(*, checks_per_year: int, months: int) -> Fraction:
    return Fraction(checks_per_year * months, 12)


def draw(document: dict) -> list[DrawnCheck]:
    rng = random.Random(int(document["seed"], 16))  # noqa: S311 — public and reproducible on purpose
    months = document["plan"]["months"]
    per_year = document["checks_per_year"]
    ungraded = document["ungraded_as"]
    counts = []
    for index, candidate in enumerate(document["candidates"]):
        whole, part = divmod(
            share(checks_per_year=per_year[candidate["grade"] or ungraded], months=months), 1
        )
        extra = 1 if rng.random() < part else 0
        counts.append((index, int(whole) + extra))
    inspectors = document["inspectors"]
    drawn = []
    for index, count in counts:
        street = document["candidates"][index]["street_id"]
        eligible = [i for i, person in enumerate(inspectors) if person["street_id"] != street]
        for number in range(1, count + 1):
            if len(eligible) < 2:
                raise DrawError(document["candidates"][index]["code"])
            first, second = rng.sample(eligible, 2)
            drawn.append(DrawnCheck(candidate=index, number=number, inspectors=(first, second)))
    return drawn
