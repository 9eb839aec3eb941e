"""The registry of personal data: for every kind of row that points at a person, how it goes
into their export and what happens to it when they delete their account.

Each app declares its own kinds in ``portal/<app>/personal_data.py`` as a list named
``PERSONAL_DATA``; the export and the deletion (portal/accounts/leaving/) walk them all, in
order, without importing the apps above them. A test walks every model with a relation to the
user (or to their profile) and fails when one is declared nowhere, so a new model cannot
quietly escape either.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from importlib import import_module

from django.apps import apps
from django.db import models, transaction

# Rows deleted per transaction: small enough that no statement holds locks on a busy table
# for long, large enough that a person with thousands of rows needs only a few rounds.
CHUNK = 500


@dataclass(frozen=True)
class Leaving:
    """What the person chose when they asked to leave."""

    user_id: int
    username: str  # as it was: the forums look for mentions of it
    remove_posts: bool = False


@dataclass(frozen=True)
class PersonalData:
    """One kind of row that points at a person.

    ``export(user)`` gives the person's rows as JSON-ready dicts (their own data only, never
    another person's name or text); ``markdown`` names a key of those rows holding Markdown
    the person wrote, also written to the archive as a .md file; ``files(user)`` gives files
    they gave us (their picture) as (name, content) pairs, written under files/.
    ``erase(leaving)`` deletes or anonymises the rows, idempotently (a re-run finds nothing
    left to do). Rows that stay as they are, pointing at the account that deletion
    anonymises (a moderation log, say), say why in ``kept_because`` instead of an ``erase``.
    """

    model: str  # "app_label.ModelName"
    title: str  # what the export's progress names while gathering it
    export: Callable[[models.Model], list[dict]] | None = None
    markdown: str = ""
    files: Callable[[models.Model], list[tuple[str, bytes]]] | None = None
    erase: Callable[[Leaving], None] | None = None
    kept_because: str = ""
    not_exported_because: str = ""

    @property
    def label(self) -> str:
        return self.model.lower()

    @property
    def file_stem(self) -> str:
        return self.model.replace(".", "-").lower()


def registry() -> list[PersonalData]:
    """Every app's declarations, in the order of INSTALLED_APPS (third-party apps first,
    then the floors from the ground up). The account row itself is anonymised by the
    deletion once all of these are done."""
    declared: list[PersonalData] = []
    for config in apps.get_app_configs():
        try:
            module = import_module(f"{config.name}.personal_data")
        except ModuleNotFoundError as error:
            if error.name != f"{config.name}.personal_data":
                raise
            continue
        declared.extend(module.PERSONAL_DATA)
    return declared


def delete_in_chunks(queryset: models.QuerySet, *, size: int = CHUNK) -> int:
    """Delete the rows of ``queryset`` a chunk per transaction; returns how many went."""
    model = queryset.model
    gone = 0
    while True:
        pks = list(queryset.order_by("pk").values_list("pk", flat=True)[:size])
        if not pks:
            return gone
        with transaction.atomic():
            model._default_manager.filter(pk__in=pks).delete()
        gone += len(pks)


def in_chunks(queryset: models.QuerySet, *, size: int = CHUNK) -> Iterable[list[int]]:
    """The primary keys of ``queryset`` in chunks, read afresh for each (the caller changes
    rows so that they leave the queryset, or the walk moves on by key)."""
    last = 0
    while True:
        pks = list(queryset.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)[:size])
        if not pks:
            return
        yield pks
        last = pks[-1]


def rows(queryset: models.QuerySet, *fields: str) -> list[dict]:
    """The rows as dicts of plain values (dates stay dates: the archive's encoder writes them)."""
    return list(queryset.order_by("pk").values(*fields))


def _failed_emails(user) -> list[dict]:
    from portal.core.models import FailedEmail

    return rows(FailedEmail.objects.filter(person=user), "kind", "subject", "failed_at")


def _failed_emails_erase(leaving: Leaving) -> None:
    from portal.core.models import FailedEmail

    # Their own (the arguments may hold their address), and their name as the staff member
    # who sent someone's again.
    delete_in_chunks(FailedEmail.objects.filter(person_id=leaving.user_id))
    FailedEmail.objects.filter(sent_again_by_id=leaving.user_id).update(sent_again_by=None)


# Core's own: emails to the person that the mail server refused (its outbox holds task names
# and ids only).
PERSONAL_DATA: list[PersonalData] = [
    PersonalData(
        model="core.FailedEmail",
        title="emails we could not deliver to you",
        export=_failed_emails,
        erase=_failed_emails_erase,
    ),
]
