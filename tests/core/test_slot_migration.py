"""The migrations that keep slots as written (accounts 0005, board 0006) turn the old UTC
rows back into the windows people wrote, and back again, on a real database of their own
(a scratch SQLite file in another process, so this test database keeps its schema)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_old_utc_rows_become_windows_as_written_and_back(tmp_path):
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'migrations.sqlite3'}",
        "PYTHONPATH": str(ROOT),
    }
    env.pop("CELERY_BROKER_URL", None)
    result = subprocess.run(
        [sys.executable, str(ROOT / "tests" / "core" / "slot_migration_run.py")],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    steps = json.loads(result.stdout.strip().splitlines()[-1])
    written = {
        "people": [
            ["berliner", "Fri 18:00-22:00 (Europe/Berlin)", 4 * 1440 + 18 * 60, 4 * 1440 + 22 * 60],
            ["berliner", "Sun 23:00-00:00 (Europe/Berlin)", 6 * 1440 + 23 * 60, 7 * 1440],
            # Monday 00:00-02:00 UTC read back in New York's winter: Sunday 19:00-21:00.
            [
                "new_yorker",
                "Sun 19:00-21:00 (America/New_York)",
                6 * 1440 + 19 * 60,
                6 * 1440 + 21 * 60,
            ],
        ],
        "openings": [["Mon 09:00-11:00 (Asia/Kolkata)", 9 * 60, 11 * 60]],
    }
    assert steps["forward"] == written
    # Back to UTC minutes of the week then (winter: Berlin UTC+1, Kolkata UTC+5:30).
    assert steps["back"] == {
        "people": [
            [0, 120],  # New York's Sunday 19:00 is Monday 00:00 UTC, the week's start
            [4 * 1440 + 17 * 60, 4 * 1440 + 21 * 60],
            [6 * 1440 + 22 * 60, 6 * 1440 + 23 * 60],
        ],
        "openings": [[3 * 60 + 30, 5 * 60 + 30]],
    }
    assert steps["again"] == written
