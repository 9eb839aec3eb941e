"""Posting an opening: the draft, the scam-word warning, publishing, and its lifecycle."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from portal.accounts.models import Language, Role
from portal.board import rules, services
from portal.board.models import Opening, OpeningSlot, OpeningStatus, QuestionKind
from portal.core.schedule import parse_windows
from tests.board.conftest import set_availability, settled
from tests.board.factories import OpeningFactory
from tests.factories import ChannelFactory, UserFactory

pytestmark = pytest.mark.django_db


def opening_data(channel, **overrides):
    data = {
        "channel": str(channel.pk),
        "title": "Weekend community host",
        "roles": [str(Role.objects.get(slug="community-host").pk)],
        "languages": [str(Language.objects.get(code="en").pk)],
        "description": "Greet our **raiders** and keep it cozy.",
        "requirements": "- Six months of modding",
        "schedule": "Sat-Sun 18:00-22:00",
        "hours_per_week": "8",
        "compensation": "volunteer",
        "compensation_note": "",
        "trial_days": "14",
        "closes_on": (timezone.localdate() + timedelta(days=20)).isoformat(),
        "questions-TOTAL_FORMS": "3",
        "questions-INITIAL_FORMS": "0",
        "questions-MIN_NUM_FORMS": "0",
        "questions-MAX_NUM_FORMS": "10",
        "questions-0-prompt": "Why our channel?",
        "questions-0-kind": "paragraph",
        "questions-0-required": "on",
        "questions-1-prompt": "Which timezone are you in?",
        "questions-1-kind": "choice",
        "questions-1-choices": "Europe\nAmericas\nAsia-Pacific",
        "questions-2-prompt": "",
        "questions-2-kind": "short",
    }
    data.update(overrides)
    return data


def test_posting_an_opening_saves_a_draft_with_its_questions_and_schedule(
    client, streamer, channel
):
    channel.timezone = "Europe/Berlin"
    channel.save()
    client.force_login(streamer)
    response = client.post(reverse("board:opening_create"), opening_data(channel))
    opening = Opening.objects.get()
    assert response.status_code == 302 and response["Location"] == opening.get_absolute_url()
    assert opening.status == OpeningStatus.DRAFT and opening.published_at is None
    assert opening.description_html == "<p>Greet our <strong>raiders</strong> and keep it cozy.</p>"
    assert opening.timezone == "Europe/Berlin"
    assert [str(w) for w in opening.windows] == ["Sat 18:00-22:00", "Sun 18:00-22:00"]
    assert OpeningSlot.objects.filter(opening=opening).count() == 2
    questions = list(opening.questions.all())
    assert [(q.prompt, q.kind, q.required) for q in questions] == [
        ("Why our channel?", QuestionKind.PARAGRAPH, True),
        ("Which timezone are you in?", QuestionKind.CHOICE, False),
    ]
    assert questions[1].choices == ["Europe", "Americas", "Asia-Pacific"]
    # The closing day ends at midnight in the channel's timezone.
    assert opening.expires_at.astimezone(timezone.get_fixed_timezone(0)).hour in (22, 23)
    assert not Opening.objects.visible().exists()


def test_a_draft_is_shown_only_to_its_owner(client, streamer, channel, moderator):
    opening = OpeningFactory(channel=channel, status=OpeningStatus.DRAFT, published_at=None)
    client.force_login(moderator)
    assert client.get(opening.get_absolute_url()).status_code == 404
    client.force_login(streamer)
    page = client.get(opening.get_absolute_url()).content.decode()
    assert "Draft: only you can see this opening" in page


def test_publishing_puts_the_opening_on_the_board(client, streamer, channel):
    opening = OpeningFactory(channel=channel, status=OpeningStatus.DRAFT, published_at=None)
    client.force_login(streamer)
    response = client.post(reverse("board:opening_publish", kwargs={"pk": opening.pk}))
    assert response.status_code == 302
    opening.refresh_from_db()
    assert opening.status == OpeningStatus.OPEN and opening.published_at is not None
    assert opening.title in client.get(reverse("board:index")).content.decode()


def test_a_choice_question_needs_two_choices_and_says_so_beside_the_field(
    client, streamer, channel
):
    client.force_login(streamer)
    response = client.post(
        reverse("board:opening_create"),
        opening_data(channel, **{"questions-1-choices": "Only one"}),
    )
    assert response.status_code == 400
    assert "Give at least two choices" in response.content.decode()
    assert not Opening.objects.exists()


def test_bad_input_is_shown_beside_the_fields_and_nothing_is_saved(client, streamer, channel):
    client.force_login(streamer)
    response = client.post(
        reverse("board:opening_create"),
        opening_data(
            channel,
            roles=[],
            schedule="Someday 25:00",
            hours_per_week="500",
            closes_on=(timezone.localdate() + timedelta(days=120)).isoformat(),
        ),
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "This field is required." in page  # roles
    assert "Line 1:" in page  # the schedule names the line that is wrong
    assert "less than or equal to 168" in page
    assert not Opening.objects.exists()


def test_every_error_is_shown_in_one_round_the_closing_date_rules_too(
    client, streamer, channel, opening
):
    """The date's rules used to appear only once everything else was right."""
    client.force_login(streamer)
    past = (timezone.localdate() - timedelta(days=3)).isoformat()
    posted = client.post(
        reverse("board:opening_create"), opening_data(channel, title="", closes_on=past)
    )
    page = posted.content.decode()
    assert posted.status_code == 400
    assert "This field is required." in page and "The closing date has passed" in page

    far = (timezone.localdate() + timedelta(days=120)).isoformat()
    edited = client.post(
        reverse("board:opening_edit", kwargs={"pk": opening.pk}),
        opening_data(channel, title="", hours_per_week="", closes_on=far),
    )
    page = edited.content.decode()
    assert edited.status_code == 400
    assert page.count("This field is required.") >= 2 and "at most 90 days" in page


def test_the_closing_date_is_at_most_ninety_days_away(client, streamer, channel):
    client.force_login(streamer)
    response = client.post(
        reverse("board:opening_create"),
        opening_data(channel, closes_on=(timezone.localdate() + timedelta(days=91)).isoformat()),
    )
    assert response.status_code == 400
    assert "at most 90 days" in response.content.decode()
    assert not Opening.objects.exists()


def test_ten_questions_at_most(client, streamer, channel):
    data = opening_data(channel)
    data["questions-TOTAL_FORMS"] = "11"
    for i in range(11):
        data[f"questions-{i}-prompt"] = f"Question {i}"
        data[f"questions-{i}-kind"] = "short"
    client.force_login(streamer)
    response = client.post(reverse("board:opening_create"), data)
    assert response.status_code == 400
    assert not Opening.objects.exists()


def test_more_question_slots_without_javascript(client, streamer, channel):
    client.force_login(streamer)
    response = client.post(
        reverse("board:opening_create"), {**opening_data(channel), "more_questions": "1"}
    )
    assert response.status_code == 200
    assert 'name="questions-5-prompt"' in response.content.decode()
    assert not Opening.objects.exists()


@pytest.mark.parametrize("more", [False, True])
def test_a_tampered_question_form_is_a_bad_request_not_an_error(client, streamer, channel, more):
    data = {**opening_data(channel), "questions-TOTAL_FORMS": "many"}
    data.pop("questions-INITIAL_FORMS")
    if more:
        data["more_questions"] = "1"
    client.force_login(streamer)
    response = client.post(reverse("board:opening_create"), data)
    assert response.status_code == (200 if more else 400)
    assert not Opening.objects.exists()


def test_someone_without_a_channel_is_asked_to_register_one(client, moderator):
    client.force_login(moderator)
    page = client.get(reverse("board:opening_create")).content.decode()
    assert "Register your channel first" in page


def test_one_cannot_post_for_someone_elses_channel(client, streamer, channel, other_streamer):
    theirs = other_streamer.channels.get()
    client.force_login(streamer)
    response = client.post(reverse("board:opening_create"), opening_data(theirs))
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert not Opening.objects.exists()


# --- The scam-word warning -------------------------------------------------------------------


def test_safety_concerns_name_what_a_scam_would_ask_for():
    assert rules.safety_concerns("Send us your stream key and OBS password") == [
        "passwords",
        "stream keys",
    ]
    assert rules.safety_concerns("A small registration fee applies") == [
        "fees or payments from applicants"
    ]
    assert rules.safety_concerns("Keep chat kind; we pay $10 an hour") == []


def test_publishing_a_posting_that_mentions_stream_keys_needs_a_confirmation(
    client, streamer, channel
):
    opening = OpeningFactory(
        channel=channel,
        status=OpeningStatus.DRAFT,
        published_at=None,
        description="DM me your stream key to get started.",
    )
    client.force_login(streamer)
    preview = client.get(opening.get_absolute_url()).content.decode()
    assert "This posting mentions stream keys" in preview

    url = reverse("board:opening_publish", kwargs={"pk": opening.pk})
    refused = client.post(url)
    assert refused.status_code == 400
    assert rules.NEVER_ASK in refused.content.decode()
    opening.refresh_from_db()
    assert opening.status == OpeningStatus.DRAFT

    assert client.post(url, {"acknowledge_safety": "on"}).status_code == 302
    opening.refresh_from_db()
    assert opening.status == OpeningStatus.OPEN


def test_editing_a_public_opening_to_ask_for_fees_needs_a_confirmation(client, opening, streamer):
    data = opening_data(
        opening.channel, description="There is a small fee to join the team.", closes_on=""
    )
    data.pop("channel")
    data["closes_on"] = opening.closes_on.isoformat()
    client.force_login(streamer)
    url = reverse("board:opening_edit", kwargs={"pk": opening.pk})
    refused = client.post(url, data)
    assert refused.status_code == 400
    opening.refresh_from_db()
    assert "fee" not in opening.description
    assert client.post(url, {**data, "acknowledge_safety": "on"}).status_code == 302
    opening.refresh_from_db()
    assert "fee" in opening.description


# --- Posting limits ------------------------------------------------------------------------


def test_a_new_account_publishes_one_opening_a_day(client):
    newcomer = UserFactory()  # joined just now
    channel = ChannelFactory(owner=newcomer)
    OpeningFactory(channel=channel)  # published a moment ago
    draft = OpeningFactory(channel=channel, status=OpeningStatus.DRAFT, published_at=None)
    client.force_login(newcomer)
    response = client.post(reverse("board:opening_publish", kwargs={"pk": draft.pk}))
    assert response.status_code == 429
    assert "1 opening a day while an account is less than 7 days old" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == OpeningStatus.DRAFT


def test_a_settled_account_publishes_more_but_not_without_limit():
    owner = settled()
    channel = ChannelFactory(owner=owner)
    OpeningFactory.create_batch(rules.OPENINGS.regular - 1, channel=channel)
    draft, spare = OpeningFactory.create_batch(
        2, channel=channel, status=OpeningStatus.DRAFT, published_at=None
    )
    services.opening_publish(opening=draft)
    with pytest.raises(ValidationError, match="the limit is 5 openings a day"):
        services.opening_publish(opening=spare)


def test_openings_published_yesterday_do_not_count_towards_today(streamer, channel):
    OpeningFactory.create_batch(
        rules.OPENINGS.regular,
        channel=channel,
        published_at=timezone.now() - timedelta(hours=25),
    )
    draft = OpeningFactory(channel=channel, status=OpeningStatus.DRAFT, published_at=None)
    services.opening_publish(opening=draft)
    assert draft.status == OpeningStatus.OPEN


# --- Lifecycle ----------------------------------------------------------------------------


def act(client, opening, action):
    return client.post(
        reverse("board:opening_action", kwargs={"pk": opening.pk}), {"action": action}
    )


def test_pausing_takes_an_opening_off_the_board_and_resuming_puts_it_back(
    client, streamer, opening
):
    client.force_login(streamer)
    act(client, opening, "pause")
    opening.refresh_from_db()
    assert opening.status == OpeningStatus.PAUSED
    assert not Opening.objects.visible().exists()
    act(client, opening, "resume")
    opening.refresh_from_db()
    assert opening.status == OpeningStatus.OPEN


@pytest.mark.parametrize(
    ("action", "banner"),
    [
        ("fill", "Filled: this opening found its moderator"),
        ("close", "Closed: this opening takes no more applications"),
    ],
)
def test_a_filled_or_closed_opening_keeps_its_page_with_a_banner(
    client, streamer, opening, moderator, action, banner
):
    client.force_login(streamer)
    act(client, opening, action)
    client.force_login(moderator)
    page = client.get(opening.get_absolute_url())
    assert page.status_code == 200
    assert banner in page.content.decode()
    assert "Apply to this opening" not in page.content.decode()
    assert client.get(reverse("board:apply", kwargs={"pk": opening.pk})).status_code == 403
    assert opening.title not in client.get(reverse("board:index")).content.decode()


def test_a_finished_opening_cannot_be_reopened_or_edited(client, streamer, opening):
    client.force_login(streamer)
    act(client, opening, "close")
    response = act(client, opening, "resume")
    assert response.status_code == 302
    opening.refresh_from_db()
    assert opening.status == OpeningStatus.CLOSED
    assert "cannot become open" in client.get(opening.get_absolute_url()).content.decode()
    assert client.get(reverse("board:opening_edit", kwargs={"pk": opening.pk})).status_code == 403


def test_an_unknown_action_is_a_bad_request(client, streamer, opening):
    client.force_login(streamer)
    assert act(client, opening, "explode").status_code == 400


def test_extending_an_expired_opening_reopens_it(client, streamer, opening):
    opening.status = OpeningStatus.EXPIRED
    opening.reminder_sent_at = timezone.now()
    opening.save()
    client.force_login(streamer)
    new_date = timezone.localdate() + timedelta(days=45)
    response = client.post(
        reverse("board:opening_extend", kwargs={"pk": opening.pk}),
        {"closes_on": new_date.isoformat()},
    )
    assert response.status_code == 302
    opening.refresh_from_db()
    assert (opening.status, opening.closes_on, opening.reminder_sent_at) == (
        OpeningStatus.OPEN,
        new_date,
        None,
    )


def test_extending_past_ninety_days_is_refused_beside_the_field(client, streamer, opening):
    client.force_login(streamer)
    response = client.post(
        reverse("board:opening_extend", kwargs={"pk": opening.pk}),
        {"closes_on": (timezone.localdate() + timedelta(days=100)).isoformat()},
    )
    assert response.status_code == 400
    assert "at most 90 days" in response.content.decode()


def test_an_open_opening_past_its_date_reads_as_expired_before_the_job_runs(
    client, moderator, opening
):
    Opening.objects.filter(pk=opening.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    client.force_login(moderator)
    page = client.get(opening.get_absolute_url()).content.decode()
    assert "Expired: this opening closed on" in page
    assert not Opening.objects.visible().exists()


def test_editing_an_opening_replaces_its_questions(client, streamer, opening):
    client.force_login(streamer)
    data = opening_data(opening.channel, closes_on=opening.closes_on.isoformat())
    data.pop("channel")
    data["questions-0-prompt"] = "What is your favourite emote?"
    data["questions-1-prompt"] = ""
    response = client.post(reverse("board:opening_edit", kwargs={"pk": opening.pk}), data)
    assert response.status_code == 302
    assert [q.prompt for q in opening.questions.all()] == ["What is your favourite emote?"]
    form_page = client.get(reverse("board:opening_edit", kwargs={"pk": opening.pk}))
    assert "What is your favourite emote?" in form_page.content.decode()


def test_an_opening_page_says_when_it_overlaps_the_readers_availability(client, moderator):
    channel = ChannelFactory(timezone="UTC")
    fits = OpeningFactory(
        channel=channel, schedule=[w.as_json() for w in parse_windows("Fri 20:00-23:00")]
    )
    other = OpeningFactory(
        channel=channel, schedule=[w.as_json() for w in parse_windows("Tue 08:00-10:00")]
    )
    set_availability(moderator, "Fri 22:00-23:30")
    client.force_login(moderator)
    assert "Overlaps your availability" in client.get(fits.get_absolute_url()).content.decode()
    assert "Overlaps your availability" not in client.get(other.get_absolute_url()).content.decode()
    # The same test for a page of openings at once: the board's cards, asked with the page.
    cards = {card.pk: card for card in client.get(reverse("board:index")).context["page"]}
    assert cards[fits.pk].fits_my_hours and not cards[other.pk].fits_my_hours
