"""Settings for benchmarks: the production settings (from the environment, as bench/run.py
sets it) plus what only a benchmark needs: a trivial view to compare every page against,
kept out of every page cache (bench/uncached.py), and a response header with the number of
SQL queries the request made."""

from bench.uncached import skipping_trivial
from portal.settings import *  # noqa: F403
from portal.settings import MIDDLEWARE

ROOT_URLCONF = "bench.urls"
MIDDLEWARE = ["bench.middleware.count_queries", *skipping_trivial(MIDDLEWARE)]
