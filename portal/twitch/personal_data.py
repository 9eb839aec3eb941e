"""What Twitch features hold about a person: their verified moderation history (exported
with its channels and choices) and any permission still waiting for its job (never exported:
its tokens are secrets; deleted with the account, and revoked on Twitch)."""

from __future__ import annotations

from portal.accounts.models import User
from portal.core.personal_data import Leaving, PersonalData
from portal.twitch.models import ModeratedChannel, ModerationHistory, TwitchGrant


def _history(user: User) -> list[dict]:
    return [
        {
            "status": history.get_status_display(),
            "checked_at": history.checked_at,
            "channel_count": history.channel_count,
            "show_channels": history.show_channels,
            "channels": [
                {
                    "broadcaster_id": channel.broadcaster_id,
                    "login": channel.broadcaster_login,
                    "name": channel.broadcaster_name,
                    "hidden": channel.hidden,
                }
                for channel in history.channels.all()
            ],
        }
        for history in ModerationHistory.objects.filter(user=user).prefetch_related("channels")
    ]


def _grants(user: User) -> list[dict]:
    # What was asked and when; never the code or the tokens.
    return [
        {"for": grant.get_purpose_display(), "given_at": grant.created_at}
        for grant in TwitchGrant.objects.filter(user=user).order_by("created_at")
    ]


def _history_erase(leaving: Leaving) -> None:
    ModeratedChannel.objects.filter(history__user_id=leaving.user_id).delete()
    ModerationHistory.objects.filter(user_id=leaving.user_id).delete()


def _grants_erase(leaving: Leaving) -> None:
    from portal.twitch.jobs import grant_forget

    for grant in TwitchGrant.objects.filter(user_id=leaving.user_id):
        grant_forget(grant=grant)


PERSONAL_DATA = [
    PersonalData(
        model="twitch_api.ModerationHistory",
        title="your verified moderation history",
        export=_history,
        erase=_history_erase,
    ),
    PersonalData(
        model="twitch_api.TwitchGrant",
        title="permissions you gave on Twitch",
        export=_grants,
        erase=_grants_erase,
    ),
]
