"""The scam-word check (board/rules.py) reads an opening's questions as it reads its text: a
question asking for a stream key, a password, a login code or a fee gets the same warning, and
the posting the same hold before it goes public, as a description that asks for it."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from portal.board import rules, services
from portal.board.models import Opening, OpeningStatus, QuestionKind
from portal.board.services import QuestionSpec
from tests.board.factories import OpeningFactory, QuestionFactory
from tests.board.test_openings import opening_data

pytestmark = pytest.mark.django_db

# What scams ask applicants for, each as a streamer might put it.
ASKS = {
    "stream keys": "Paste your stream key so we can test your setup",
    "passwords": "What is your Twitch password?",
    "login codes": "Send the 2FA code from your authenticator app",
    "fees or payments from applicants": "Can you pay the $20 onboarding fee?",
}
ORDINARY = "Which timezone are you in, and do you use 2FA on your account?"
REFUSAL = "Openings must never ask applicants for passwords, login codes, stream keys or money"


def draft(channel, **fields) -> Opening:
    return OpeningFactory(channel=channel, status=OpeningStatus.DRAFT, published_at=None, **fields)


def test_a_login_code_is_a_concern_but_asking_about_2fa_is_not():
    assert rules.safety_concerns("What is the verification code we just sent you?") == [
        "login codes"
    ]
    assert rules.safety_concerns("Please share your backup codes") == ["login codes"]
    assert rules.safety_concerns(ORDINARY) == []


@pytest.mark.parametrize(("concern", "text"), ASKS.items())
def test_a_question_raises_the_same_concern_as_a_description(channel, concern, text):
    in_description = draft(channel, description=text)
    in_question = draft(channel)
    question = QuestionFactory(opening=in_question, prompt=text)
    assert rules.opening_concerns(in_description, []) == [concern]
    assert rules.opening_concerns(in_question, [question]) == [concern]


def test_a_single_choice_questions_choices_are_checked_too(channel):
    opening = draft(channel)
    question = QuestionFactory(
        opening=opening,
        prompt="How will you get access?",
        kind=QuestionKind.CHOICE,
        choices=["I make you an editor", "You send me your stream key"],
    )
    assert rules.opening_concerns(opening, [question]) == ["stream keys"]


@pytest.mark.parametrize("where", ["description", "question"])
@pytest.mark.parametrize("text", ASKS.values())
def test_publishing_waits_for_a_confirmation_wherever_the_ask_is(
    client, streamer, channel, where, text
):
    opening = draft(channel, **({"description": text} if where == "description" else {}))
    if where == "question":
        QuestionFactory(opening=opening, prompt=text)
    client.force_login(streamer)
    preview = client.get(opening.get_absolute_url()).content.decode()
    assert "Check your wording." in preview and "This posting mentions" in preview

    url = reverse("board:opening_publish", kwargs={"pk": opening.pk})
    refused = client.post(url)
    assert refused.status_code == 400 and REFUSAL in refused.content.decode()
    opening.refresh_from_db()
    assert opening.status == OpeningStatus.DRAFT

    assert client.post(url, {"acknowledge_safety": "on"}).status_code == 302
    opening.refresh_from_db()
    assert opening.status == OpeningStatus.OPEN


def test_an_ordinary_question_publishes_without_a_warning(client, streamer, channel):
    opening = draft(channel)
    QuestionFactory(opening=opening, prompt=ORDINARY)
    client.force_login(streamer)
    assert "Check your wording." not in client.get(opening.get_absolute_url()).content.decode()
    url = reverse("board:opening_publish", kwargs={"pk": opening.pk})
    assert client.post(url).status_code == 302
    opening.refresh_from_db()
    assert opening.status == OpeningStatus.OPEN


def edit_data(opening, **overrides) -> dict:
    data = opening_data(opening.channel, closes_on=opening.closes_on.isoformat(), **overrides)
    data.pop("channel")
    return data


@pytest.mark.parametrize(
    "overrides",
    [
        {"description": ASKS["login codes"]},
        {"questions-2-prompt": ASKS["login codes"]},
    ],
    ids=["description", "question"],
)
def test_editing_a_public_opening_to_ask_for_a_login_code_needs_a_confirmation(
    client, opening, streamer, overrides
):
    client.force_login(streamer)
    url = reverse("board:opening_edit", kwargs={"pk": opening.pk})
    refused = client.post(url, edit_data(opening, **overrides))
    page = refused.content.decode()
    assert refused.status_code == 400
    assert "This posting mentions login codes" in page and REFUSAL in page
    assert 'name="acknowledge_safety"' in page
    assert not opening.questions.filter(prompt=ASKS["login codes"]).exists()

    confirmed = {**edit_data(opening, **overrides), "acknowledge_safety": "on"}
    assert client.post(url, confirmed).status_code == 302
    opening.refresh_from_db()
    assert ASKS["login codes"] in [
        opening.description,
        *opening.questions.values_list("prompt", flat=True),
    ]


def test_editing_a_public_opening_with_ordinary_questions_needs_no_confirmation(
    client, opening, streamer
):
    client.force_login(streamer)
    url = reverse("board:opening_edit", kwargs={"pk": opening.pk})
    response = client.post(url, edit_data(opening, **{"questions-2-prompt": ORDINARY}))
    assert response.status_code == 302
    assert opening.questions.filter(prompt=ORDINARY).exists()


def test_the_draft_form_warns_about_a_question_before_it_is_saved(client, streamer, channel):
    """Asking for more question slots posts the form back: the warning is already there."""
    client.force_login(streamer)
    data = opening_data(
        channel, **{"questions-2-prompt": ASKS["stream keys"], "more_questions": "1"}
    )
    page = client.post(reverse("board:opening_create"), data).content.decode()
    assert "This posting mentions stream keys" in page


def test_the_service_holds_a_question_like_a_description(opening):
    """The service is the rule; the pages only show it."""
    fields = {
        "title": opening.title,
        "roles": list(opening.roles.all()),
        "languages": [],
        "description": opening.description,
        "requirements": "",
        "windows": [],
        "hours_per_week": 5,
        "compensation": opening.compensation,
        "compensation_note": "",
        "trial_days": None,
        "closes_on": opening.closes_on,
    }
    asks = [QuestionSpec(prompt=ASKS["passwords"])]
    with pytest.raises(ValidationError) as refused:
        services.opening_update(opening=opening, questions=asks, **fields)
    assert "acknowledge_safety" in refused.value.message_dict
    services.opening_update(opening=opening, questions=asks, acknowledged_safety=True, **fields)
    assert opening.questions.get().prompt == ASKS["passwords"]
