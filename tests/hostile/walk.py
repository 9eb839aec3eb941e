"""The walk: every address as every kind of person, every form found on the pages they get,
and a valid submission for each form built from the form's own fields."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.test import Client
from django.urls import Resolver404, resolve
from django.utils import timezone

from tests.factories import TEST_PASSWORD
from tests.hostile.html_forms import Control, PageForm, forms_on
from tests.hostile.probe import send, settled
from tests.hostile.world import Address, World, every_address


@dataclass
class FoundForm:
    person: str
    page: str  # where it was found
    view: str  # the URL pattern its action resolves to
    form: PageForm

    def __str__(self) -> str:
        return (
            f"{self.form.method} {self.form.action} ({self.view}, as {self.person}, on {self.page})"
        )


def client_for(world: World, person: str) -> Client:
    client = Client()
    if world.people[person] is not None:
        client.force_login(world.people[person])
    return settled(client)


# Malformed page numbers, tried on every page a person gets (the admin's lists take ``p``).
PAGE_NUMBERS = ["-1", "abc", "99999999999999999999"]
# Digits to str.isdigit() that are no number of ours: int() refuses "²", and reads "٣" as 3
# where a database cast would not. Tried in the page number and in every other number a page
# reads from its address (a post to show or quote, a read mark, a week).
UNICODE_DIGITS = ["²", "٣"]
ADDRESS_NUMBERS = ["post", "quote", "after", "week"]


def page_number_addresses(address: Address) -> list[str]:
    name = "p" if address.name.startswith("admin:") else "page"
    paths = [f"{address.path}?{name}={value}" for value in PAGE_NUMBERS]
    for digit in UNICODE_DIGITS:
        paths += [f"{address.path}?{param}={digit}" for param in [name, *ADDRESS_NUMBERS]]
    return paths


def found_forms(world: World, person: str, html: str, page: str) -> list[FoundForm]:
    found = []
    for form in forms_on(html, page):
        action = form.action.split("#")[0]
        if not action.startswith("/"):
            continue  # another site's (none today)
        try:
            view = resolve(action.split("?")[0]).view_name
        except Resolver404:
            continue
        form.action = action
        found.append(FoundForm(person, page, view, form))
    return found


def distinct(forms: list[FoundForm]) -> list[FoundForm]:
    """One of each (person, action's pattern, method, fields): a topic's twenty report forms
    are one form to spoil."""
    seen: dict[tuple, FoundForm] = {}
    for found in forms:
        key = (found.person, found.view, found.form.method, found.form.field_names())
        seen.setdefault(key, found)
    return list(seen.values())


# Values that make a submission valid, by field name where the name says what is wanted,
# otherwise by the field's type below.
def _valid_by_name(world: World, person: str) -> dict[str, str]:
    today = timezone.localdate()
    return {
        "login": "member",
        "username": "newcomer" if person == "anonymous" else "member",
        "password": TEST_PASSWORD,
        "oldpassword": TEST_PASSWORD,
        "password1": "a-fresh-long-passphrase-2026",
        "password2": "a-fresh-long-passphrase-2026",
        "email": "newcomer@example.com",
        "email2": "newcomer@example.com",
        "availability": "Mon 18:00-22:00\nSat-Sun 12:00-16:00",
        "schedule": "Fri 20:00-23:00",
        "twitch_login": "newcomer_tv",
        "closes_on": (today + timedelta(days=20)).isoformat(),
        "until": (timezone.now() + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M"),
        "moderating_since": (today - timedelta(days=400)).isoformat(),
        "q": "timeout",
    }


def _valid_by_type(control: Control) -> str:
    today = timezone.localdate()
    kind = control.kind
    if kind == "email":
        return "someone@example.com"
    if kind == "password":
        return TEST_PASSWORD
    if kind == "url":
        return "https://example.com/"
    if kind == "number":
        return control.attrs.get("min") or "3"
    if kind == "date":
        return (today + timedelta(days=10)).isoformat()
    if kind == "time":
        return "18:00"
    if kind == "datetime-local":
        return (timezone.now() + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    if kind == "textarea":
        return "Plain words that say enough, with a little **Markdown**."
    return "Plain words"


def valid_submission(found: FoundForm, world: World) -> dict[str, list[str]]:
    """What a careful person would send: the page's own values where it gave them (hidden
    fields, pre-filled edit forms, selected options), the first choice where a choice is
    needed, and plain values that fit the field's name or type elsewhere."""
    by_name = _valid_by_name(world, found.person)
    data: dict[str, list[str]] = {}
    first_of_radio: dict[str, str] = {}
    for control in found.form.controls:
        name = control.name
        short = name.rsplit("-", 1)[-1]  # a prefixed form's field: "check-q0" -> "q0"
        if control.kind == "button":
            data.setdefault(name, [control.value])
        elif control.kind == "checkbox":
            if control.checked:
                data.setdefault(name, []).append(control.value)
        elif control.kind == "radio":
            first_of_radio.setdefault(name, control.value)
            if control.checked:
                data[name] = [control.value]
        elif control.kind == "select":
            chosen = control.value if control.checked else None
            if chosen is None:
                chosen = next((o for o in control.options if o), "")
            if chosen or not control.multiple:
                data[name] = [chosen]
        elif control.kind in ("hidden", "submit") or control.value:
            data[name] = [control.value]
        elif short in by_name or name in by_name:
            data[name] = [by_name.get(name, by_name.get(short))]
        else:
            data[name] = [_valid_by_type(control)]
    for name, value in first_of_radio.items():
        data.setdefault(name, [value])
    return data


@dataclass
class Walk:
    """What walking every address as one person found."""

    addresses: list[Address]
    forms: list[FoundForm]
    failures: list[str]
    requests: int = 0


def walk(world: World, person: str, paged: set[str]) -> Walk:
    """Every address as ``person``: a GET of each, malformed page numbers on each page they
    get (once per address over all people: ``paged`` holds those done), and the distinct
    forms on those pages. A 5xx anywhere is a failure."""
    addresses = every_address(world)
    found: list[FoundForm] = []
    result = Walk(addresses, [], [])
    client = client_for(world, person)

    def get(path: str):
        result.requests += 1
        outcome = send(client, "GET", path)
        if outcome.status >= 500:
            result.failures.append(f"GET {path} as {person}: {outcome.status}\n{outcome.error}")
        return outcome

    for address in addresses:
        response = get(address.path).response
        if (
            response is None
            or response.status_code != 200
            or not response.get("Content-Type", "").startswith("text/html")
        ):
            continue
        found += found_forms(world, person, response.content.decode(), address.path)
        if address.path not in paged:
            paged.add(address.path)
            for path in page_number_addresses(address):
                get(path)
    result.forms = distinct(found)
    return result
