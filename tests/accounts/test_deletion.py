"""Deleting an account: re-authenticated, a week's grace that signing in cancels, then a task
(idempotent, resumable) after which nothing Modhall shows names the person, while what others
wrote stays as they wrote it."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialAccount
from django.contrib.sessions.models import Session
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from portal.accounts.leaving.deletion import (
    account_deletion_request,
    account_deletion_run,
    account_deletions_queue,
)
from portal.accounts.models import AccountDeletion, AvailabilitySlot, Profile, User
from portal.board.models import Application, ApplicationStatus, Opening, OpeningStatus
from portal.digests.models import EmailPreferences
from portal.forums.models import Post, Reaction, Topic
from portal.guides.models import Badge, JournalEntry, LessonProgress
from tests.factories import TEST_PASSWORD

DELETE = reverse("accounts:delete")
SIGN_IN = reverse("account_login")


def sign_in(client, user, password=TEST_PASSWORD):
    return client.post(SIGN_IN, {"login": user.username, "password": password}, follow=True)


def confirmed(client, user):
    """Signed in, with the password just typed again (allauth's reauthenticate page)."""
    sign_in(client, user)
    client.post(reverse("account_reauthenticate"), {"password": TEST_PASSWORD})


def run_due(user: User, *, remove_posts: bool = False) -> AccountDeletion:
    """Ask for the deletion, then run it once its grace period is over."""
    asked = account_deletion_request(user=user, remove_posts=remove_posts)
    assert account_deletion_run(deletion_id=asked.pk, now=asked.due_at + timedelta(minutes=1))
    asked.refresh_from_db()
    return asked


# --- Asking, and changing one's mind -------------------------------------------------------


def test_deleting_asks_for_the_password_again(client, user):
    client.force_login(user)  # signed in long ago, as far as allauth knows
    response = client.get(DELETE)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_reauthenticate"))

    client.post(response["Location"], {"password": TEST_PASSWORD})
    page = client.get(DELETE)
    assert page.status_code == 200
    assert "Delete my account in 7 days" in page.text


def test_the_form_says_beside_the_box_what_is_missing_and_writes_nothing(client, user):
    confirmed(client, user)
    page = client.post(DELETE, {"remove_posts": "on"})
    assert "Tick this to confirm you want your account deleted." in page.text
    assert not AccountDeletion.objects.exists()


def test_asking_signs_the_person_out_everywhere_and_names_the_day(client, user):
    from django.test import Client

    phone = Client()
    sign_in(phone, user)
    confirmed(client, user)
    page = client.post(DELETE, {"confirm": "on"}, follow=True)
    deletion = AccountDeletion.objects.get(user=user)
    assert deletion.due_at - deletion.requested_at == timedelta(days=7)
    assert not deletion.remove_posts
    assert f"Your account will be deleted on {deletion.due_at:%-d %B %Y}" in page.text
    assert "Sign in before then" in page.text
    assert "_auth_user_id" not in client.session
    assert not Session.objects.exists()  # every other browser is signed out too
    assert phone.get(reverse("accounts:profile_edit")).status_code == 302


def test_signing_in_during_the_grace_period_cancels_it_and_says_so(client, user):
    account_deletion_request(user=user, remove_posts=True)
    page = sign_in(client, user)
    assert "your account will not be deleted" in page.text
    assert not AccountDeletion.objects.exists()
    # The hourly job then finds nothing to do.
    assert account_deletions_queue(now=timezone.now() + timedelta(days=8)) == 0


def test_nothing_happens_before_the_grace_period_is_over(user):
    asked = account_deletion_request(user=user, remove_posts=False)
    assert not account_deletion_run(deletion_id=asked.pk, now=asked.due_at - timedelta(hours=1))
    user.refresh_from_db()
    assert user.is_active and user.username.startswith("person")


def test_nobody_can_sign_up_as_a_former_member(client, db):
    page = client.post(
        reverse("account_signup"),
        {
            "email": "new@example.com",
            "username": "former-member-12",
            "password1": TEST_PASSWORD,
            "password2": TEST_PASSWORD,
        },
    )
    assert "This username is not available" in page.text
    assert not User.objects.filter(username="former-member-12").exists()


# --- What deletion does ----------------------------------------------------------------------


def test_personal_data_is_deleted(member):
    from portal.core.models import FailedEmail

    sam = member.sam
    FailedEmail.objects.create(person=sam, kind="account", subject="Confirm", error="refused")
    Authenticator.objects.create(user=sam, type=Authenticator.Type.RECOVERY_CODES, data={})
    run_due(sam)
    sam.refresh_from_db()
    assert sam.username == f"former-member-{sam.pk}"
    assert (sam.email, sam.first_name, sam.is_active, sam.has_usable_password()) == (
        "",
        "",
        False,
        False,
    )
    profile = Profile.objects.get(user=sam)
    assert (profile.display_name, profile.bio, profile.twitch_login, profile.is_public) == (
        "a former member",
        "",
        "",
        False,
    )
    assert not profile.roles.exists() and not profile.languages.exists()
    for gone in (
        AvailabilitySlot.objects.filter(profile=profile),
        EmailAddress.objects.filter(user=sam),
        SocialAccount.objects.filter(user=sam),
        JournalEntry.objects.filter(user=sam),
        LessonProgress.objects.filter(user=sam),
        Badge.objects.filter(user=sam),
        Reaction.objects.filter(user=sam),
        EmailPreferences.objects.filter(user=sam),
        FailedEmail.objects.filter(person=sam),
        Authenticator.objects.filter(user=sam),
    ):
        assert not gone.exists()
    # The reaction's count went with it.
    assert Post.objects.get(pk=member.alex_post.pk).helpful_count == 0


def test_applications_are_withdrawn_and_emptied(member):
    run_due(member.sam)
    application = Application.objects.get(pk=member.application.pk)
    assert application.status == ApplicationStatus.WITHDRAWN
    assert (application.message, application.message_html, application.answers) == ("", "", [])
    declined = Application.objects.get(pk=member.declined.pk)
    assert declined.status == ApplicationStatus.DECLINED and declined.message == ""
    # Alex's application to Sam's opening is Alex's: it stays as Alex wrote it.
    assert Application.objects.get(pk=member.alex_applies.pk).message == "Alex here, pick me."


def test_openings_close_and_channels_leave_the_board(client, member):
    channel_url = member.channel.get_absolute_url()
    assert client.get(channel_url).status_code == 200
    run_due(member.sam)
    assert Opening.objects.get(pk=member.own_opening.pk).status == OpeningStatus.CLOSED
    assert client.get(channel_url).status_code == 404
    board = client.get(reverse("board:index")).text
    assert "Night owl wanted" not in board
    page = client.get(member.own_opening.get_absolute_url()).text
    assert "Sam Plays" not in page and "Sam Rivers" not in page and "sam_rivers" not in page
    assert "A channel that left Modhall" in page


def test_after_deletion_no_page_names_the_person_even_from_cached_fragments(client, member):
    """The pages are read (and their fragments cached) before the deletion, then again."""
    pages = [
        member.topic.get_absolute_url(),
        member.sam_reply.topic.get_absolute_url(),
        reverse("forums:index"),
        reverse("forums:latest"),
        member.own_opening.get_absolute_url(),
        reverse("board:moderators"),
    ]
    client.force_login(member.alex)
    before = "".join(client.get(url).text for url in pages)
    assert "Sam Rivers" in before

    run_due(member.sam)
    for url in pages:
        page = client.get(url).text
        for shown in ("Sam Rivers", "sam_rivers@", "/people/sam_rivers/", "@sam_rivers</span>"):
            assert shown not in page, (url, shown)
    topic = client.get(member.topic.get_absolute_url()).text
    assert "a former member" in topic
    assert client.get(reverse("accounts:profile", args=["sam_rivers"])).status_code == 404
    sam = User.objects.get(pk=member.sam.pk)
    assert client.get(reverse("accounts:profile", args=[sam.username])).status_code == 404


def test_what_others_wrote_stays_but_the_mention_links_nowhere(client, member):
    run_due(member.sam)
    mention = Post.objects.get(pk=member.mention.pk)
    assert "Thanks @sam_rivers!" in mention.body  # as Alex wrote it
    assert "@sam_rivers" in mention.body_html
    assert "/people/sam_rivers/" not in mention.body_html
    page = client.get(member.topic.get_absolute_url()).text
    assert "/people/sam_rivers/" not in page
    assert "Alex&#x27;s own words." in page or "Alex's own words." in page


def test_posts_stay_readable_under_a_former_member(client, member):
    run_due(member.sam)
    post = Post.objects.get(pk=member.sam_reply.pk)
    assert post.body == "Sam's answer: **slow mode**."
    page = client.get(post.topic.get_absolute_url()).text
    assert "slow mode" in page and "a former member" in page


def test_posts_asked_to_go_read_removed_by_its_author(client, member):
    run_due(member.sam, remove_posts=True)
    post = Post.objects.get(pk=member.sam_reply.pk)
    assert "slow mode" not in post.body and "slow mode" not in post.body_html
    assert not post.revisions.exists()
    page = client.get(post.topic.get_absolute_url()).text
    assert "Removed by its author." in page and "slow mode" not in page
    topic = Topic.objects.get(pk=member.topic.pk)
    assert topic.title == "A topic removed by its author"


def test_no_email_reaches_the_person_afterwards(member, mailoutbox):
    from portal.digests.mail import send_email
    from portal.digests.models import EmailKind

    run_due(member.sam)
    sam = User.objects.get(pk=member.sam.pk)
    sent = send_email(
        user=sam,
        kind=EmailKind.FORUM_REPLIES,
        subject="A reply",
        template="emails/forum_reply",
        context={},
    )
    assert not sent and not mail.outbox


# --- Idempotent, resumable ------------------------------------------------------------------


def test_running_it_again_changes_nothing(member):
    deletion = run_due(member.sam, remove_posts=True)
    finished_at = deletion.finished_at
    assert not account_deletion_run(
        deletion_id=deletion.pk, now=deletion.due_at + timedelta(days=1)
    )
    deletion.refresh_from_db()
    assert deletion.finished_at == finished_at


def test_a_run_that_died_midway_resumes_and_finishes(member, monkeypatch):
    from portal.core import personal_data

    asked = account_deletion_request(user=member.sam, remove_posts=False)
    real = personal_data.registry

    def dies_at_the_forums():
        entries = real()
        broken = next(e for e in entries if e.model == "forums.Reaction")

        def boom(leaving):
            raise RuntimeError("worker lost")

        return [type(e)(**{**e.__dict__, "erase": boom}) if e is broken else e for e in entries]

    monkeypatch.setattr("portal.accounts.leaving.deletion.registry", dies_at_the_forums)
    with pytest.raises(RuntimeError):
        account_deletion_run(deletion_id=asked.pk, now=asked.due_at)
    asked.refresh_from_db()
    assert asked.started_at and asked.steps_done > 0 and not asked.is_finished
    assert not JournalEntry.objects.filter(user=member.sam).exists()  # done before the crash
    assert Reaction.objects.filter(user=member.sam).exists()

    monkeypatch.setattr("portal.accounts.leaving.deletion.registry", real)
    assert account_deletion_run(deletion_id=asked.pk, now=asked.due_at)
    assert not Reaction.objects.filter(user=member.sam).exists()
    assert User.objects.get(pk=member.sam.pk).username.startswith("former-member-")
    # Signing in cannot cancel a deletion that has begun: the account cannot sign in at all.
    assert not User.objects.get(pk=member.sam.pk).is_active


# --- Through a real worker -----------------------------------------------------------------


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_the_hourly_job_has_a_real_worker_delete_due_accounts(celery_worker, tmp_path):
    from tests.accounts.conftest import make_member

    member = make_member(tmp_path)
    asked = account_deletion_request(user=member.sam, remove_posts=True)
    assert account_deletions_queue(now=asked.due_at - timedelta(minutes=1)) == 0
    AccountDeletion.objects.filter(pk=asked.pk).update(due_at=timezone.now())
    assert account_deletions_queue() == 1
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        asked.refresh_from_db()
        if asked.is_finished:
            break
        time.sleep(0.2)
    assert asked.is_finished
    assert User.objects.get(pk=member.sam.pk).username == f"former-member-{member.sam.pk}"
    assert "slow mode" not in Post.objects.get(pk=member.sam_reply.pk).body


def test_a_digest_about_a_topic_they_posted_last_in_names_a_former_member(client, member):
    from portal.forums.models import Subscription

    Subscription.objects.update_or_create(
        user=member.alex, topic=member.topic, defaults={"level": Subscription.Level.WATCHING}
    )
    client.force_login(member.alex)
    assert "latest from sam_rivers" in client.get(reverse("digest_preview")).text

    run_due(member.sam)
    digest = client.get(reverse("digest_preview")).text
    assert "latest from a former member" in digest
    assert "sam_rivers" not in digest and "Sam Rivers" not in digest
