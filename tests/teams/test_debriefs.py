"""Debriefs: anyone on the team writes one in the blameless format, others add notes, a
follow-up can ask for a rulebook change, and no debrief quotes chat in full."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from portal.teams.models import Debrief, DebriefNote, FollowUp, TeamEvent
from portal.teams.models.debrief import QUOTE_LIMIT, refuse_long_quotes
from tests.teams.rulebook_factories import write_debrief

pytestmark = pytest.mark.django_db


def url(name: str, crew, **kwargs) -> str:
    return reverse(f"teams:{name}", kwargs={"slug": crew.channel.slug, **kwargs})


def debrief_data(**overrides) -> dict:
    data = {
        "title": "Hate raid on the charity stream",
        "happened_on": "2026-11-20",
        "what_happened": "Forty new accounts posted slurs within a minute.",
        "what_we_did": "Shield Mode on; bans from the held-message queue.",
        "what_worked": "The Shield Mode preset was ready.",
        "what_we_would_change": "Follower-only mode sooner.",
        "follow_ups": "Sam: add the raid accounts to shared ban info, by Friday\n\n"
        "Ask the streamer about raid settings",
        "rulebook_change": "Say who may turn on Shield Mode.",
    }
    data.update(overrides)
    return data


def test_a_trial_member_writes_a_debrief_and_the_team_is_told(
    client, crew, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(crew.trial)
    page = client.get(url("debrief_write", crew)).text
    assert "Never quote abuse in full" in page  # the guidance, beside the form
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("debrief_write", crew), debrief_data())
    debrief = Debrief.objects.get()
    assert response.status_code == 302 and response["Location"] == debrief.get_absolute_url()
    assert debrief.author == crew.trial
    assert [(f.text, f.changes_rulebook) for f in debrief.follow_ups.all()] == [
        ("Sam: add the raid accounts to shared ban info, by Friday", False),
        ("Ask the streamer about raid settings", False),
        ("Say who may turn on Shield Mode.", True),
    ]
    event = TeamEvent.objects.get(kind="debrief")
    assert event.summary.endswith("wrote a debrief: Hate raid on the charity stream")
    assert event.path == debrief.get_absolute_url()
    told = {m.to[0] for m in mailoutbox if "wrote a debrief" in m.subject}
    assert crew.lead.email in told and crew.trial.email not in told
    client.force_login(crew.member)
    page = client.get(debrief.get_absolute_url()).text
    for heading in ("What happened", "What we did", "What worked", "What we'd change"):
        assert f">{heading}</h2>" in page
    assert "waiting for a new version" in page


ABUSE = "you are a worthless [slur] and everyone in this chat knows where you live now"


@pytest.mark.parametrize(
    "text",
    [
        f"> {ABUSE}",
        f"Timeline:\n\n> {ABUSE[:40]}\n> {ABUSE[40:]}",
        f"[21:04] raider_01: {ABUSE}",
        f"21:04:33 raider_01: {ABUSE}",
        f"<raider_01> {ABUSE}",
        f"@raider_01: {ABUSE}",
        f"> **raider_01**: {ABUSE}",
        f"- **raider_01**: {ABUSE}",
        f"```\n[21:04] raider_01: {ABUSE}\n```",
    ],
)
def test_a_debrief_never_quotes_chat_in_full(text):
    with pytest.raises(ValidationError) as refused:
        refuse_long_quotes(text)
    assert "summarise it" in str(refused.value)


@pytest.mark.parametrize(
    "text",
    [
        "> kill it kill it KILL IT",
        "[21:04] nightjar_: kill it kill it",
        "**Decision**: " + "we banned them from the held-message queue, " * 3,
        "Timeline: forty accounts arrived within a minute and posted slurs at the streamer.",
        "A summary: " + "x" * 200,
    ],
)
def test_a_short_quote_or_plain_prose_is_kept(text):
    refuse_long_quotes(text)


def test_a_long_quote_is_refused_beside_its_field_and_nothing_is_written(client, crew):
    client.force_login(crew.member)
    response = client.post(
        url("debrief_write", crew), debrief_data(what_happened=f"They wrote:\n\n> {ABUSE}")
    )
    assert response.status_code == 400
    assert "The quote from line 3 is" in response.text
    assert "Error: " in response.text.split("</title>")[0]
    assert not Debrief.objects.exists() and not TeamEvent.objects.filter(kind="debrief").exists()


def test_the_service_refuses_a_long_quote_too(crew):
    with pytest.raises(ValidationError):
        write_debrief(crew.team, crew.member, what_worked=f"> {'a' * (QUOTE_LIMIT + 1)}")


def test_an_incident_cannot_be_dated_ahead(client, crew):
    client.force_login(crew.member)
    response = client.post(url("debrief_write", crew), debrief_data(happened_on="2999-01-01"))
    assert response.status_code == 400
    assert "cannot be ahead" in response.text


def test_others_add_notes_and_notes_keep_the_rule(client, crew):
    debrief = write_debrief(crew.team, crew.lead)
    client.force_login(crew.member)
    note = url("debrief_note", crew, debrief_id=debrief.pk)
    assert client.post(note, {"note-body": "I'd have used **slow mode** too."}).status_code == 302
    page = client.get(debrief.get_absolute_url()).text
    assert "<strong>slow mode</strong>" in page and crew.member.display_name in page
    refused = client.post(note, {"note-body": f"> {ABUSE}"})
    assert refused.status_code == 400 and "never quotes chat in full" in refused.text
    assert DebriefNote.objects.count() == 1


def test_a_debrief_of_another_team_is_not_found(client, crew):
    from tests.teams.factories import make_team

    other = write_debrief(make_team(), crew.owner)
    client.force_login(crew.member)
    assert client.get(url("debrief", crew, debrief_id=other.pk)).status_code == 404


def test_the_list_shows_the_rulebook_changes_still_waiting(client, crew):
    write_debrief(crew.team, crew.lead, rulebook_change="Add a horror-night example.")
    client.force_login(crew.member)
    page = client.get(url("debriefs", crew)).text
    assert "Hate raid on the charity stream" in page
    assert FollowUp.objects.filter(changes_rulebook=True).count() == 1


def test_the_debrief_list_costs_the_same_queries_at_any_size(
    client, crew, django_assert_num_queries
):
    """Prevents an N+1 over debriefs, their authors, notes or follow-ups."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from portal.teams.services import debrief_note_add

    def grow(n: int) -> None:
        for i in range(n):
            debrief = write_debrief(
                crew.team, crew.lead, title=f"Incident {i}", rulebook_change="Change it."
            )
            debrief_note_add(debrief=debrief, author=crew.member, body="A note.")

    client.force_login(crew.member)
    grow(2)
    client.get(url("debriefs", crew))
    with CaptureQueriesContext(connection) as small:
        client.get(url("debriefs", crew))
    grow(25)
    with django_assert_num_queries(len(small)):
        page = client.get(url("debriefs", crew))
    assert page.text.count("Incident ") == 27


def test_a_debrief_page_costs_the_same_queries_at_any_size(client, crew, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from portal.teams.services import debrief_note_add, follow_up_add

    debrief = write_debrief(crew.team, crew.lead)
    client.force_login(crew.member)
    client.get(debrief.get_absolute_url())
    with CaptureQueriesContext(connection) as small:
        client.get(debrief.get_absolute_url())
    for i in range(20):
        debrief_note_add(debrief=debrief, author=crew.trial, body=f"Note {i}")
        follow_up_add(debrief=debrief, text=f"Follow-up {i}")
    with django_assert_num_queries(len(small)):
        client.get(debrief.get_absolute_url())
