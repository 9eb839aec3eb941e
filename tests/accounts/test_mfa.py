"""Two-factor login (allauth.mfa): staff and forum moderators need a second factor for their
tools, signing in asks for the code, every change of factor and every used recovery code is
emailed, and a channel owner's openings say when the owner has one."""

from __future__ import annotations

import time

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse

from portal.forums.permissions import FORUM_MODERATORS
from tests.board.factories import ApplicationFactory, OpeningFactory, OpeningReportFactory
from tests.factories import (
    TEST_PASSWORD,
    ChannelFactory,
    UserFactory,
    give_second_factor,
    totp_code,
)

pytestmark = pytest.mark.django_db

EXPLAINED = "Set up two-factor login to use this"

STAFF_TOOLS = [
    reverse("admin:index"),
    reverse("board:reports"),
    reverse("guides:feedback_review"),
    reverse("forums:queue"),
    reverse("forums:moderation_log"),
    reverse("failed_emails"),
]


def person(**kwargs):
    """Someone with a verified address (allauth lets only them turn two-factor login on)."""
    user = UserFactory(**kwargs)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def forum_moderator(**kwargs):
    user = person(**kwargs)
    user.groups.add(Group.objects.get(name=FORUM_MODERATORS))
    return user


def sign_in(client, user):
    """Through allauth's login form, as a person would (not force_login): the password, then
    whatever allauth asks for next."""
    return client.post(
        reverse("account_login"), {"login": user.username, "password": TEST_PASSWORD}
    )


# --- The tools refuse without a second factor -----------------------------------------------


@pytest.mark.parametrize("url", STAFF_TOOLS)
def test_staff_without_a_second_factor_are_refused_their_tools_with_the_reason(client, url):
    client.force_login(person(is_staff=True, is_superuser=True, second_factor=False))
    response = client.get(url)
    assert response.status_code == 403
    page = response.content.decode()
    assert EXPLAINED in page
    assert "can be phished" in page  # why
    assert reverse("mfa_activate_totp") in page and reverse("mfa_add_webauthn") in page  # how


@pytest.mark.parametrize("url", STAFF_TOOLS)
def test_staff_with_an_authenticator_app_use_their_tools(client, url):
    client.force_login(person(is_staff=True, is_superuser=True))
    assert client.get(url).status_code == 200


def test_a_forum_moderator_without_a_second_factor_is_refused_the_review_queue(client):
    moderator = forum_moderator(second_factor=False)
    client.force_login(moderator)
    response = client.get(reverse("forums:queue"))
    assert response.status_code == 403
    assert EXPLAINED in response.content.decode()
    # Moderation of a single post is refused the same way, before anything is looked up.
    refused = client.post(reverse("forums:post_moderate", kwargs={"pk": 999}), {"action": "hide"})
    assert refused.status_code == 403 and EXPLAINED in refused.content.decode()

    give_second_factor(moderator)
    assert client.get(reverse("forums:queue")).status_code == 200


def test_a_member_holding_no_tool_is_refused_as_before_and_not_asked_for_a_factor(client):
    client.force_login(person())
    response = client.get(reverse("forums:queue"))
    assert response.status_code == 403
    assert EXPLAINED not in response.content.decode()


def test_staff_without_a_second_factor_cannot_read_applications_through_a_report(client):
    opening = OpeningFactory()
    application = ApplicationFactory(opening=opening, message="My secret motivation letter")
    OpeningReportFactory(opening=opening)
    staff = person(is_staff=True, second_factor=False)
    client.force_login(staff)
    for url in (application.get_absolute_url(), reverse("board:review", args=[opening.pk])):
        response = client.get(url)
        assert response.status_code == 403
        page = response.content.decode()
        assert EXPLAINED in page and "My secret motivation letter" not in page

    give_second_factor(staff)
    assert "My secret motivation letter" in client.get(application.get_absolute_url()).text


def test_the_admin_signs_in_through_allauth_which_asks_for_the_second_factor(client):
    response = client.get(reverse("admin:login"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


# --- Signing in with a code -----------------------------------------------------------------


def test_signing_in_with_an_authenticator_app_asks_for_its_code(client):
    user = give_second_factor(person(username="night_owl_mod"))

    response = sign_in(client, user)
    assert response.status_code == 302 and response.url == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session  # the password alone signs nobody in

    wrong = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert wrong.status_code == 200 and "Incorrect code" in wrong.text
    assert "_auth_user_id" not in client.session

    right = client.post(reverse("mfa_authenticate"), {"code": totp_code()})
    assert right.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


# --- Emails ---------------------------------------------------------------------------------


def test_using_a_recovery_code_is_emailed_to_the_person(client, django_capture_on_commit_callbacks):
    user = give_second_factor(person())
    codes = RecoveryCodes.activate(user).generate_codes()
    sign_in(client, user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("mfa_authenticate"), {"code": codes[0]})
    assert response.status_code == 302 and client.session["_auth_user_id"] == str(user.pk)

    [message] = mail.outbox
    assert message.to == [user.email]
    assert message.subject == "[Modhall] A recovery code was used to sign in"
    assert "9 unused codes left" in message.body
    assert "change your password now" in message.body


def test_adding_and_removing_an_authenticator_app_is_emailed_and_kept_on_the_profile(
    client, django_capture_on_commit_callbacks
):
    user = person()
    sign_in(client, user)
    # allauth asks for the password again before a factor changes.
    client.post(reverse("account_reauthenticate"), {"password": TEST_PASSWORD})
    assert client.get(reverse("mfa_activate_totp")).status_code == 200
    secret = client.session[SECRET_SESSION_KEY]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("mfa_activate_totp"), {"code": totp_code(secret)}, follow=True
        )
    assert response.status_code == 200
    user.profile.refresh_from_db()
    assert user.profile.has_second_factor
    [added] = mail.outbox
    assert added.to == [user.email] and "Authenticator app activated" in added.body

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("mfa_deactivate_totp"))
    user.profile.refresh_from_db()
    assert not user.profile.has_second_factor
    assert not Authenticator.objects.filter(user=user).exists()
    [removed] = mail.outbox
    assert removed.to == [user.email] and "Authenticator app deactivated" in removed.body


def test_a_password_change_is_emailed(client, django_capture_on_commit_callbacks):
    user = person()
    sign_in(client, user)
    new = "another-long-passphrase-2026"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("account_change_password"),
            {"oldpassword": TEST_PASSWORD, "password1": new, "password2": new},
        )
    [message] = mail.outbox
    assert message.to == [user.email] and "Your password has been changed" in message.body


def test_account_emails_wait_for_the_commit(client, django_capture_on_commit_callbacks):
    """A mail server that is slow or down must not hold or fail the request: the email is
    queued when the transaction commits, and not before."""
    user = person()
    sign_in(client, user)
    new = "another-long-passphrase-2026"
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.post(
            reverse("account_change_password"),
            {"oldpassword": TEST_PASSWORD, "password1": new, "password2": new},
        )
    assert mail.outbox == []
    assert callbacks  # the email waits on the commit


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_a_security_email_is_sent_by_the_worker_after_the_change(celery_worker, client):
    """With a broker (CI), the request only queues the email; a worker on the email queue
    sends it."""
    user = person()
    sign_in(client, user)
    client.post(reverse("account_reauthenticate"), {"password": TEST_PASSWORD})
    client.get(reverse("mfa_activate_totp"))
    secret = client.session[SECRET_SESSION_KEY]
    client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})
    deadline = time.monotonic() + 20
    while not mail.outbox and time.monotonic() < deadline:
        time.sleep(0.05)
    [message] = mail.outbox
    assert message.to == [user.email] and "Authenticator app activated" in message.body


# --- Channel owners -------------------------------------------------------------------------


def test_an_owners_openings_show_the_two_factor_mark_once_they_have_one(client):
    owner = person()
    opening = OpeningFactory(channel=ChannelFactory(owner=owner), title="Night-shift host")
    board = reverse("board:index")
    assert "Night-shift host" in client.get(board).text
    assert "two-factor protected" not in client.get(board).text
    assert "two-factor protected" not in client.get(opening.get_absolute_url()).text

    give_second_factor(owner)  # the cached card and page change with the owner's profile
    assert "two-factor protected" in client.get(board).text
    assert "two-factor protected" in client.get(opening.get_absolute_url()).text

    Authenticator.objects.filter(user=owner).delete()  # removed, here in the admin
    assert "two-factor protected" not in client.get(board).text


def test_channel_owners_are_encouraged_to_set_one_up(client):
    owner = person()
    channel = ChannelFactory(owner=owner)
    OpeningFactory(channel=channel)
    client.force_login(owner)
    encouraged = "Protect your channel's openings with two-factor login"
    assert encouraged in client.get(reverse("board:my_openings")).text
    assert encouraged in client.get(reverse("board:channel_edit", args=[channel.slug])).text

    give_second_factor(owner)
    assert encouraged not in client.get(reverse("board:my_openings")).text


def test_the_authenticator_app_lists_modhall_and_the_username_not_the_email(client):
    user = person(username="night_owl_mod")
    sign_in(client, user)
    client.post(reverse("account_reauthenticate"), {"password": TEST_PASSWORD})
    setup = client.get(reverse("mfa_activate_totp")).context["totp_url"]
    assert setup.startswith("otpauth://totp/night_owl_mod?")
    assert "issuer=Modhall" in setup and "example.com" not in setup


def test_a_passkey_or_security_key_can_be_added_and_used_to_sign_in(client):
    user = person()
    sign_in(client, user)
    client.post(reverse("account_reauthenticate"), {"password": TEST_PASSWORD})
    page = client.get(reverse("mfa_add_webauthn"))
    assert page.status_code == 200
    assert 'name="passwordless"' in page.text  # a passkey that signs in on its own
    # The sign-in page offers a passkey beside the password (allauth's script reads the key).
    client.post(reverse("account_logout"))
    login = client.get(reverse("account_login")).text
    assert "Sign in with a passkey" in login
    assert reverse("mfa_login_webauthn") in login
