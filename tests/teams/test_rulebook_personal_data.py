"""What the rulebook and debriefs keep about a person: versions, debriefs and notes stay with
the team under "a former member" when their author deletes their account (others rely on
them); the marks of what they read go. All four are in their export."""

from __future__ import annotations

import pytest

from portal.core.personal_data import Leaving, registry
from portal.teams.models import Debrief, DebriefNote, RulebookAcknowledgement, RulebookVersion
from portal.teams.services import debrief_note_add, rulebook_acknowledge
from tests.teams.rulebook_factories import publish, write_debrief

pytestmark = pytest.mark.django_db


def entry(model: str):
    return next(e for e in registry() if e.model == model)


@pytest.fixture
def written(crew):
    version = publish(crew.team, crew.lead, change_note="First rules.")
    rulebook_acknowledge(version=version, user=crew.member)
    debrief = write_debrief(crew.team, crew.lead)
    debrief_note_add(debrief=debrief, author=crew.lead, body="I'd add slow mode.")
    return version, debrief


def test_the_export_holds_what_they_published_read_and_wrote(crew, written):
    versions = entry("teams.RulebookVersion").export(crew.lead)
    assert versions[0]["what_changed_and_why"] == "First rules."
    assert versions[0]["channel"] == crew.channel.name
    reads = entry("teams.RulebookAcknowledgement").export(crew.member)
    assert [(r["version"], r["channel"]) for r in reads] == [(1, crew.channel.name)]
    debriefs = entry("teams.Debrief").export(crew.lead)
    assert debriefs[0]["title"] == "Hate raid on the charity stream"
    notes = entry("teams.DebriefNote").export(crew.lead)
    assert notes[0]["body"] == "I'd add slow mode."
    assert entry("teams.Debrief").export(crew.member) == []


def test_deleting_an_account_keeps_the_teams_text_under_a_former_member(client, crew, written):
    leaving = Leaving(user_id=crew.lead.pk, username=crew.lead.username, remove_posts=True)
    for model in ("teams.RulebookVersion", "teams.Debrief", "teams.DebriefNote"):
        entry(model).erase(leaving)
        entry(model).erase(leaving)  # idempotent
    assert RulebookVersion.objects.get().author is None
    assert Debrief.objects.get().author is None
    assert DebriefNote.objects.get().body == "I'd add slow mode."
    client.force_login(crew.member)
    page = client.get(Debrief.objects.get().get_absolute_url()).text
    assert "written by a former member" in page


def test_deleting_an_account_takes_away_their_read_marks(crew, written):
    leaving = Leaving(user_id=crew.member.pk, username=crew.member.username)
    entry("teams.RulebookAcknowledgement").erase(leaving)
    assert not RulebookAcknowledgement.objects.filter(user=crew.member).exists()
    assert RulebookAcknowledgement.objects.filter(user=crew.lead).exists()
