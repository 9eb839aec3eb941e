"""Reads: whose Twitch account a person connected, and what of their moderation history a
given reader may see."""

from __future__ import annotations

from dataclasses import dataclass

from allauth.socialaccount.models import SocialAccount

from portal.accounts.models import User
from portal.twitch.models import ModeratedChannel, ModerationHistory


def twitch_user_id_of(user: User) -> str:
    """The Twitch account (its id, which survives a rename) the person logged in with or
    connected; "" when none."""
    if not user.is_authenticated:
        return ""
    uid = (
        SocialAccount.objects.filter(user=user, provider="twitch")
        .values_list("uid", flat=True)
        .first()
    )
    return uid or ""


@dataclass(frozen=True)
class HistoryView:
    """A moderation history as one reader sees it."""

    history: ModerationHistory
    channels: list[ModeratedChannel]  # the ones this reader may see
    is_own: bool


def history_for_reader(*, person: User, reader: User) -> HistoryView | None:
    """The person's history as ``reader`` sees it: the person sees every channel (hidden ones
    marked); others see the count and date, and the channel names only where the person
    chose to show them, never a hidden one. None when there is nothing verified to show
    (and, to others, nothing at all until a check succeeded). Two queries at most."""
    history = ModerationHistory.objects.filter(user=person).first()
    is_own = reader.is_authenticated and reader.pk == person.pk
    if history is None or (not is_own and not history.is_verified):
        return None
    channels = history.channels.all()
    if not is_own:
        channels = channels.filter(hidden=False) if history.show_channels else channels.none()
    return HistoryView(history=history, channels=list(channels), is_own=is_own)
