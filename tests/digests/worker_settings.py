"""Settings for the Celery worker that tests/digests/test_worker.py starts as a real process:
the portal's own settings, with mail written to files slowly (like a real mail server's
latency), so the test can kill the worker in the middle of a chunk."""

import os

from portal.settings import *  # noqa: F403

MAILERS = {
    "default": {
        "BACKEND": "tests.digests.slow_mail.SlowFileBackend",
        "OPTIONS": {"file_path": os.environ["DIGEST_TEST_MAIL_DIR"]},
    }
}
# Unacknowledged messages of a killed worker come back after this many seconds (production's
# 30 minutes suit a real outage, not a test).
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": 5,
    # Look for expired unacknowledged messages every second (production: every 100 s).
    "unacked_restore_interval": 1,
    "unacked_restore_throttle": 1,
}
