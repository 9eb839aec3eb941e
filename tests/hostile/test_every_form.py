"""Every form on every page, as every kind of person, spoiled one field at a time.

Each form starts from a valid submission (tests/hostile/walk.py), so a hostile value reaches
the code behind the form instead of being stopped by another field. No answer may be a 5xx,
and a submission that was refused (a 4xx, or the form shown again with its errors) must have
written nothing.

What keeps it within CI's budget (2 cores, about three minutes for this file):
- a form that several people see alike (same action, fields, and answer to the valid
  submission) is spoiled once, as the first of them; a person's answer that differs (a 403
  for one, a redirect for another) makes it a different form;
- a form whose valid submission is refused outright (401, 403, 404, 405) stops there: the
  person may not use it, and the view refuses before it reads a field;
- the admin's forms (Django's own code over our models) get the first few values of each
  kind, not Hypothesis's draws.
"""

from __future__ import annotations

import os

import pytest
from hypothesis import example, given

from tests.hostile.probe import Outcome, send
from tests.hostile.values import CATALOGUE, STRATEGIES, kind_of
from tests.hostile.walk import FoundForm, client_for, collect, valid_submission
from tests.hostile.world import PEOPLE

pytestmark = pytest.mark.django_db

# Not spoiled: the CSRF token (any change is a 403 before a view runs; the test client does
# not check it anyway).
UNSPOILED = {"csrfmiddlewaretoken"}
NOT_FOR_THEM = {401, 403, 404, 405}
ADMIN_VALUES = 4


class Findings:
    """What went wrong, one entry per (form, field, symptom), with the first value that did it."""

    def __init__(self) -> None:
        self.seen: dict[tuple, str] = {}
        self.requests = 0
        self.forms = 0
        self.fields = 0

    def check(self, found: FoundForm, field: str, value: str, outcome: Outcome) -> None:
        self.requests += 1
        shown = f"{found} field {field!r} = {value[:60]!r}"
        if outcome.status >= 500:
            last = (outcome.error.strip().splitlines() or [""])[-1]
            key = (found.view, field, "5xx", last)
            self.seen.setdefault(key, f"{shown}: {outcome.status}\n{outcome.error}")
        elif outcome.refused and outcome.written:
            key = (found.view, field, "written")
            self.seen.setdefault(
                key, f"{shown}: refused ({outcome.status}) yet wrote {outcome.written}"
            )

    def report(self) -> str:
        return f"{len(self.seen)} problems:\n\n" + "\n\n".join(self.seen.values())


def spoil_field(found: FoundForm, client, findings: Findings, valid: dict, name: str, kind: str):
    catalogue = CATALOGUE[kind]

    def attempt(value):
        data = {**valid, name: [value]}
        findings.check(found, name, value, send(client, found.form.method, found.form.action, data))

    if found.view.startswith("admin:"):
        for value in catalogue[:ADMIN_VALUES]:
            attempt(value)
        return
    drawn = given(value=STRATEGIES[kind])(attempt)
    for value in catalogue:
        drawn = example(value=value)(drawn)
    drawn()


def test_no_form_answers_a_hostile_value_with_an_error_or_a_half_write(world):
    findings = Findings()
    failures = []
    spoiled: set[tuple] = set()
    for person in PEOPLE:
        _, forms, walk_failures = collect(world, person)
        failures += walk_failures
        client = client_for(world, person)
        for found in forms:
            valid = valid_submission(found, world)
            outcome = send(client, found.form.method, found.form.action, valid)
            findings.check(found, "(the valid submission)", "", outcome)
            key = (found.view, found.form.method, found.form.field_names(), outcome.status)
            if outcome.status in NOT_FOR_THEM or key in spoiled:
                continue
            spoiled.add(key)
            if os.environ.get("HOSTILE_DEBUG"):
                print(
                    "BASELINE",
                    outcome.status,
                    outcome.refused,
                    found,
                    valid if outcome.refused else "",
                )
            findings.forms += 1
            names = {c.name: kind_of(c) for c in found.form.controls if c.name not in UNSPOILED}
            for name, kind in names.items():
                findings.fields += 1
                spoil_field(found, client, findings, valid, name, kind)
    print(
        f"\nhostile forms: {findings.forms} forms, {findings.fields} fields, "
        f"{findings.requests} requests"
    )
    assert not failures and not findings.seen, "\n\n".join(failures) + findings.report()
