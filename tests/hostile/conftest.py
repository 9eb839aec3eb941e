"""The hostile walk's world, and the Hypothesis profile it runs under.

The default profile is derandomized and small, so ``make test`` (and CI) tries the same values
every run and a failure reproduces; ``HYPOTHESIS_PROFILE=hostile-explore`` draws many more,
at random, for a long run by hand."""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, Phase, settings

from tests.hostile.world import build_world

settings.register_profile(
    "hostile",
    max_examples=2,  # drawn values per field, beside the catalogue's (tests/hostile/values.py)
    derandomize=True,
    database=None,  # nothing written to .hypothesis/: a run depends on nothing but the code
    deadline=None,  # a request's time is not the property under test
    phases=[Phase.explicit, Phase.generate],  # failures are collected, not shrunk
    suppress_health_check=list(HealthCheck),  # one world serves every drawn value, on purpose
)
settings.register_profile(
    "hostile-explore", parent=settings.get_profile("hostile"), max_examples=50, derandomize=False
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "hostile"))


@pytest.fixture
def world(db, tmp_path):
    return build_world(tmp_path)
