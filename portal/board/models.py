"""The recruitment board: channels, their openings, the questions an opening asks, the
applications moderators send, each application's history, invitations and reports.

What the public may see is decided in one place, ``OpeningQuerySet``: ``visible()`` (open and
not past its closing date) feeds every list, search and feed, and ``published()`` (ever made
public and not removed by staff) decides which opening pages exist for people other than the
owner and staff. Drafts and removed openings never reach a stranger.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import models
from django.db.models import Value
from django.db.models.functions import Concat, Lower
from django.urls import reverse
from django.utils import timezone

from portal.accounts.models import Language, Role
from portal.core.models import WeeklySlot
from portal.core.schedule import Window, validate_timezone


class ChannelQuerySet(models.QuerySet):
    def with_owner(self) -> ChannelQuerySet:
        return self.select_related("owner", "owner__profile")


class Channel(models.Model):
    """A live-stream channel, registered on Modhall by the person who runs it."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="channels"
    )
    name = models.CharField(max_length=80)
    slug = models.SlugField(max_length=90, unique=True)
    twitch_login = models.CharField("Twitch login", max_length=25)
    category = models.CharField(
        max_length=80, blank=True, help_text="What the channel mostly streams."
    )
    languages = models.ManyToManyField(Language, blank=True, related_name="channels")
    typical_viewers = models.PositiveIntegerField(
        default=0, help_text="Average concurrent viewers on a usual stream."
    )
    timezone = models.CharField(max_length=64, default="UTC", validators=[validate_timezone])
    description = models.TextField(blank=True)
    description_html = models.TextField(blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    # Moved (F("version") + 1) by every write to the row, in the same statement: pages key
    # their cached fragments of this channel on it (templates/board/includes/opening_card.html).
    version = models.PositiveIntegerField(default=1, editable=False)
    # Set when its owner deleted their account: the channel left the board (its page is gone,
    # its openings closed, its name and Twitch login cleared) but the openings people applied
    # to keep their history.
    left_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = ChannelQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            # One registration per Twitch channel, whatever the letter case.
            models.UniqueConstraint(Lower("twitch_login"), name="channel_twitch_login_unique")
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("board:channel", kwargs={"slug": self.slug})

    @property
    def is_verified(self) -> bool:
        return channel_is_verified(
            twitch_login=self.twitch_login,
            owner_verified_login=self.owner.profile.twitch_login_verified,
        )


def channel_is_verified(*, twitch_login: str, owner_verified_login: str | None) -> bool:
    """Verified when its owner proved, by logging in with Twitch, that they are it. (A
    function too, for lists that read these two values without loading the models.)"""
    return bool(owner_verified_login) and owner_verified_login == twitch_login.lower()


class Compensation(models.TextChoices):
    VOLUNTEER = "volunteer", "Volunteer"
    PAID = "paid", "Paid"
    OTHER = "other", "Other"


class OpeningStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    OPEN = "open", "Open"
    PAUSED = "paused", "Paused"
    FILLED = "filled", "Filled"
    CLOSED = "closed", "Closed"
    EXPIRED = "expired", "Expired"
    REMOVED = "removed", "Removed by staff"


# Statuses whose page stays up for everyone (with a banner when not open).
PUBLISHED_STATUSES = [
    OpeningStatus.OPEN,
    OpeningStatus.PAUSED,
    OpeningStatus.FILLED,
    OpeningStatus.CLOSED,
    OpeningStatus.EXPIRED,
]


class OpeningQuerySet(models.QuerySet):
    def visible(self, *, now: datetime | None = None) -> OpeningQuerySet:
        """Open and not past the closing date: the only openings lists and feeds show."""
        return self.filter(status=OpeningStatus.OPEN, expires_at__gt=now or timezone.now())

    def published(self) -> OpeningQuerySet:
        """Openings whose page anyone may read: everything but drafts and removed ones."""
        return self.filter(status__in=PUBLISHED_STATUSES)

    def readable_by(self, user) -> OpeningQuerySet:
        """Openings whose page this person may read: published ones, plus their own (drafts,
        removed) and, for staff, every one."""
        if user.is_staff:
            return self
        if not user.is_authenticated:
            return self.published()
        return self.filter(models.Q(status__in=PUBLISHED_STATUSES) | models.Q(channel__owner=user))

    def for_cards(self) -> OpeningQuerySet:
        """What a list of openings shows, in a fixed number of queries."""
        return self.select_related("channel", "channel__owner", "channel__owner__profile")

    def newest(self) -> OpeningQuerySet:
        return self.order_by("-published_at", "-pk")

    def closing_soon(self) -> OpeningQuerySet:
        return self.order_by("expires_at", "pk")


class Opening(models.Model):
    """A channel's call for moderators. Its owner is the channel's owner."""

    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="openings")
    title = models.CharField(max_length=120)
    roles = models.ManyToManyField(Role, related_name="openings")
    languages = models.ManyToManyField(Language, blank=True, related_name="openings")
    description = models.TextField()
    description_html = models.TextField(editable=False)
    requirements = models.TextField(blank=True)
    requirements_html = models.TextField(blank=True, editable=False)
    # Windows as written, in ``timezone`` (the channel's when saved); the same windows as
    # rows, for the "overlaps my availability" query, are in OpeningSlot.
    schedule = models.JSONField(default=list, blank=True)
    timezone = models.CharField(max_length=64, default="UTC", validators=[validate_timezone])
    hours_per_week = models.PositiveSmallIntegerField()
    compensation = models.CharField(
        max_length=10, choices=Compensation.choices, default=Compensation.VOLUNTEER
    )
    compensation_note = models.CharField(max_length=200, blank=True)
    trial_days = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Length of the trial period in days, if there is one."
    )
    status = models.CharField(
        max_length=10, choices=OpeningStatus.choices, default=OpeningStatus.DRAFT
    )
    # The last day applications are taken, in the opening's timezone; ``expires_at`` is the
    # end of that day as an instant, which is what queries compare with.
    closes_on = models.DateField()
    expires_at = models.DateTimeField()
    published_at = models.DateTimeField(null=True, blank=True)
    reminder_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    removed_reason = models.TextField(blank=True)
    removed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Moved (F("version") + 1) by every write to the row or to what it owns (roles,
    # languages, questions, slots), in the same statement: the board's card and the opening's
    # page key their cached fragments on it.
    version = models.PositiveIntegerField(default=1, editable=False)
    # What the board's search reads (selectors/search.py): the title and description in lower
    # case, kept by the database itself whatever writes the row. Upper-casing every opening's
    # description for every word searched was most of a search's cost (about 12 ms against 2
    # on 3,000 openings).
    search_text = models.GeneratedField(
        expression=Lower(
            Concat("title", Value(" "), "description", output_field=models.TextField())
        ),
        output_field=models.TextField(),
        db_persist=True,
    )

    objects = OpeningQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "expires_at"], name="opening_status_expires"),
            models.Index(fields=["status", "published_at"], name="opening_status_published"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(hours_per_week__gte=1, hours_per_week__lte=168),
                name="opening_hours_in_a_week",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("board:opening", kwargs={"pk": self.pk})

    def is_owned_by(self, user) -> bool:
        return user.is_authenticated and self.channel.owner_id == user.pk

    @property
    def windows(self) -> list[Window]:
        return [Window.from_json(w) for w in self.schedule]

    @property
    def is_past_closing(self) -> bool:
        return self.expires_at <= timezone.now()

    @property
    def shown_status(self) -> str:
        """The status a reader sees: an open opening past its date is expired even before
        the hourly job writes it down."""
        if self.status == OpeningStatus.OPEN and self.is_past_closing:
            return OpeningStatus.EXPIRED
        return self.status

    @property
    def shown_status_label(self) -> str:
        return OpeningStatus(self.shown_status).label

    @property
    def takes_applications(self) -> bool:
        return self.shown_status == OpeningStatus.OPEN

    @property
    def is_published(self) -> bool:
        return self.status in PUBLISHED_STATUSES


class OpeningSlot(WeeklySlot):
    """One window of an opening's schedule, as written in the opening's timezone (see
    WeeklySlot), like AvailabilitySlot: what "overlaps my availability" reads."""

    opening = models.ForeignKey(Opening, on_delete=models.CASCADE, related_name="slots")

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(local_start__lt=models.F("local_end"), weekday__lte=6),
                name="opening_slot_starts_before_end",
            )
        ]


class QuestionKind(models.TextChoices):
    SHORT = "short", "Short text"
    PARAGRAPH = "paragraph", "Paragraph"
    CHOICE = "choice", "Single choice"


MAX_QUESTIONS = 10


class Question(models.Model):
    """One of an opening's own application questions (at most MAX_QUESTIONS)."""

    opening = models.ForeignKey(Opening, on_delete=models.CASCADE, related_name="questions")
    order = models.PositiveSmallIntegerField(default=0)
    prompt = models.CharField(max_length=300)
    kind = models.CharField(max_length=10, choices=QuestionKind.choices, default=QuestionKind.SHORT)
    choices = models.JSONField(default=list, blank=True)
    required = models.BooleanField(default=True)

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.prompt


class ApplicationStatus(models.TextChoices):
    SUBMITTED = "submitted", "Submitted"
    SHORTLISTED = "shortlisted", "Shortlisted"
    TRIAL = "trial", "On trial"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"
    WITHDRAWN = "withdrawn", "Withdrawn"


# Where the owner may move an application from each status. Forward only: a decision
# (accepted, declined) or a withdrawal is final.
REVIEW_STEPS: dict[str, list[str]] = {
    ApplicationStatus.SUBMITTED: [
        ApplicationStatus.SHORTLISTED,
        ApplicationStatus.TRIAL,
        ApplicationStatus.ACCEPTED,
        ApplicationStatus.DECLINED,
    ],
    ApplicationStatus.SHORTLISTED: [
        ApplicationStatus.TRIAL,
        ApplicationStatus.ACCEPTED,
        ApplicationStatus.DECLINED,
    ],
    ApplicationStatus.TRIAL: [ApplicationStatus.ACCEPTED, ApplicationStatus.DECLINED],
    ApplicationStatus.ACCEPTED: [],
    ApplicationStatus.DECLINED: [],
    ApplicationStatus.WITHDRAWN: [],
}
UNDECIDED = [ApplicationStatus.SUBMITTED, ApplicationStatus.SHORTLISTED, ApplicationStatus.TRIAL]


class ApplicationQuerySet(models.QuerySet):
    def for_review(self) -> ApplicationQuerySet:
        # The verified moderation history comes in the same statement (one row per person).
        return self.select_related(
            "applicant", "applicant__profile", "applicant__moderation_history"
        )

    def undecided(self) -> ApplicationQuerySet:
        return self.filter(status__in=UNDECIDED)

    def readable_by(self, user) -> ApplicationQuerySet:
        """Applications this person may read: their own and those to their openings. Staff
        read others only through an open report on the opening, and the page that shows one
        writes each read into the moderation log (StaffRead). Nobody else learns that an
        application exists."""
        if not user.is_authenticated:
            return self.none()
        parties = models.Q(applicant=user) | models.Q(opening__channel__owner=user)
        if user.is_staff:
            reported = OpeningReport.objects.unresolved().filter(opening=models.OuterRef("opening"))
            parties |= models.Q(models.Exists(reported))
        return self.filter(parties)


class Application(models.Model):
    """A moderator's application to an opening: their answers, a message, and (live) their
    profile. Seen by the applicant and the channel's owner; by staff only through a report
    on the opening, each read logged."""

    opening = models.ForeignKey(Opening, on_delete=models.CASCADE, related_name="applications")
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="applications"
    )
    message = models.TextField()
    message_html = models.TextField(editable=False)
    # [{"question": id, "prompt": "…", "answer": "…"}]: the prompt is copied so an answer
    # keeps its meaning if the owner later edits the questions.
    answers = models.JSONField(default=list, blank=True)
    status = models.CharField(
        max_length=12, choices=ApplicationStatus.choices, default=ApplicationStatus.SUBMITTED
    )
    decline_reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["applicant", "created_at"], name="application_by_person"),
            models.Index(fields=["opening", "status"], name="application_opening_status"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["opening", "applicant"], name="one_application_per_opening"
            )
        ]

    def __str__(self) -> str:
        return f"{self.applicant} → {self.opening}"

    def get_absolute_url(self) -> str:
        return reverse("board:application", kwargs={"pk": self.pk})

    @property
    def next_steps(self) -> list[tuple[str, str]]:
        return [(s, ApplicationStatus(s).label) for s in REVIEW_STEPS[self.status]]

    @property
    def is_undecided(self) -> bool:
        return self.status in UNDECIDED


class ApplicationEvent(models.Model):
    """One step in an application's history; never edited or deleted."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    from_status = models.CharField(max_length=12, choices=ApplicationStatus.choices, blank=True)
    to_status = models.CharField(max_length=12, choices=ApplicationStatus.choices)
    reason = models.TextField(blank=True)
    # A decline's reason is told to the applicant only when the owner chose to; otherwise it
    # is the owner's own note, shown to them (and staff reading through a report), never to
    # the applicant nor in the email. True for every step before the choice existed, which
    # showed every reason.
    reason_shared = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.from_status or 'new'} → {self.to_status}"

    @property
    def to_label(self) -> str:
        return ApplicationStatus(self.to_status).label


class Invitation(models.Model):
    """A channel owner asking a moderator to apply to one of their openings."""

    opening = models.ForeignKey(Opening, on_delete=models.CASCADE, related_name="invitations")
    invitee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="invitations"
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="invitations_sent"
    )
    message = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["invited_by", "created_at"], name="invitation_by_sender")]
        constraints = [
            models.UniqueConstraint(fields=["opening", "invitee"], name="one_invitation_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.invitee} invited to {self.opening}"


class ReportReason(models.TextChoices):
    SCAM = "scam", "It looks like a scam"
    CREDENTIALS = "credentials", "It asks for passwords or stream keys"
    MONEY = "money", "It asks applicants for money"
    HARASSMENT = "harassment", "Harassment or hate"
    OTHER = "other", "Something else"


class ReportQuerySet(models.QuerySet):
    def unresolved(self) -> ReportQuerySet:
        return self.filter(resolved_at__isnull=True)


class OpeningReport(models.Model):
    """Someone signed in telling staff an opening is not what it should be."""

    class Resolution(models.TextChoices):
        REMOVED = "removed", "Opening removed"
        DISMISSED = "dismissed", "Dismissed"

    opening = models.ForeignKey(Opening, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="opening_reports"
    )
    reason = models.CharField(max_length=12, choices=ReportReason.choices)
    details = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    resolution = models.CharField(max_length=10, choices=Resolution.choices, blank=True)

    objects = ReportQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["resolved_at", "created_at"], name="report_queue")]
        constraints = [
            models.UniqueConstraint(fields=["opening", "reporter"], name="one_report_per_person")
        ]

    def __str__(self) -> str:
        return f"Report on {self.opening} ({self.get_reason_display()})"


class StaffRead(models.Model):
    """The board's moderation log: a member of staff read an application they are no party
    to, through an open report on its opening (the only way staff see applications). One row
    per application shown, each time it is shown; never edited or deleted. The log outlives
    what it is about, so the links go empty rather than taking the row with them."""

    class Page(models.TextChoices):
        REVIEW = "review", "the opening's applications"
        APPLICATION = "application", "the application's page"

    staff = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    application = models.ForeignKey(
        Application, null=True, on_delete=models.SET_NULL, related_name="staff_reads"
    )
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    report = models.ForeignKey(
        OpeningReport, null=True, on_delete=models.SET_NULL, related_name="staff_reads"
    )
    page = models.CharField(max_length=12, choices=Page.choices)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "staff read of an application"

    def __str__(self) -> str:
        return f"{self.staff} read application {self.application_id} ({self.get_page_display()})"
