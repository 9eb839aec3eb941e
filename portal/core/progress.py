"""A progress bar for management commands (shown on a terminal, silent in logs and tests)."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from typing import TypeVar

from tqdm import tqdm

T = TypeVar("T")


def progress[T](iterable: Iterable[T], *, total: int | None = None, desc: str = "") -> Iterator[T]:
    # disable=None: draw only when stderr is a terminal, so CI logs stay readable.
    yield from tqdm(iterable, total=total, desc=desc, file=sys.stderr, disable=None, leave=False)
