"""What the search tests share: the relevance suite's share of queries met, reported at the
end of the run (the issue asks the suite to say it, not only to pass or fail)."""

from __future__ import annotations

RELEVANCE: dict[str, tuple[int, int]] = {}  # suite name -> (met, asked)


def pytest_terminal_summary(terminalreporter):
    for name, (met, asked) in RELEVANCE.items():
        terminalreporter.write_line(
            f"search relevance ({name}): {met} of {asked} queries met ({met / asked:.0%})"
        )
