"""Demo data: deterministic people, channels and content so the portal has something to show.

Each app that has demo data provides ``portal/<app>/demo.py`` with ``seed(ctx)``; they run in
the order below (people first, since everything else refers to them). Each seeder is
idempotent: it checks for its own data and returns early, so ``make run`` can call
``seed_demo`` every time.
"""

from __future__ import annotations

import importlib
import random
from dataclasses import dataclass, field
from typing import TextIO

SEEDERS = ["accounts", "board", "twitch", "guides", "forums", "mentors", "digests", "teams"]

# Sizes of the demo data. "small" is the laptop's; "large" is for benchmarks (issue 8).
SIZES = {
    "small": {"people": 40, "channels": 8},
    "large": {"people": 10_000, "channels": 500},
}

DEMO_PASSWORD = "modhall-demo-2026"  # noqa: S105  (laptop demo accounts only; see seed_demo)


@dataclass
class DemoContext:
    size: str
    stdout: TextIO
    usable_passwords: bool
    rng: random.Random = field(default_factory=lambda: random.Random(2026))

    @property
    def numbers(self) -> dict[str, int]:
        return SIZES[self.size]

    def say(self, text: str) -> None:
        self.stdout.write(text + "\n")


def seed_all(ctx: DemoContext) -> None:
    for app in SEEDERS:
        try:
            module = importlib.import_module(f"portal.{app}.demo")
        except ModuleNotFoundError as exc:
            if exc.name != f"portal.{app}.demo":
                raise
            continue
        # A fresh generator per app keeps each app's data the same whatever the others do.
        ctx.rng = random.Random(f"{app}-{ctx.size}")
        module.seed(ctx)
