"""Every model that points at a person is exported or deleted (or kept, saying why) by the
registry of personal data: a new model with a user field fails here until it is declared."""

from __future__ import annotations

from django.apps import apps
from django.conf import settings

from portal.accounts.models import Profile
from portal.core.personal_data import registry


def models_pointing_at_people() -> set[str]:
    """Every model (through tables included) with a relation to the user, or to the profile
    that stands for them."""
    user = apps.get_model(settings.AUTH_USER_MODEL)
    people = {user, Profile}
    found = set()
    for model in apps.get_models(include_auto_created=True):
        if model is user:
            continue
        for field in model._meta.get_fields():
            if field.is_relation and field.concrete and field.related_model in people:
                found.add(model._meta.label_lower)
    return found


def test_the_walk_finds_the_kinds_it_must():
    """The walk itself works: it sees models from every floor and third-party through tables."""
    found = models_pointing_at_people()
    for label in (
        "accounts.profile",
        "accounts.availabilityslot",
        "accounts.profile_roles",
        "account.emailaddress",
        "socialaccount.socialaccount",
        "guides.journalentry",
        "board.application",
        "forums.post",
        "digests.emailpreferences",
    ):
        assert label in found


def test_every_model_pointing_at_a_person_is_exported_or_deleted():
    declared = {entry.label: entry for entry in registry()}
    missing = sorted(models_pointing_at_people() - declared.keys())
    assert not missing, f"declare these in portal/<app>/personal_data.py: {missing}"


def test_every_declaration_says_what_happens_to_the_rows():
    for entry in registry():
        assert entry.export or entry.not_exported_because, f"{entry.model}: export or say why not"
        assert entry.erase or entry.kept_because, f"{entry.model}: erase or say why kept"
        assert apps.get_model(entry.model) is not None


def test_no_model_is_declared_twice():
    labels = [entry.label for entry in registry()]
    assert len(labels) == len(set(labels))
