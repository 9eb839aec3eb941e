"""Mentoring follows blocks. Accounts, a floor below, announces a new block (its
``person_blocked`` signal) instead of importing mentoring."""

from django.dispatch import receiver

from portal.accounts.services import person_blocked
from portal.mentors.services import mentorships_close_for_block


@receiver(person_blocked, dispatch_uid="mentors-close-on-block")
def mentorship_closes_on_block(sender, *, blocker, blocked, **kwargs) -> None:
    mentorships_close_for_block(blocker=blocker, blocked=blocked)
