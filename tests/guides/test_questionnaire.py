"""Finding your role: the questionnaire suggests tracks and can set the profile's roles."""

from __future__ import annotations

import pytest
from django.urls import reverse

from portal.accounts.models import Role
from portal.guides import questionnaire

pytestmark = pytest.mark.django_db


def answers(experience="new", **often):
    data = {"experience": experience}
    for statement in questionnaire.STATEMENTS:
        data[statement.role_slug] = often.get(statement.role_slug.replace("-", "_"), "rarely")
    return data


def test_roles_done_often_are_suggested_with_the_foundation_for_newcomers():
    slugs = questionnaire.suggested_roles(
        answers={"chat-enforcer": "often", "community-host": "sometimes"}, experience="new"
    )
    assert slugs == ["start-here", "chat-enforcer"]


def test_sometimes_counts_when_nothing_is_often():
    slugs = questionnaire.suggested_roles(
        answers={"community-host": "sometimes", "event-moderator": "sometimes"},
        experience="seasoned",
    )
    assert slugs == ["community-host", "event-moderator"]


def test_nothing_at_all_suggests_the_foundation():
    assert questionnaire.suggested_roles(answers={}, experience="seasoned") == ["start-here"]


def test_the_questionnaire_page_asks_in_fieldsets(client, library):
    text = client.get(reverse("guides:find_your_role")).content.decode()
    assert text.count("<fieldset>") == len(questionnaire.STATEMENTS) + 1
    assert "<legend>How long have you been moderating?</legend>" in text
    assert 'method="get"' in text


def test_answers_suggest_tracks_and_link_them(client, library):
    response = client.get(reverse("guides:find_your_role"), answers(chat_enforcer="often"))
    text = response.content.decode()
    suggested = text.split("Tracks that fit what you do")[1].split("Change your answers")[0]
    assert library.start_here.get_absolute_url() in suggested
    assert library.enforcer.get_absolute_url() in suggested
    assert suggested.index("Start here") < suggested.index("Chat Enforcer")
    assert "to save these roles" in suggested  # signed out: invited to sign in


def test_a_missing_answer_is_asked_again(client, library):
    data = answers()
    del data["community-host"]
    text = client.get(reverse("guides:find_your_role"), data).content.decode()
    assert "Choose how often you do this." in text
    assert "Tracks that fit what you do" not in text


def test_a_submit_with_nothing_chosen_is_answered_with_what_is_missing(client, library):
    page = client.get(reverse("guides:find_your_role"))
    assert 'name="sent" value="1"' in page.content.decode()  # the button sends it
    text = client.get(reverse("guides:find_your_role"), {"sent": "1"}).content.decode()
    assert "<title>Error: Find your role" in text and "There is a problem" in text
    assert text.count("Choose how often you do this.") >= 2 * len(questionnaire.STATEMENTS)
    assert "Tracks that fit what you do" not in text


def test_a_signed_in_person_saves_the_suggested_roles(client, user, library):
    client.force_login(user)
    text = client.get(
        reverse("guides:find_your_role"), answers(chat_enforcer="often", lead_moderator="often")
    ).content.decode()
    enforcer = Role.objects.get(slug="chat-enforcer")
    lead = Role.objects.get(slug="lead-moderator")
    assert f'value="{enforcer.pk}" id="id_roles_0" checked' in text or (
        f'value="{enforcer.pk}"' in text and "checked" in text
    )
    response = client.post(reverse("guides:roles_save"), {"roles": [enforcer.pk, lead.pk]})
    assert response.status_code == 302 and response["Location"] == reverse("guides:index")
    assert set(user.profile.roles.values_list("slug", flat=True)) == {
        "chat-enforcer",
        "lead-moderator",
    }
    index = client.get(reverse("guides:index")).content.decode()
    assert "Fits your roles" in index


def test_saving_roles_only_changes_your_own_profile(client, user, other_user, library):
    enforcer = Role.objects.get(slug="chat-enforcer")
    client.force_login(other_user)
    client.post(reverse("guides:roles_save"), {"roles": [enforcer.pk], "user": user.pk})
    assert not user.profile.roles.exists()
    assert list(other_user.profile.roles.all()) == [enforcer]


def test_the_questionnaire_is_linked_from_the_guides_and_the_profile_form(client, user):
    assert reverse("guides:find_your_role") in client.get(reverse("guides:index")).content.decode()
    client.force_login(user)
    edit = client.get(reverse("accounts:profile_edit")).content.decode()
    assert reverse("guides:find_your_role") in edit
