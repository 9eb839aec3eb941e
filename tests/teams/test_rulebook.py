"""The rulebook: leads publish versions (public rules, the escalation ladder true to the
platform's timeouts, team procedures), members read what changed and say they've read it,
leads see who has not, and chat reads the public part on the channel's page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from portal.board.models import Channel
from portal.teams.models import (
    FollowUp,
    LadderAction,
    RulebookAcknowledgement,
    RulebookVersion,
    TeamEvent,
)
from portal.teams.rulebook_diff import lines_diff
from portal.teams.services import StepSpec
from tests.board.factories import OpeningFactory
from tests.teams.rulebook_factories import publish, write_debrief

pytestmark = pytest.mark.django_db


def url(name: str, crew, **kwargs) -> str:
    return reverse(f"teams:{name}", kwargs={"slug": crew.channel.slug, **kwargs})


def publish_data(**overrides) -> dict:
    data = {
        "public_rules": "1. Be kind.",
        "team_rules": "Backseating: not allowed unless asked.",
        "change_note": "Backseating example.",
        "ladder-TOTAL_FORMS": "2",
        "ladder-INITIAL_FORMS": "0",
        "ladder-0-action": "warning",
        "ladder-0-earns_it": "A clear break",
        "ladder-0-timeout_unit": "minutes",
        "ladder-1-action": "timeout",
        "ladder-1-earns_it": "Continuing after a warning",
        "ladder-1-timeout_length": "10",
        "ladder-1-timeout_unit": "minutes",
    }
    data.update(overrides)
    return data


# --- Publishing ------------------------------------------------------------------------------


def test_a_lead_publishes_a_version_and_the_team_is_told(
    client, crew, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(crew.lead)
    assert client.get(url("rulebook_publish", crew)).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("rulebook_publish", crew), publish_data())
    assert response.status_code == 302
    version = RulebookVersion.objects.get(team=crew.team)
    assert version.number == 1 and version.author == crew.lead
    assert [(s.action, s.timeout_seconds) for s in version.steps.all()] == [
        ("warning", None),
        ("timeout", 600),
    ]
    assert "<ol>" in version.public_rules_html
    event = TeamEvent.objects.get(team=crew.team, kind="rulebook")
    assert event.summary == f"{crew.lead.display_name} published version 1 of the rulebook."
    told = {m.to[0] for m in mailoutbox if "version 1 of the rulebook" in m.subject}
    assert crew.member.email in told and crew.lead.email not in told
    # The publisher has read what they published.
    assert RulebookAcknowledgement.objects.filter(version=version, user=crew.lead).exists()


def test_versions_are_numbered_and_never_edited(crew):
    first = publish(crew.team, crew.owner)
    second = publish(crew.team, crew.lead, public_rules="1. Be kind.\n2. English only.")
    assert (first.number, second.number) == (1, 2)
    first.refresh_from_db()
    assert "English only" not in first.public_rules


@pytest.mark.parametrize(
    ("length", "unit"),
    [("15", "days"), ("3", "weeks"), ("1209601", "seconds")],
)
def test_a_timeout_longer_than_the_platform_allows_is_refused_beside_the_step(
    client, crew, length, unit
):
    client.force_login(crew.owner)
    data = publish_data(**{"ladder-1-timeout_length": length, "ladder-1-timeout_unit": unit})
    response = client.post(url("rulebook_publish", crew), data)
    assert response.status_code == 400
    assert "1 second to 2 weeks" in response.text
    assert not RulebookVersion.objects.exists()


def test_two_weeks_and_one_second_are_the_platforms_limits(client, crew):
    client.force_login(crew.owner)
    data = publish_data(
        **{
            "ladder-TOTAL_FORMS": "3",
            "ladder-1-timeout_length": "2",
            "ladder-1-timeout_unit": "weeks",
            "ladder-2-action": "timeout",
            "ladder-2-earns_it": "Clearing a spammer's messages",
            "ladder-2-timeout_length": "1",
            "ladder-2-timeout_unit": "seconds",
        }
    )
    assert client.post(url("rulebook_publish", crew), data).status_code == 302
    steps = RulebookVersion.objects.get().steps.all()
    assert [s.what for s in steps][1:] == ["Timeout, 2 weeks", "Timeout, 1 second"]


def test_a_timeout_without_a_length_is_refused(client, crew):
    client.force_login(crew.owner)
    response = client.post(
        url("rulebook_publish", crew), publish_data(**{"ladder-1-timeout_length": ""})
    )
    assert response.status_code == 400
    assert "Say how long the timeout lasts." in response.text


def test_the_form_starts_from_the_version_in_force(client, crew):
    publish(crew.team, crew.owner, team_rules="Raids: the streamer decides.")
    client.force_login(crew.lead)
    page = client.get(url("rulebook_publish", crew)).text
    assert "Raids: the streamer decides." in page
    assert "Publish version 2 of the rulebook" in page
    assert 'value="Continuing after a warning"' in page


def test_a_first_rulebook_starts_from_the_tracks_ladder(client, crew):
    client.force_login(crew.owner)
    page = client.get(url("rulebook_publish", crew)).text
    assert "Repeated timeouts; at once for hate speech" in page


# --- Reading and acknowledging ---------------------------------------------------------------


def test_a_member_acknowledges_and_the_lead_sees_who_has_not(client, crew):
    version = publish(crew.team, crew.owner)
    client.force_login(crew.lead)
    page = client.get(url("rulebook", crew)).text
    assert "1 of 4 current members" in page
    assert crew.member.display_name in page.split("Not yet:")[1].split("</p>")[0]
    client.force_login(crew.member)
    page = client.get(url("rulebook", crew)).text
    assert "I've read version 1" in page
    assert "Who has read" not in page  # only leads see who has not read it
    response = client.post(url("rulebook_acknowledge", crew), {"number": "1"})
    assert response.status_code == 302
    assert "You've read version 1." in client.get(url("rulebook", crew)).text
    assert RulebookAcknowledgement.objects.filter(version=version, user=crew.member).count() == 1
    client.force_login(crew.lead)
    page = client.get(url("rulebook", crew)).text
    assert "2 of 4 current members" in page
    assert crew.member.display_name not in page.split("Not yet:")[1].split("</p>")[0]


def test_acknowledging_twice_keeps_one_mark(client, crew):
    publish(crew.team, crew.owner)
    client.force_login(crew.trial)
    for _ in range(2):
        client.post(url("rulebook_acknowledge", crew), {"number": "1"})
    assert RulebookAcknowledgement.objects.filter(user=crew.trial).count() == 1


def test_a_version_published_while_reading_is_not_acknowledged_unread(client, crew):
    publish(crew.team, crew.owner)
    publish(crew.team, crew.owner, change_note="Second.")
    client.force_login(crew.member)
    response = client.post(url("rulebook_acknowledge", crew), {"number": "1"}, follow=True)
    assert "Version 2 was published since you opened the page" in response.text
    assert not RulebookAcknowledgement.objects.filter(user=crew.member).exists()


def test_a_tampered_number_is_answered_with_a_message(client, crew):
    publish(crew.team, crew.owner)
    client.force_login(crew.member)
    response = client.post(url("rulebook_acknowledge", crew), {"number": "x"}, follow=True)
    assert "That was not a version of this rulebook." in response.text


def test_the_changes_show_what_was_removed_and_added_in_words_not_colour(client, crew):
    publish(crew.team, crew.owner, public_rules="1. Be kind.\n2. No spoilers.")
    publish(
        crew.team,
        crew.owner,
        public_rules="1. Be kind.\n2. No spoilers for a week.\n3. English only.",
        ladder=[StepSpec(LadderAction.TIMEOUT, "Continuing after a warning", 3600)],
        change_note="Spoilers for a week; English only.",
    )
    client.force_login(crew.member)
    page = client.get(url("rulebook_changes", crew, number=2)).text
    assert "From version 1 to version 2" in page
    assert '<ins><span class="visually-hidden">[added: </span>3. English only.' in page
    assert "Changed</span>" in page and "for a week" in page.split("Changed</span>")[1]
    assert "[removed: </span>" in page
    assert "Timeout, 1 hour" in page
    assert "Team procedures" in page and "No changes." in page


def test_a_line_diff_marks_words_inside_a_changed_line():
    lines = lines_diff(["Timeouts last 10 minutes."], ["Timeouts last 30 minutes."])
    assert [line.kind for line in lines] == ["changed"]
    assert [(s.kind, s.text) for s in lines[0].segments if s.kind != "same"] == [
        ("del", "10"),
        ("ins", "30"),
    ]


def test_unchanged_runs_fold_to_their_context():
    old = [f"Rule {i}" for i in range(20)]
    new = [*old[:10], "A new rule", *old[10:]]
    kinds = [line.kind for line in lines_diff(old, new)]
    assert kinds == ["skipped", "same", "same", "added", "same", "same", "skipped"]


def test_an_earlier_version_says_which_is_in_force(client, crew):
    publish(crew.team, crew.owner)
    publish(crew.team, crew.owner, change_note="Second.")
    client.force_login(crew.trial)
    page = client.get(url("rulebook_version", crew, number=1)).text
    assert "An earlier version" in page and "version 2" in page
    assert client.get(url("rulebook_version", crew, number=9)).status_code == 404


def test_an_author_who_left_reads_as_a_former_member(client, crew):
    publish(crew.team, crew.lead)
    RulebookVersion.objects.update(author=None)
    client.force_login(crew.member)
    assert "a former member" in client.get(url("rulebook_history", crew)).text


# --- The public part -------------------------------------------------------------------------


def test_chat_reads_the_public_rules_on_the_channel_page_but_never_the_team_part(client, crew):
    assert "Chat rules" not in client.get(crew.channel.get_absolute_url()).text
    publish(crew.team, crew.owner, public_rules="No **spoilers**.", team_rules="Secret plan.")
    page = client.get(crew.channel.get_absolute_url()).text
    assert 'id="rules"' in page and "No <strong>spoilers</strong>." in page
    assert "Secret plan." not in page
    assert "What a broken rule earns" not in page  # the ladder stays with the team


def test_a_public_ladder_is_shown_with_the_rules(client, crew):
    publish(crew.team, crew.owner, ladder_is_public=True)
    page = client.get(crew.channel.get_absolute_url()).text
    assert "What a broken rule earns" in page and "Timeout, 10 minutes" in page


def test_every_opening_of_the_channel_links_to_its_rules(client, crew):
    from django.core.cache import caches

    caches["fragments"].clear()
    opening = OpeningFactory(channel=crew.channel)
    assert "chat rules" not in client.get(opening.get_absolute_url()).text
    version_before = Channel.objects.get(pk=crew.channel.pk).version
    publish(crew.team, crew.owner)
    # Publishing moves the channel's version, so the opening's cached part is drawn afresh.
    assert Channel.objects.get(pk=crew.channel.pk).version == version_before + 1
    page = client.get(opening.get_absolute_url()).text
    assert f'href="{crew.channel.get_absolute_url()}#rules"' in page


# --- Follow-ups from debriefs ----------------------------------------------------------------


def test_a_version_links_the_debrief_follow_up_it_answers(client, crew):
    debrief = write_debrief(crew.team, crew.member, rulebook_change="Add a horror-night example.")
    follow_up = FollowUp.objects.get(debrief=debrief)
    client.force_login(crew.lead)
    page = client.get(url("rulebook_publish", crew)).text
    assert "Add a horror-night example." in page
    response = client.post(url("rulebook_publish", crew), publish_data(answers=[follow_up.pk]))
    assert response.status_code == 302
    follow_up.refresh_from_db()
    assert follow_up.rulebook_version.number == 1
    client.force_login(crew.member)
    page = client.get(debrief.get_absolute_url()).text
    assert "done in" in page and url("rulebook_changes", crew, number=1) in page


# --- Query counts ----------------------------------------------------------------------------


def test_the_version_history_costs_the_same_queries_at_any_size(
    client, crew, django_assert_num_queries
):
    """Prevents an N+1 over versions, their authors or their readers."""
    client.force_login(crew.member)

    def grow(n: int) -> None:
        for _ in range(n):
            version = publish(crew.team, crew.lead)
            RulebookAcknowledgement.objects.get_or_create(version=version, user=crew.member)

    grow(2)
    client.get(url("rulebook_history", crew))
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        client.get(url("rulebook_history", crew))
    grow(25)
    with django_assert_num_queries(len(small)):
        page = client.get(url("rulebook_history", crew))
    assert page.text.count("Version ") >= 27


def test_the_rulebook_page_costs_the_same_queries_for_any_team_size(
    client, crew, django_assert_num_queries
):
    """The readers list reads the members and the marks once, whatever the team's size."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.teams.factories import add_member

    publish(crew.team, crew.owner)
    client.force_login(crew.lead)
    client.get(url("rulebook", crew))
    with CaptureQueriesContext(connection) as small:
        client.get(url("rulebook", crew))
    for _ in range(15):
        add_member(crew.team)
    with django_assert_num_queries(len(small)):
        client.get(url("rulebook", crew))
