"""Writes to people and profiles. Views and signals call these; nothing else saves a profile."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone

from portal.accounts.models import (
    AgeGroup,
    AvailabilitySlot,
    Block,
    Language,
    Profile,
    Role,
    Theme,
    User,
)
from portal.core.schedule import Window
from portal.markup import render_markdown


def user_create(*, username: str, email: str, password: str | None = None, **extra: object) -> User:
    """Create a person (and, through User.save, their profile). Used by demo data and tests;
    sign-ups go through allauth."""
    user = User(username=username, email=email, **extra)
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    return user


# Sent with ``user`` inside profile_update's transaction when a person's time zone changes.
# Apps on the floors above react to it (digests move the next one to the new local hour), so
# accounts need not import them.
timezone_changed = Signal()

# Sent with ``blocker`` and ``blocked`` inside block_create's transaction when a new block is
# made. Apps above react (mentoring ends a mentorship between the two), so accounts need not
# import them; none of them tells the blocked person.
person_blocked = Signal()


@transaction.atomic
def profile_update(
    *,
    profile: Profile,
    display_name: str,
    bio: str,
    twitch_login: str,
    roles: Iterable[Role],
    languages: Iterable[Language],
    timezone: str,
    hours_per_week: int | None,
    windows: list[Window],
    channels_moderated: int,
    moderating_since: date | None,
    open_to_moderating: bool,
    is_public: bool,
    age_group: str = AgeGroup.NOT_STATED,
) -> Profile:
    moved_timezone = profile.timezone != timezone
    profile.display_name = display_name
    profile.bio = bio
    profile.bio_html = render_markdown(bio)
    profile.twitch_login = twitch_login.strip().lower()
    profile.timezone = timezone
    profile.hours_per_week = hours_per_week
    profile.availability = [w.as_json() for w in windows]
    profile.channels_moderated = channels_moderated
    profile.moderating_since = moderating_since
    profile.open_to_moderating = open_to_moderating
    profile.age_group = age_group
    # A member under 18 is never listed or seen by others, whatever else was sent.
    profile.is_public = is_public and not profile.under_18
    profile.full_clean()
    profile.save()
    profile.roles.set(roles)
    profile.languages.set(languages)
    profile_slots_refresh(profile=profile)
    if moved_timezone:
        timezone_changed.send(sender=Profile, user=profile.user)
    return profile


def profile_theme_set(*, profile: Profile, theme: Theme) -> None:
    """Keeps the person's light or dark choice. An UPDATE of that column alone: it changes no
    fragment anyone sees, so the profile's updated_at (a key of the fragments that show the
    person) stays where it is."""
    Profile.objects.filter(pk=profile.pk).update(theme=theme)
    profile.theme = theme


def profile_slots_refresh(*, profile: Profile) -> None:
    """Rewrite the rows of the profile's availability that overlap queries read: its
    windows as written, in its timezone (placed in a week only when a query asks)."""
    AvailabilitySlot.objects.filter(profile=profile).delete()
    AvailabilitySlot.objects.bulk_create(
        AvailabilitySlot.written(window, profile.timezone, profile=profile)
        for window in profile.windows
    )


def profile_roles_set(*, profile: Profile, roles: Iterable[Role]) -> None:
    """Set the roles a person plays (the role questionnaire offers this)."""
    profile.roles.set(roles)


def twitch_login_record(*, user: User, login: str) -> None:
    """Remember the Twitch login a person proved by logging in with Twitch.

    Only this function sets ``twitch_login_verified``, and only allauth's Twitch login calls
    it: a login typed into a form is a claim, this one is a fact.
    """
    login = (login or "").strip().lower()
    if not login:
        return
    profile = user.profile
    changed = profile.twitch_login_verified != login or profile.twitch_login != login
    if changed:
        profile.twitch_login_verified = login
        profile.twitch_login = login
        profile.save(update_fields=["twitch_login_verified", "twitch_login", "updated_at"])


def profile_second_factor_refresh(*, user_id: int) -> bool:
    """Set ``Profile.has_second_factor`` from the person's authenticators, as allauth's login
    decides whether to ask for a second factor, and return it. Moves ``updated_at`` when it
    changes, so the board's cached cards that show the "two-factor protected" mark change key.
    """
    from allauth.mfa.models import Authenticator  # an installed app's model, read when called

    has_one = Authenticator.objects.filter(user_id=user_id).exists()
    Profile.objects.filter(user_id=user_id).exclude(has_second_factor=has_one).update(
        has_second_factor=has_one, updated_at=timezone.now()
    )
    return has_one


def session_last_seen_note(*, session_key: str | None, user_id: int) -> None:
    """Note that the person's session was used now (the sessions page's "last used")."""
    from allauth.usersessions.models import UserSession

    if session_key:
        UserSession.objects.filter(session_key=session_key, user_id=user_id).update(
            last_seen_at=timezone.now()
        )


def session_end(*, user: User, session_id: int, current_key: str | None) -> bool:
    """Sign the person out of one of their other sessions (another browser, a lost phone).
    Returns False when there is no such session of theirs, or it is the one asking: this
    browser signs out with "Log out"."""
    from allauth.usersessions.adapter import get_adapter
    from allauth.usersessions.models import UserSession

    session = UserSession.objects.filter(pk=session_id, user_id=user.pk).first()
    if session is None or session.session_key == current_key:
        return False
    get_adapter().end_sessions([session])
    return True


def session_end_others(*, user: User, current_key: str | None) -> int:
    """Sign the person out everywhere but here; returns how many sessions ended."""
    from allauth.usersessions.adapter import get_adapter
    from allauth.usersessions.models import UserSession

    others = list(UserSession.objects.filter(user_id=user.pk).exclude(session_key=current_key))
    get_adapter().end_sessions(others)
    return len(others)


def tool_group_refresh(*, user_ids: Iterable[int]) -> None:
    """Work out ``User.in_tool_group`` again for these people, from their groups (one
    statement, whatever the number)."""
    from django.conf import settings
    from django.db.models import Exists, OuterRef

    ids = set(user_ids)
    if not ids:
        return
    in_group = User.groups.through.objects.filter(
        user_id=OuterRef("pk"), group__name__in=settings.SECOND_FACTOR_GROUPS
    )
    User.objects.filter(pk__in=ids).update(in_tool_group=Exists(in_group))


@transaction.atomic
def block_create(*, blocker: User, blocked: User) -> Block:
    """Keeps ``blocked`` away from ``blocker``. Idempotent; the blocked person is not told."""
    if blocker.pk == blocked.pk:
        raise ValueError("A person cannot block themselves.")
    block, created = Block.objects.get_or_create(blocker=blocker, blocked=blocked)
    if created:
        person_blocked.send(sender=Block, blocker=blocker, blocked=blocked)
    return block


def block_delete(*, blocker: User, blocked_id: int) -> bool:
    """Lifts a block; False when there was none."""
    deleted, _ = Block.objects.filter(blocker=blocker, blocked_id=blocked_id).delete()
    return bool(deleted)
