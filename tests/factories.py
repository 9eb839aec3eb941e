"""Typed factories for tests. Each builds rows the way the services would."""

from __future__ import annotations

import factory
from factory.django import DjangoModelFactory

from portal.accounts.models import User
from portal.board.models import Channel

TEST_PASSWORD = "a-long-test-passphrase"
# The authenticator-app secret of every person a test gives a second factor (base32).
TEST_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def give_second_factor(user: User) -> User:
    """Give the person an authenticator app, as allauth's setup page does; their profile
    says so (Profile.has_second_factor, kept by portal/accounts/signals.py)."""
    from allauth.mfa.totp.internal.auth import TOTP

    TOTP.activate(user, TEST_TOTP_SECRET)
    user.profile.refresh_from_db()
    return user


def totp_code(secret: str = TEST_TOTP_SECRET, *, at: float | None = None) -> str:
    """The code an authenticator app shows for ``secret`` now (or at the Unix time ``at``),
    computed by allauth's own TOTP functions."""
    import time

    from allauth.mfa import app_settings
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    counter = int(time.time() if at is None else at) // app_settings.TOTP_PERIOD
    return format_hotp_value(hotp_value(secret, counter))


def totp_code_to_type(secret: str = TEST_TOTP_SECRET, *, seconds_needed: float = 10) -> str:
    """A code for a browser to type, read once it will stay valid for ``seconds_needed`` more:
    a code read just before its period ends would be stale by the time a busy machine's
    browser sent it (allauth accepts only the current period's code)."""
    import time

    from allauth.mfa import app_settings

    left = app_settings.TOTP_PERIOD - time.time() % app_settings.TOTP_PERIOD
    if left < seconds_needed:
        time.sleep(left + 0.1)
    return totp_code(secret)


class UserFactory(DjangoModelFactory[User]):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"person{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    password = factory.django.Password(TEST_PASSWORD)

    @factory.post_generation
    def second_factor(obj, create, extracted, **kwargs):
        """Staff and superusers sign in with a second factor, as the portal requires of them
        for their tools; ``second_factor=False`` makes one who has not set it up yet, and
        ``second_factor=True`` gives anyone one."""
        wanted = extracted if extracted is not None else (obj.is_staff or obj.is_superuser)
        if create and wanted:
            give_second_factor(obj)


class ChannelFactory(DjangoModelFactory[Channel]):
    class Meta:
        model = Channel

    owner = factory.SubFactory(UserFactory)
    name = factory.Sequence(lambda n: f"Channel {n}")
    slug = factory.Sequence(lambda n: f"channel-{n}")
    twitch_login = factory.Sequence(lambda n: f"channel_{n}")
