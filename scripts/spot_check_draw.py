#!/usr/bin/env python3
"""Re-run a published spot-check draw (双随机一公开) from its candidates file.

Usage: python3 spot_check_draw.py plan.json
Needs Python 3.8+ and nothing else. Prints the seed check, then one line per drawn check:
compound code, check number, the two inspectors.
"""

import hashlib
import json
import random
import sys
from fractions import Fraction


def main(path):
    with open(path, "rb") as handle:
        raw = handle.read()
    doc = json.loads(raw.decode("utf-8"))
    print("sha256 of the file:", hashlib.sha256(raw).hexdigest())
    basis = doc["seed_basis"]
    seed = hashlib.sha256((basis["list_digest"] + ":" + basis["date"]).encode()).hexdigest()
    print(
        "seed:", doc["seed"], "(matches its basis)" if seed == doc["seed"] else "(DOES NOT MATCH)"
    )

    rng = random.Random(int(doc["seed"], 16))
    months = doc["plan"]["months"]
    counts = []
    for candidate in doc["candidates"]:
        per_year = doc["checks_per_year"][candidate["grade"] or doc["ungraded_as"]]
        share = Fraction(per_year * months, 12)
        whole = share.numerator // share.denominator
        extra = 1 if rng.random() < share - whole else 0
        counts.append((candidate, whole + extra))

    pool = doc["inspectors"]
    for candidate, count in counts:
        eligible = [i for i, p in enumerate(pool) if p["street_id"] != candidate["street_id"]]
        for number in range(1, count + 1):
            first, second = rng.sample(eligible, 2)
            print(
                "\t".join(
                    [candidate["code"], str(number), pool[first]["name"], pool[second]["name"]]
                )
            )


if __name__ == "__main__":
    main(sys.argv[1])
