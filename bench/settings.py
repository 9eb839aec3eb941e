"""Settings for benchmarks: the production settings (from the environment, as bench/run.py
sets it) plus two things only a benchmark needs: a trivial view to compare every page
against, and a response header with the number of SQL queries the request made."""

from portal.settings import *  # noqa: F403
from portal.settings import MIDDLEWARE

ROOT_URLCONF = "bench.urls"
MIDDLEWARE = ["bench.middleware.count_queries", *MIDDLEWARE]
