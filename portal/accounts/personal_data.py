"""What accounts hold about a person, and the third-party rows that hang off the User
(allauth's email addresses and social logins, Django's groups, permissions and admin log):
how each is exported and what deletion does with it (portal/core/personal_data.py)."""

from __future__ import annotations

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialAccount
from allauth.usersessions.models import UserSession
from django.core.files.storage import default_storage

from portal.accounts.models import AvailabilitySlot, Block, DataExport, Profile, User
from portal.core.personal_data import Leaving, PersonalData, delete_in_chunks, rows


def _profile(user: User) -> list[dict]:
    profile = Profile.objects.get(user=user)
    return [
        {
            "username": user.username,
            "email": user.email,
            "date_joined": user.date_joined,
            "last_login": user.last_login,
            "display_name": profile.display_name,
            "bio": profile.bio,
            "twitch_login": profile.twitch_login,
            "twitch_login_verified": profile.twitch_login_verified,
            "timezone": profile.timezone,
            "hours_per_week": profile.hours_per_week,
            "channels_moderated": profile.channels_moderated,
            "moderating_since": profile.moderating_since,
            "open_to_moderating": profile.open_to_moderating,
            "is_public": profile.is_public,
            "age": profile.get_age_group_display() if profile.age_group else None,
            "theme": profile.theme,
            # The file itself is in the archive's files/ folder (_profile_files).
            "avatar": profile.avatar.name.rsplit("/", 1)[-1] if profile.avatar else None,
            "updated_at": profile.updated_at,
        }
    ]


def _profile_files(user: User) -> list[tuple[str, bytes]]:
    """The person's picture, as kept (already cleaned of metadata on upload)."""
    profile = Profile.objects.get(user=user)
    if not profile.avatar:
        return []
    with default_storage.open(profile.avatar.name, "rb") as picture:
        return [(profile.avatar.name.rsplit("/", 1)[-1], picture.read())]


def _availability(user: User) -> list[dict]:
    profile = Profile.objects.get(user=user)
    return [
        {"weekday": day, "from": start, "until": end, "timezone": profile.timezone}
        for day, start, end in profile.availability
    ]


def _roles(user: User) -> list[dict]:
    return list(Profile.objects.get(user=user).roles.order_by("order").values("slug", "name"))


def _languages(user: User) -> list[dict]:
    return list(Profile.objects.get(user=user).languages.order_by("name").values("code", "name"))


def _slots_erase(leaving: Leaving) -> None:
    delete_in_chunks(AvailabilitySlot.objects.filter(profile__user_id=leaving.user_id))


def _roles_erase(leaving: Leaving) -> None:
    Profile.roles.through.objects.filter(profile__user_id=leaving.user_id).delete()


def _languages_erase(leaving: Leaving) -> None:
    Profile.languages.through.objects.filter(profile__user_id=leaving.user_id).delete()


def _profile_erase(leaving: Leaving) -> None:
    # Blanked, not deleted: every author line reads the profile (and keys its cached
    # fragment on the profile's updated_at, which this save moves), so the row stays and
    # says only "a former member".
    from portal.accounts.leaving.deletion import profile_blank

    profile_blank(user_id=leaving.user_id)


def _groups_erase(leaving: Leaving) -> None:
    User.groups.through.objects.filter(user_id=leaving.user_id).delete()


def _permissions_erase(leaving: Leaving) -> None:
    User.user_permissions.through.objects.filter(user_id=leaving.user_id).delete()


def _emails(user: User) -> list[dict]:
    return rows(EmailAddress.objects.filter(user=user), "email", "verified", "primary")


def _emails_erase(leaving: Leaving) -> None:
    delete_in_chunks(EmailAddress.objects.filter(user_id=leaving.user_id))


def _social(user: User) -> list[dict]:
    return rows(
        SocialAccount.objects.filter(user=user), "provider", "uid", "last_login", "date_joined"
    )


def _social_erase(leaving: Leaving) -> None:
    # Their tokens go with them (SocialToken cascades).
    delete_in_chunks(SocialAccount.objects.filter(user_id=leaving.user_id))


def _factors(user: User) -> list[dict]:
    # What kind and when, never the secrets or the recovery codes themselves.
    return rows(Authenticator.objects.filter(user=user), "type", "created_at", "last_used_at")


def _factors_erase(leaving: Leaving) -> None:
    delete_in_chunks(Authenticator.objects.filter(user_id=leaving.user_id))


def _sessions(user: User) -> list[dict]:
    return rows(
        UserSession.objects.filter(user=user), "created_at", "last_seen_at", "ip", "user_agent"
    )


def _sessions_erase(leaving: Leaving) -> None:
    # The sessions themselves already ended when the deletion began (deletion.sessions_end).
    delete_in_chunks(UserSession.objects.filter(user_id=leaving.user_id))


def _blocks(user: User) -> list[dict]:
    # Whom the person blocks, by handle; who blocks them is not theirs to learn.
    return [
        {"blocked": block.blocked.username, "since": block.created_at}
        for block in Block.objects.filter(blocker=user).select_related("blocked")
    ]


def _blocks_erase(leaving: Leaving) -> None:
    # Both ways: the person's own list, and others' blocks of an account that is gone.
    delete_in_chunks(Block.objects.filter(blocker_id=leaving.user_id))
    delete_in_chunks(Block.objects.filter(blocked_id=leaving.user_id))


def _exports_erase(leaving: Leaving) -> None:
    from portal.accounts.leaving.exports import data_export_discard

    for export in DataExport.objects.filter(user_id=leaving.user_id):
        data_export_discard(export=export)


PERSONAL_DATA = [
    PersonalData(
        model="accounts.Profile",
        title="your profile",
        export=_profile,
        markdown="bio",
        files=_profile_files,
        erase=_profile_erase,
    ),
    PersonalData(
        model="accounts.AvailabilitySlot",
        title="when you are around",
        export=_availability,
        erase=_slots_erase,
    ),
    PersonalData(
        model="accounts.Profile_roles",
        title="the roles you play",
        export=_roles,
        erase=_roles_erase,
    ),
    PersonalData(
        model="accounts.Profile_languages",
        title="your languages",
        export=_languages,
        erase=_languages_erase,
    ),
    PersonalData(
        model="accounts.User_groups",
        title="your groups",
        export=lambda user: list(user.groups.order_by("name").values("name")),
        erase=_groups_erase,
    ),
    PersonalData(
        model="accounts.User_user_permissions",
        title="your permissions",
        export=lambda user: list(user.user_permissions.order_by("codename").values("codename")),
        erase=_permissions_erase,
    ),
    PersonalData(
        model="accounts.Block",
        title="people you block",
        export=_blocks,
        erase=_blocks_erase,
    ),
    PersonalData(
        model="account.EmailAddress",
        title="your email addresses",
        export=_emails,
        erase=_emails_erase,
    ),
    PersonalData(
        model="socialaccount.SocialAccount",
        title="your Twitch login",
        export=_social,
        erase=_social_erase,
    ),
    PersonalData(
        model="mfa.Authenticator",
        title="your second factors",
        export=_factors,
        erase=_factors_erase,
    ),
    PersonalData(
        model="usersessions.UserSession",
        title="where you are signed in",
        export=_sessions,
        erase=_sessions_erase,
    ),
    PersonalData(
        model="accounts.DataExport",
        title="your exports",
        erase=_exports_erase,
        not_exported_because="the archives themselves; each lasts a week",
    ),
    PersonalData(
        model="accounts.AccountDeletion",
        title="your deletion",
        kept_because="the record that this account was deleted, and when; it names no one",
        not_exported_because="a deleted account cannot export",
    ),
    PersonalData(
        model="admin.LogEntry",
        title="admin changes",
        kept_because="staff's record of changes made in the admin; it points at the "
        "anonymised account",
        not_exported_because="staff records of the site, not the person's data",
    ),
]
