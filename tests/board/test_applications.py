"""Applying to an opening, the daily limit, withdrawing, and the owner's review."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from portal.board import rules, services
from portal.board.models import (
    Application,
    ApplicationEvent,
    ApplicationStatus,
    OpeningStatus,
    QuestionKind,
)
from tests.board.factories import ApplicationFactory, OpeningFactory, QuestionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def questions(opening):
    why = QuestionFactory(opening=opening, prompt="Why us?", kind=QuestionKind.PARAGRAPH)
    region = QuestionFactory(
        opening=opening,
        prompt="Where are you?",
        kind=QuestionKind.CHOICE,
        choices=["Europe", "Americas"],
        required=False,
    )
    return why, region


def apply_url(opening):
    return reverse("board:apply", kwargs={"pk": opening.pk})


def test_a_moderator_answers_the_questions_and_applies(client, opening, questions, moderator):
    why, region = questions
    client.force_login(moderator)
    form = client.get(apply_url(opening)).content.decode()
    assert "Why us?" in form and "Your profile is attached" in form
    response = client.post(
        apply_url(opening),
        {f"question_{why.pk}": "I love **lo-fi**.", f"question_{region.pk}": "Europe",
         "message": "Hello, I have modded for *two* years."},
    )  # fmt: skip
    application = Application.objects.get()
    assert response.status_code == 302 and response["Location"] == application.get_absolute_url()
    assert application.applicant == moderator
    assert application.answers == [
        {"question": why.pk, "prompt": "Why us?", "answer": "I love **lo-fi**."},
        {"question": region.pk, "prompt": "Where are you?", "answer": "Europe"},
    ]
    assert application.message_html == "<p>Hello, I have modded for <em>two</em> years.</p>"
    [event] = application.events.all()
    assert (event.from_status, event.to_status, event.actor) == ("", "submitted", moderator)


def test_the_apply_form_says_who_will_see_the_answers(client, opening, moderator):
    client.force_login(moderator)
    form = " ".join(client.get(apply_url(opening)).content.decode().split())
    assert (
        "Only you and Night Owl Radio's owner see your answers and message. Modhall staff read "
        "them only if someone reports this opening, and every time they do it is written to "
        "the moderation log."
    ) in form


def test_a_required_answer_is_asked_for_beside_its_question(client, opening, questions, moderator):
    client.force_login(moderator)
    response = client.post(apply_url(opening), {"message": "Hi"})
    assert response.status_code == 400
    page = response.content.decode()
    assert f'id="id_question_{questions[0].pk}_error"' in page
    assert not Application.objects.exists()


def test_a_choice_outside_the_options_is_refused(client, opening, questions, moderator):
    why, region = questions
    client.force_login(moderator)
    response = client.post(
        apply_url(opening),
        {f"question_{why.pk}": "Yes", f"question_{region.pk}": "Mars", "message": "Hi"},
    )
    assert response.status_code == 400
    assert not Application.objects.exists()


def test_one_application_per_opening_per_person(client, opening, moderator):
    ApplicationFactory(opening=opening, applicant=moderator)
    client.force_login(moderator)
    response = client.post(apply_url(opening), {"message": "Again!"})
    assert response.status_code == 302  # to the application they already sent
    assert Application.objects.count() == 1
    with pytest.raises(ValidationError, match="already applied"):
        services.application_submit(
            opening=opening, applicant=moderator, message="Again", answers={}
        )


def test_the_database_refuses_a_second_application_even_past_the_checks(opening, moderator):
    from django.db import IntegrityError, transaction

    ApplicationFactory(opening=opening, applicant=moderator)
    with pytest.raises(IntegrityError), transaction.atomic():
        Application.objects.create(
            opening=opening, applicant=moderator, message="x", message_html="<p>x</p>"
        )


def test_the_daily_limit_counts_applications_in_the_database(client, moderator):
    for opening in OpeningFactory.create_batch(rules.APPLICATIONS.regular):
        ApplicationFactory(opening=opening, applicant=moderator)
    one_more = OpeningFactory()
    client.force_login(moderator)
    response = client.post(apply_url(one_more), {"message": "Please"})
    assert response.status_code == 429
    assert "the limit is 10 applications a day" in response.content.decode()
    assert not Application.objects.filter(opening=one_more).exists()


def test_an_application_over_the_limit_is_a_429_saying_when_to_try_again(client, moderator):
    """The reason on the form, Retry-After from when the oldest of the day's applications
    leaves the 24 hours, and nothing written."""
    openings = OpeningFactory.create_batch(rules.APPLICATIONS.regular)
    for opening in openings:
        ApplicationFactory(opening=opening, applicant=moderator)
    Application.objects.filter(opening=openings[0]).update(
        created_at=timezone.now() - timedelta(hours=20)
    )
    one_more = OpeningFactory()
    client.force_login(moderator)
    response = client.post(apply_url(one_more), {"message": "Please"})
    assert response.status_code == 429
    assert 4 * 3600 - 60 < int(response["Retry-After"]) <= 4 * 3600
    page = response.content.decode()
    assert "Slow down a little: the limit is 10 applications a day." in page
    assert "Try again in 4 hours." in page
    assert Application.objects.filter(applicant=moderator).count() == rules.APPLICATIONS.regular
    assert not Application.objects.filter(opening=one_more).exists()


def test_yesterdays_applications_do_not_count(moderator):
    for opening in OpeningFactory.create_batch(rules.APPLICATIONS.regular):
        ApplicationFactory(opening=opening, applicant=moderator)
    Application.objects.update(created_at=timezone.now() - timedelta(hours=25))
    services.application_submit(
        opening=OpeningFactory(), applicant=moderator, message="Hi", answers={}
    )


def test_nobody_applies_to_their_own_opening(client, opening, streamer):
    client.force_login(streamer)
    assert client.get(apply_url(opening)).status_code == 403
    with pytest.raises(ValidationError, match="your own opening"):
        services.application_submit(opening=opening, applicant=streamer, message="x", answers={})


def test_a_paused_opening_takes_no_applications(client, opening, moderator):
    opening.status = OpeningStatus.PAUSED
    opening.save()
    client.force_login(moderator)
    response = client.post(apply_url(opening), {"message": "Hi"})
    assert response.status_code == 403
    assert "takes no applications" in response.content.decode()
    assert not Application.objects.exists()


def test_the_applicant_sees_their_applications_and_statuses(client, moderator):
    mine = ApplicationFactory(applicant=moderator, status=ApplicationStatus.SHORTLISTED)
    someone_elses = ApplicationFactory()
    client.force_login(moderator)
    page = client.get(reverse("board:my_applications")).content.decode()
    assert mine.opening.title in page and "Shortlisted" in page
    assert someone_elses.opening.title not in page


def test_no_applications_yet_is_an_empty_state(client, moderator):
    client.force_login(moderator)
    page = client.get(reverse("board:my_applications")).content.decode()
    assert "You have not applied to an opening yet." in page


def test_the_applicant_withdraws_before_a_decision(client, moderator):
    application = ApplicationFactory(applicant=moderator, status=ApplicationStatus.SHORTLISTED)
    client.force_login(moderator)
    client.post(reverse("board:application_withdraw", kwargs={"pk": application.pk}))
    application.refresh_from_db()
    assert application.status == ApplicationStatus.WITHDRAWN
    assert application.events.last().to_status == ApplicationStatus.WITHDRAWN


def test_no_withdrawing_after_a_decision(client, moderator):
    application = ApplicationFactory(applicant=moderator, status=ApplicationStatus.ACCEPTED)
    client.force_login(moderator)
    response = client.post(
        reverse("board:application_withdraw", kwargs={"pk": application.pk}), follow=True
    )
    assert "can no longer be withdrawn" in response.content.decode()
    application.refresh_from_db()
    assert application.status == ApplicationStatus.ACCEPTED


# --- Review -------------------------------------------------------------------------------


def move(client, application, status, **extra):
    return client.post(
        reverse("board:application_move", kwargs={"pk": application.pk}),
        {"status": status, **extra},
    )


def test_the_owner_moves_an_application_through_the_steps_and_each_is_kept(
    client, streamer, opening, moderator
):
    application = ApplicationFactory(opening=opening, applicant=moderator)
    client.force_login(streamer)
    for step in ("shortlisted", "trial", "accepted"):
        assert move(client, application, step).status_code == 302
    application.refresh_from_db()
    assert application.status == ApplicationStatus.ACCEPTED
    history = [(e.from_status, e.to_status) for e in application.events.all()]
    assert history == [
        ("", "submitted"),
        ("submitted", "shortlisted"),
        ("shortlisted", "trial"),
        ("trial", "accepted"),
    ]
    assert ApplicationEvent.objects.filter(actor=streamer).count() == 3


def test_declining_with_a_reason_shows_it_to_the_applicant(client, streamer, opening, moderator):
    application = ApplicationFactory(opening=opening, applicant=moderator)
    client.force_login(streamer)
    move(
        client,
        application,
        "declined",
        reason="We need someone on weekday mornings.",
        tell_applicant="tell",
    )
    client.force_login(moderator)
    page = client.get(application.get_absolute_url()).content.decode()
    assert "Declined" in page
    assert "We need someone on weekday mornings." in page


def test_a_decision_is_final(client, streamer, opening, moderator):
    application = ApplicationFactory(
        opening=opening, applicant=moderator, status=ApplicationStatus.DECLINED
    )
    client.force_login(streamer)
    response = move(client, application, "accepted")
    assert response.status_code == 400
    assert "The application was not changed" in response.content.decode()
    application.refresh_from_db()
    assert application.status == ApplicationStatus.DECLINED


def test_accepting_can_mark_the_opening_filled(client, streamer, opening, moderator):
    application = ApplicationFactory(opening=opening, applicant=moderator)
    client.force_login(streamer)
    move(client, application, "accepted", mark_filled="on")
    opening.refresh_from_db()
    assert opening.status == OpeningStatus.FILLED


def test_accepting_without_the_tick_leaves_the_opening_open(client, streamer, opening, moderator):
    application = ApplicationFactory(opening=opening, applicant=moderator)
    client.force_login(streamer)
    move(client, application, "accepted")
    opening.refresh_from_db()
    assert opening.status == OpeningStatus.OPEN


def test_the_review_page_lists_applicants_with_their_answers_a_click_away(
    client, streamer, opening, moderator
):
    profile = moderator.profile
    profile.display_name = "Mira Mod"
    profile.is_public = False  # a private profile is still attached to an application
    profile.save()
    application = ApplicationFactory(
        opening=opening,
        applicant=moderator,
        answers=[{"question": 1, "prompt": "Why us?", "answer": "The <b>music</b>."}],
    )
    client.force_login(streamer)
    page = client.get(reverse("board:review", kwargs={"pk": opening.pk})).content.decode()
    assert "Mira Mod" in page and "Guide badges" in page
    assert application.get_absolute_url() in page
    detail = client.get(application.get_absolute_url()).content.decode()
    assert "Why us?" in detail
    assert "The &lt;b&gt;music&lt;/b&gt;." in detail  # answers are text, never HTML
    assert "Update Mira Mod's application" in detail


def test_the_review_page_filters_by_status(client, streamer, opening):
    ApplicationFactory(opening=opening, status=ApplicationStatus.SHORTLISTED)
    ApplicationFactory(opening=opening)
    client.force_login(streamer)
    url = reverse("board:review", kwargs={"pk": opening.pk})
    page = client.get(url, {"status": "shortlisted"})
    assert len(page.context["rows"]) == 1
    assert "Shortlisted (1)" in page.content.decode()
    assert len(client.get(url, {"status": "nonsense"}).context["rows"]) == 2
