#!/usr/bin/env python3
"""Refresh the Chinese catalogue and fill in translations, safely from several shells at once.

    .venv/bin/python scripts/translate.py                      # refresh; list what is untranslated
    .venv/bin/python scripts/translate.py "Sign in=登录" ...    # refresh, then set these
    .venv/bin/python scripts/translate.py --file pairs.json     # {"English": "中文", ...}

A msgid with a context (pgettext, `{% translate "Close" context "case" %}`) is written
"case::Close"; a plain msgid sets only the entry without a context.

It takes an exclusive lock on locale/.lock, runs `make messages`' makemessages (needs GNU
gettext), sets the given msgstrs (a plural entry gets the same text for every form, as
Chinese has one), clears their fuzzy flags, compiles, and prints the msgids still untranslated.
"""

from __future__ import annotations

import argparse
import fcntl
import json
import subprocess
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
IGNORES = [".venv/*", "var/*", "artifacts/*", "tests/*", "bench/*"]


def manage(*args: str) -> None:
    python = ROOT / ".venv" / "bin" / "python"
    subprocess.run(  # noqa: S603 — our own manage.py with fixed arguments
        [str(python), "manage.py", *args], cwd=ROOT, check=True, capture_output=True
    )


def _key(entry) -> str:
    return f"{entry.msgctxt}::{entry.msgid}" if entry.msgctxt else entry.msgid


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pairs", nargs="*", help='"English=中文"')
    parser.add_argument("--file", help="a JSON object of msgid: msgstr")
    args = parser.parse_args()
    wanted: dict[str, str] = {}
    if args.file:
        wanted.update(json.loads(Path(args.file).read_text(encoding="utf-8")))
    for pair in args.pairs:
        msgid, sep, msgstr = pair.partition("=")
        if not sep:
            parser.error(f'{pair!r} is not English=中文 (a msgid with "=" goes in --file)')
        wanted[msgid] = msgstr

    with open(ROOT / "locale" / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        ignores = [f"--ignore={pattern}" for pattern in IGNORES]
        manage("makemessages", "-l", "zh_Hans", "--no-obsolete", *ignores)
        catalogue = polib.pofile(str(PO))
        unknown = set(wanted)
        for entry in catalogue:
            key = _key(entry)
            if key in wanted:
                text = wanted[key]
                if entry.msgid_plural:
                    entry.msgstr_plural = dict.fromkeys(entry.msgstr_plural or {0: ""}, text)
                else:
                    entry.msgstr = text
                if "fuzzy" in entry.flags:
                    entry.flags.remove("fuzzy")
                unknown.discard(key)
        catalogue.save()
        manage("compilemessages", "-l", "zh_Hans", "--ignore=.venv/*")
        missing = [_key(e) for e in catalogue.untranslated_entries()]
        fuzzy = [_key(e) for e in catalogue.fuzzy_entries()]
    for msgid in sorted(unknown):
        print(f"not in the sources (left out): {msgid!r}")
    for msgid in missing:
        print(f"untranslated: {msgid!r}")
    for msgid in fuzzy:
        print(f"fuzzy: {msgid!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
