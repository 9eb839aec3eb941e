"""Every address and every form, as every kind of person, with hostile input.

The walk (tests/hostile/walk.py) GETs every URL pattern the resolver knows as an anonymous
visitor, a member, a channel owner, a forum moderator, staff and a suspended person, tries
malformed page numbers on each page they get, and reads the forms on those pages. Each form
starts from a valid submission built from its own fields, so a hostile value reaches the code
behind the form instead of being stopped by another field; then one field at a time gets
each value of the catalogue for its kind and Hypothesis's draws (tests/hostile/values.py),
and the valid submission is sent with the wrong methods. No answer may be a 5xx, and a
submission that was refused (a 4xx, or the form shown again with its errors) must have
written no row.

What keeps it within CI's budget (2 cores, about three minutes on PostgreSQL):
- a form that several people see alike (same action, fields, and answer to the valid
  submission) is spoiled once, as the first of them: a person's answer that differs (a 403
  for one, a redirect for another) makes it a different form;
- a form whose valid submission is refused outright (401, 403, 404, 405) stops there: the
  person may not use it, and the view refuses before it reads a field;
- the admin's forms (Django's own code over our models) get the sharpest one or two values
  of each kind, not Hypothesis's draws;
- a formset's rows are alike: only its first row's fields (and its management form) are
  spoiled;
- page numbers are tried once per address.
"""

from __future__ import annotations

import os
import re
import time
from dataclasses import dataclass
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from hypothesis import example, given

from tests.hostile.probe import Outcome, send
from tests.hostile.values import ADMIN_CATALOGUE, CATALOGUE, STRATEGIES, kind_of
from tests.hostile.walk import FoundForm, client_for, valid_submission, walk
from tests.hostile.world import PEOPLE

pytestmark = pytest.mark.django_db

# Not spoiled: the CSRF token (any change is a 403 before a view runs; the test client does
# not check it anyway).
UNSPOILED = {"csrfmiddlewaretoken"}
NOT_FOR_THEM = {401, 403, 404, 405}
LATER_FORMSET_ROW = re.compile(r"^.+-[1-9][0-9]*-")  # "questions-3-prompt", not "-0-"
WRONG_METHODS = {"POST": ["GET", "PUT", "DELETE"], "GET": ["POST", "PUT", "DELETE"]}


@dataclass
class Tally:
    addresses: int = 0
    forms: int = 0
    fields: int = 0
    values: int = 0
    requests: int = 0
    accepted: int = 0  # valid submissions that were not refused
    wrote: int = 0  # valid submissions that wrote a row


class Findings:
    """What went wrong, one entry per (form, field, symptom), with the first value that did it."""

    def __init__(self) -> None:
        self.seen: dict[tuple, str] = {}
        self.tally = Tally()
        self.cpu: dict[str, float] = {}
        self.clock = time.process_time()

    def check(self, found: FoundForm, field: str, value: str, outcome: Outcome) -> None:
        self.tally.requests += 1
        if os.environ.get("HOSTILE_DEBUG"):
            now = time.process_time()
            group = found.view.split("_")[-1] if found.view.startswith("admin:") else found.view
            self.cpu[group] = self.cpu.get(group, 0) + now - self.clock
            self.clock = now
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
        findings.tally.values += 1
        data = {**valid, name: [value]}
        findings.check(found, name, value, send(client, found.form.method, found.form.action, data))

    if found.view.startswith("admin:"):
        for value in ADMIN_CATALOGUE[kind]:
            attempt(value)
        return
    drawn = given(value=STRATEGIES[kind])(attempt)
    for value in catalogue:
        drawn = example(value=value)(drawn)
    drawn()


def spoil_form(found: FoundForm, client, findings: Findings, world) -> None:
    valid = valid_submission(found, world)
    findings.tally.forms += 1
    for method in WRONG_METHODS[found.form.method]:
        findings.check(
            found, f"(sent with {method})", "", send(client, method, found.form.action, valid)
        )
    fields = {
        c.name: kind_of(c)
        for c in found.form.controls
        if c.name not in UNSPOILED and not LATER_FORMSET_ROW.match(c.name)
    }
    for name, kind in fields.items():
        findings.tally.fields += 1
        spoil_field(found, client, findings, valid, name, kind)


def walk_everything(world) -> Findings:
    findings = Findings()
    spoiled: set[tuple] = set()
    paged: set[str] = set()
    failures: list[str] = []
    for person in PEOPLE:
        clock = time.process_time()
        walked = walk(world, person, paged)
        findings.cpu["walk " + person] = time.process_time() - clock
        findings.tally.addresses = len(walked.addresses)
        findings.tally.requests += walked.requests
        failures += walked.failures
        client = client_for(world, person)
        findings.clock = time.process_time()
        for found in walked.forms:
            valid = valid_submission(found, world)
            outcome = send(client, found.form.method, found.form.action, valid, count=True)
            findings.check(found, "(the valid submission)", "", outcome)
            key = (found.view, found.form.method, found.form.field_names(), outcome.status)
            if outcome.status in NOT_FOR_THEM or key in spoiled:
                continue
            spoiled.add(key)
            findings.tally.accepted += not outcome.refused
            findings.tally.wrote += bool(outcome.written) and not outcome.refused
            if os.environ.get("HOSTILE_DEBUG"):
                print("VALID", outcome.status, outcome.refused, sorted(outcome.written), found)
            spoil_form(found, client, findings, world)
    for failure in failures:
        findings.seen[("GET", failure)] = failure
    if os.environ.get("HOSTILE_DEBUG"):
        print(sorted(((round(v, 1), k) for k, v in findings.cpu.items()), reverse=True)[:25])
    return findings


def test_no_address_or_form_answers_hostile_input_with_an_error_or_a_half_write(world):
    started = time.process_time()
    findings = walk_everything(world)
    tally = findings.tally
    print(
        f"\nhostile walk: {tally.addresses} addresses as {len(PEOPLE)} kinds of person, "
        f"{tally.forms} forms (valid submissions: {tally.accepted} accepted, {tally.wrote} wrote), "
        f"{tally.fields} fields, {tally.values} hostile values, {tally.requests} requests, "
        f"{time.process_time() - started:.0f} s of CPU"
    )
    assert not findings.seen, findings.report()
    # The walk reaches what it should: every URL pattern, and forms that accept their valid
    # submission (else the spoiled values would be stopped by another field). Some refuse it
    # for the world's own state (what it already holds), and are still spoiled.
    assert tally.addresses > 250
    assert tally.forms > 100 and tally.accepted > tally.forms * 0.75


def test_the_walk_reports_a_view_that_breaks_on_a_hostile_value_or_half_writes(world):
    """The suite's own check: a service that fails on one value of one field, or that writes
    before it refuses, is found, with the form and the field named."""
    from portal.forums import services
    from portal.forums.models import Notification

    real = services.post_report

    def fragile(**kwargs):
        if "👩" in kwargs["details"]:
            raise ValueError("no emoji here")
        if "\u202e" in kwargs["details"]:
            Notification.objects.create(recipient=kwargs["reporter"], kind="moderation")
            raise ValidationError("refused after writing")
        return real(**kwargs)

    client = client_for(world, "member")
    found = next(f for f in walk(world, "member", set()).forms if f.view == "forums:post_report")
    findings = Findings()
    with mock.patch.object(services, "post_report", fragile):
        spoil_form(found, client, findings, world)
    report = findings.report()
    assert len(findings.seen) == 2, report
    assert "field 'details' = '👩" in report and "ValueError: no emoji here" in report
    assert "refused (200) yet wrote {'forums_notification': 1}" in report
