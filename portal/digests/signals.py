"""Digests follow a person's time zone. Accounts, a floor below, announces the change (its
``timezone_changed`` signal) instead of importing digests."""

from django.dispatch import receiver

from portal.accounts.services import timezone_changed
from portal.digests.services import digest_reschedule


@receiver(timezone_changed, dispatch_uid="digests-follow-the-time-zone")
def digest_follows_the_time_zone(sender, *, user, **kwargs) -> None:
    # Digests are due at a local hour: a new time zone moves the next one.
    digest_reschedule(user=user)
