"""`manage.py load_demo`: the demo city, once (a registry with firms is left alone)."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError

from portal import demo


class Command(BaseCommand):
    help = (
        "Load the demo city (Jilin: 252 firms, 48 streets, 248 communities, about 1,500 "
        "compounds) and one account per role. Does nothing if any district exists."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--seed", type=int, default=demo.DEMO_SEED, help="random seed")

    def handle(self, *args, seed: int, **options) -> None:
        started = time.monotonic()
        try:
            ctx = demo.load_demo(seed=seed)
        except demo.DemoRefused as exc:
            raise CommandError(str(exc)) from exc
        if ctx is None:
            self.stdout.write(
                "The portal already has a city (districts exist): the demo is not loaded again."
            )
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo city loaded in {time.monotonic() - started:.1f} s: "
                f"{len(ctx.districts)} districts, {len(ctx.streets)} streets, "
                f"{len(ctx.communities)} communities, {len(ctx.firms)} firms, "
                f"{len(ctx.compounds)} compounds."
            )
        )
        for note in ctx.notes:
            self.stdout.write(note)
        self.stdout.write("\nDemo accounts (sign in at /accounts/login/):")
        self.stdout.write(demo.accounts_table(ctx))
