"""People: the custom User, their public profile, the roles they play and when they are around."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Value
from django.db.models.functions import Concat, Lower
from django.urls import reverse

from portal.core.models import WeeklySlot
from portal.core.schedule import Window, validate_timezone


class Role(models.Model):
    """A role a moderator plays in a channel (see roles.py); seeded by a migration."""

    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=60)
    description = models.TextField()
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order"]

    def __str__(self) -> str:
        return self.name


class Language(models.Model):
    code = models.CharField(max_length=8, unique=True)
    name = models.CharField(max_length=60)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """A person on Modhall. The username is their public handle; the email stays private."""

    # The header's count on every signed-in page, read with the person at no extra query;
    # kept by the forums' notification services (portal/forums/services/unread.py).
    unread_notifications = models.PositiveIntegerField(default=0, editable=False)
    # The header's "Messages" count: private conversations with a message the person has
    # not read, kept the same way (portal/forums/services/unread.py).
    unread_conversations = models.PositiveIntegerField(default=0, editable=False)
    # Whether the person is in a group that holds tools (settings.SECOND_FACTOR_GROUPS: the
    # forum moderators), kept by signals.py whenever group memberships change. The header
    # asks on every page whether to show the Review entry; with this, a member who holds no
    # tool is ruled out from the row already read, rather than by a query on the groups.
    # Only a first sieve: the tools' own permission checks still decide.
    in_tool_group = models.BooleanField(default=False, editable=False)
    # When the person (site staff) last opened the guide feedback page: what is newer counts
    # as new in the header's Review count.
    guide_feedback_seen_at = models.DateTimeField(null=True, blank=True, editable=False)

    def __str__(self) -> str:
        return self.username

    def save(self, *args, **kwargs) -> None:
        adding = self._state.adding
        super().save(*args, **kwargs)
        # Every person has exactly one profile, however the account was made (sign-up,
        # Twitch, createsuperuser, the admin, a test factory): creating it here is the one
        # place that covers them all.
        if adding:
            Profile.objects.get_or_create(user=self)

    @property
    def display_name(self) -> str:
        return self.profile.display_name or self.username


class Theme(models.TextChoices):
    """How the site looks to the person: following their device's light or dark setting, or
    always one of them (portal/accounts/theme.py puts it on every page)."""

    SYSTEM = "system", "Same as my device"
    LIGHT = "light", "Light"
    DARK = "dark", "Dark"


class AgeGroup(models.TextChoices):
    """What a person says of their age (Modhall asks no birth date). Not saying counts as
    under 18 wherever safety depends on it (mentoring, who may write to whom); only a
    stated "under 18" keeps the profile private, since most members never say."""

    NOT_STATED = "", "I'd rather not say"
    ADULT = "adult", "18 or older"
    UNDER_18 = "under_18", "Under 18"


class ProfileQuerySet(models.QuerySet):
    def public(self) -> ProfileQuerySet:
        return self.filter(is_public=True, user__is_active=True)

    def open_to_moderating(self) -> ProfileQuerySet:
        return self.public().filter(open_to_moderating=True)


class Profile(models.Model):
    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="profile")
    display_name = models.CharField(max_length=60, blank=True)
    bio = models.TextField(blank=True, help_text="Markdown. Tell people how you moderate.")
    bio_html = models.TextField(blank=True, editable=False)
    twitch_login = models.CharField(
        "Twitch login",
        max_length=25,
        blank=True,
        help_text="Your Twitch username, as you typed it. Verified when you log in with Twitch.",
    )
    # Set only from a real Twitch login (OAuth), never from a form: it is what makes a
    # channel "verified".
    twitch_login_verified = models.CharField(max_length=25, blank=True, editable=False)
    roles = models.ManyToManyField(Role, blank=True, related_name="profiles")
    languages = models.ManyToManyField(Language, blank=True, related_name="profiles")
    timezone = models.CharField(max_length=64, default="UTC", validators=[validate_timezone])
    hours_per_week = models.PositiveSmallIntegerField(null=True, blank=True)
    # Windows in the person's own timezone, as [weekday, "HH:MM", "HH:MM"] lists; the same
    # windows as rows, for overlap queries, are in AvailabilitySlot.
    availability = models.JSONField(default=list, blank=True)
    channels_moderated = models.PositiveSmallIntegerField(default=0)
    moderating_since = models.DateField(null=True, blank=True)
    open_to_moderating = models.BooleanField(
        "open to moderating new channels", default=False, db_index=True
    )
    is_public = models.BooleanField("public profile", default=True)
    # Said by the person themselves: a stated "under 18" keeps the profile private
    # (profile_update and the form see to it), which keeps it off the moderators list too.
    age_group = models.CharField(
        "age", max_length=8, choices=AgeGroup.choices, default=AgeGroup.NOT_STATED, blank=True
    )
    # Whether the person signs in with a second factor (an authenticator app or a passkey or
    # security key), kept by signals.py from allauth's authenticators. On the profile so the
    # board can mark a channel owner's openings "two-factor protected" from the row it already
    # reads, and so the fragments showing the mark change key with updated_at.
    has_second_factor = models.BooleanField(default=False, editable=False)
    theme = models.CharField(max_length=6, choices=Theme.choices, default=Theme.SYSTEM)
    # A square picture, already resized and stripped of its metadata (portal/accounts/
    # avatars.py), kept through the default storage so every web server reads the same file.
    # Without one, pages draw the person's initials.
    avatar = models.ImageField(upload_to="avatars/", blank=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    # What the directory's search reads (board/selectors/search.py): the name, bio and Twitch
    # login in lower case, kept by the database itself whatever writes the row. Upper-casing
    # every bio for every word searched was most of a search's cost (about 28 ms against 4
    # on 10,000 profiles).
    search_text = models.GeneratedField(
        expression=Lower(
            Concat(
                "display_name",
                Value(" "),
                "bio",
                Value(" "),
                "twitch_login",
                output_field=models.TextField(),
            )
        ),
        output_field=models.TextField(),
        db_persist=True,
    )

    objects = ProfileQuerySet.as_manager()

    def __str__(self) -> str:
        return f"Profile of {self.user.username}"

    def get_absolute_url(self) -> str:
        return reverse("accounts:profile", kwargs={"username": self.user.username})

    @property
    def windows(self) -> list[Window]:
        return [Window.from_json(w) for w in self.availability]

    @property
    def twitch_verified(self) -> bool:
        return bool(self.twitch_login_verified)

    @property
    def under_18(self) -> bool:
        """Said they are under 18: their profile stays private."""
        return self.age_group == AgeGroup.UNDER_18

    @property
    def is_adult(self) -> bool:
        """Said they are 18 or older; anyone else counts as under 18 where safety depends
        on it."""
        return self.age_group == AgeGroup.ADULT


class AvailabilitySlot(WeeklySlot):
    """One window of a profile's availability, as written in the profile's timezone (see
    WeeklySlot): what "overlaps my availability" and "around when" queries read."""

    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="slots")

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(local_start__lt=models.F("local_end"), weekday__lte=6),
                name="availability_slot_starts_before_end",
            )
        ]


class BlockQuerySet(models.QuerySet):
    def between(self, a_id: int, b_id: int) -> BlockQuerySet:
        """Blocks either way between two people."""
        return self.filter(
            models.Q(blocker_id=a_id, blocked_id=b_id) | models.Q(blocker_id=b_id, blocked_id=a_id)
        )


class Block(models.Model):
    """One member keeping another away from them. The blocked person is never told: they
    cannot start a conversation with, mention (to any effect), invite or apply to the
    blocker, and the blocker sees their forum posts collapsed."""

    blocker = models.ForeignKey(User, on_delete=models.CASCADE, related_name="blocks_made")
    blocked = models.ForeignKey(User, on_delete=models.CASCADE, related_name="blocks_received")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = BlockQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["blocker", "blocked"], name="one_block_per_pair"),
            models.CheckConstraint(
                condition=~models.Q(blocker=models.F("blocked")), name="block_not_oneself"
            ),
        ]
        # "Whom does this person block" (their list, collapsing posts) is the unique
        # constraint's index; "who blocks this person" needs its own.
        indexes = [models.Index(fields=["blocked", "blocker"], name="block_by_blocked")]

    def __str__(self) -> str:
        return f"{self.blocker} blocks {self.blocked}"


class DataExportQuerySet(models.QuerySet):
    def expired(self, *, now) -> DataExportQuerySet:
        return self.filter(expires_at__lte=now)


class DataExport(models.Model):
    """One archive of everything Modhall holds about a person (portal/accounts/leaving/).

    Built by a Celery task, which moves ``progress`` as it goes so the page can show it; kept
    in the "exports" storage until ``expires_at`` and served only to its person."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        BUILDING = "building", "Being built"
        READY = "ready", "Ready to download"
        FAILED = "failed", "Could not be built"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="data_exports")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    # Percent done, and the kind of data being gathered now (shown on the page).
    progress = models.PositiveSmallIntegerField(default=0)
    step = models.CharField(max_length=80, blank=True)
    # The archive's name in the "exports" storage; random, never derived from the person.
    file_name = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(db_index=True)

    objects = DataExportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Export {self.pk} ({self.status})"

    def get_absolute_url(self) -> str:
        return reverse("accounts:export_download", kwargs={"pk": self.pk})

    @property
    def is_pending(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.BUILDING)


class AccountDeletion(models.Model):
    """A person's request to leave Modhall: due after a grace period (signing in during it
    cancels it), then carried out by a Celery task in chunks (portal/accounts/leaving/)."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="deletion")
    requested_at = models.DateTimeField()
    due_at = models.DateTimeField(db_index=True)
    # The person also asked for their forum posts to go ("removed by its author").
    remove_posts = models.BooleanField(default=False)
    started_at = models.DateTimeField(null=True, blank=True)
    # How many kinds of data (entries of the registry, in order) are done: a re-run resumes.
    steps_done = models.PositiveSmallIntegerField(default=0)
    finished_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Deletion of account {self.user_id}"

    @property
    def is_finished(self) -> bool:
        return self.finished_at is not None
