"""Every form in the product, sent with errors, shows them the same way: an error summary at
the top of the form that takes the focus (autofocus, no JavaScript), links to each field in
error, and "Error: " at the start of the page's title (portal/core/templatetags/form_errors.py).

The forms are found, not listed by hand: every subclass of the portal's form base classes
must either be sent with errors through its page here (FORM_PAGES), or be named in
NEVER_SHOWN_WITH_ERRORS with the reason, so a new form cannot skip the summary unnoticed.
allauth's forms (sign in, sign up, password, email, two-factor) are sent through their pages
in tests/accounts/test_allauth_form_errors.py.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from html.parser import HTMLParser

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

import portal
from portal.board.models import ApplicationStatus, OpeningStatus
from portal.core.forms import Form, ModelForm
from portal.forums.permissions import FORUM_MODERATORS
from tests.board.factories import ApplicationFactory, OpeningFactory
from tests.factories import TEST_PASSWORD, ChannelFactory, UserFactory
from tests.forums.factories import SettledUserFactory, TopicFactory, reply, tough_calls
from tests.guides.conftest import sync, write_small_library

# --- Reading a page as a browser would --------------------------------------------------------


@dataclass
class Page:
    title: str = ""
    ids: set[str] = field(default_factory=set)
    autofocus: list[str] = field(default_factory=list)  # ids of elements with autofocus, in order
    summaries: list[dict] = field(default_factory=list)  # attributes of each error summary
    summary_links: dict[str, list[str]] = field(default_factory=dict)  # summary id -> hrefs
    form_actions: dict[str, str] = field(default_factory=dict)  # summary id -> its form's action


class PageReader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = Page()
        self._in_title = False
        self._form_action = ""
        self._summary: str | None = None
        self._summary_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if a.get("id"):
            self.page.ids.add(a["id"])
        if "autofocus" in a:
            self.page.autofocus.append(a.get("id") or tag)
        if tag == "title":
            self._in_title = True
        if tag == "form":
            self._form_action = a.get("action") or ""
        if tag == "div" and "error-summary" in (a.get("class") or "").split():
            self._summary = a.get("id") or ""
            self._summary_depth = 0
            self.page.summaries.append(a)
            self.page.summary_links[self._summary] = []
            self.page.form_actions[self._summary] = self._form_action
        if self._summary is not None:
            if tag == "div":
                self._summary_depth += 1
            if tag == "a":
                self.page.summary_links[self._summary].append(a.get("href") or "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False
        if tag == "form":
            self._form_action = ""
        if self._summary is not None and tag == "div":
            self._summary_depth -= 1
            if self._summary_depth == 0:
                self._summary = None

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.page.title += data


def read(response) -> Page:
    reader = PageReader()
    reader.feed(response.content.decode())
    reader.page.title = " ".join(reader.page.title.split())
    return reader.page


def assert_shows_errors(response, *, summary_id: str | None = None) -> Page:
    assert response.status_code in (200, 400, 429), response.status_code
    page = read(response)
    assert page.title.startswith("Error: "), page.title
    assert page.summaries, "no error summary on the page"
    first = page.summaries[0]
    assert first.get("role") == "alert" and first.get("tabindex") == "-1"
    assert first.get("aria-labelledby") in page.ids
    # The first thing with autofocus is the summary: the browser moves the focus there.
    assert page.autofocus and page.autofocus[0] == first["id"], page.autofocus
    for summary in page.summaries:
        for href in page.summary_links[summary["id"]]:
            assert href.startswith("#") and href[1:] in page.ids, f"{href} goes nowhere"
    if summary_id is not None:
        assert first["id"] == summary_id
        # A form on a long page aims at its own summary, so the browser lands on it.
        assert page.form_actions[summary_id].endswith(f"#{summary_id}")
    return page


# --- What the pages need ------------------------------------------------------------------


@dataclass
class World:
    """The people and things the forms' pages need, made once per test."""

    client: object
    member: object
    streamer: object
    staff: object
    forum_moderator: object

    def as_(self, person):
        self.client.force_login(person)
        return self

    def post(self, url: str, data: dict | None = None):
        # A browser always sends the CSRF field, so even a form sent empty is a sent form
        # (views tell one apart with ``request.POST or None``).
        return self.client.post(url, {"csrfmiddlewaretoken": "sent", **(data or {})})

    def get(self, url: str, data: dict | None = None):
        return self.client.get(url, data)


@pytest.fixture
def world(client, db, tmp_path, settings):
    settled = timezone.now() - timedelta(days=60)
    member = UserFactory(username="member", date_joined=settled)
    streamer = UserFactory(username="streamer", date_joined=settled)
    staff = UserFactory(username="staffer", is_staff=True, date_joined=settled)
    moderator = SettledUserFactory(username="forum_mod", second_factor=True)
    moderator.groups.add(Group.objects.get(name=FORUM_MODERATORS))
    sync(write_small_library(tmp_path / "guides"))
    return World(client, member, streamer, staff, moderator)


def channel_of(world: World):
    return ChannelFactory(owner=world.streamer, name="Night Owl Radio", timezone="UTC")


def open_opening(world: World, **kwargs):
    return OpeningFactory(channel=channel_of(world), title="Night-shift chat enforcer", **kwargs)


def empty_questions() -> dict:
    return {"questions-TOTAL_FORMS": "0", "questions-INITIAL_FORMS": "0"}


LESSON = ("chat-enforcer", "warn-timeout-ban")


def lesson_url(name: str) -> str:
    return reverse(f"guides:{name}", args=LESSON)


# Each: the form's page, sent with errors, and (for forms on long pages) the summary's id
# that the form's action aims at.
Case = Callable[[World], object]


def channel_form(w: World):
    return w.as_(w.streamer).post(reverse("board:channel_create"), {})


def opening_form(w: World):
    channel_of(w)
    return w.as_(w.streamer).post(reverse("board:opening_create"), empty_questions())


def question_form(w: World):
    channel_of(w)
    data = {
        **empty_questions(),
        "questions-TOTAL_FORMS": "1",
        "questions-0-prompt": "Pick one",
        "questions-0-kind": "choice",
        "questions-0-choices": "only one",
    }
    return w.as_(w.streamer).post(reverse("board:opening_create"), data)


def publish_form(w: World):
    opening = open_opening(
        w, status=OpeningStatus.DRAFT, published_at=None, description="DM me your stream key."
    )
    response = w.as_(w.streamer).post(reverse("board:opening_publish", args=[opening.pk]))
    return response, "error-summary"


def extend_form(w: World):
    opening = open_opening(w)
    return w.as_(w.streamer).post(reverse("board:opening_extend", args=[opening.pk]), {})


def apply_form(w: World):
    opening = open_opening(w)
    return w.as_(w.member).post(reverse("board:apply", args=[opening.pk]), {})


def review_form(w: World):
    application = ApplicationFactory(
        opening=open_opening(w), applicant=w.member, status=ApplicationStatus.SUBMITTED
    )
    url = reverse("board:application_move", args=[application.pk])
    return w.as_(w.streamer).post(url, {"status": "no-such-step"})


def bulk_move_form(w: World):
    """The review table's bulk move, sent with nothing ticked and no stage chosen."""
    opening = open_opening(w)
    ApplicationFactory(opening=opening, applicant=w.member)
    url = reverse("board:review_move", args=[opening.pk])
    return w.as_(w.streamer).post(url, {}), "error-summary"


def board_report_form(w: World):
    opening = open_opening(w)
    return w.as_(w.member).post(reverse("board:report", args=[opening.pk]), {})


def remove_form(w: World):
    opening = open_opening(w)
    return w.as_(w.staff).post(reverse("board:opening_remove", args=[opening.pk]), {})


def invite_form(w: World):
    open_opening(w)
    profile = w.member.profile
    profile.open_to_moderating = profile.is_public = True
    profile.save()
    url = reverse("board:invite", kwargs={"username": w.member.username})
    return w.as_(w.streamer).post(url, {"opening": "0"})


def topic_form(w: World):
    url = reverse("forums:topic_create", kwargs={"slug": tough_calls().slug})
    return w.as_(w.member).post(url, {})


def reply_form(w: World):
    topic = TopicFactory()
    return w.as_(w.member).post(reverse("forums:reply", args=[topic.pk]), {})


def edit_form(w: World):
    post = reply(TopicFactory(), author=w.member)
    return w.as_(w.member).post(reverse("forums:post_edit", args=[post.pk]), {})


def forum_report_form(w: World):
    post = reply(TopicFactory())
    return w.as_(w.member).post(reverse("forums:post_report", args=[post.pk]), {})


def reason_form(w: World):
    post = reply(TopicFactory())
    url = reverse("forums:post_moderate", args=[post.pk])
    return w.as_(w.forum_moderator).post(url, {"action": "hide"})


def note_form(w: World):
    post = reply(TopicFactory())
    url = reverse("forums:post_delete", args=[post.pk])
    return w.as_(w.forum_moderator).post(url, {"reason": "x" * 1001})


def move_form(w: World):
    topic = TopicFactory()
    url = reverse("forums:topic_moderate", args=[topic.pk])
    return w.as_(w.forum_moderator).post(url, {"action": "move"})


def suspend_form(w: World):
    url = reverse("forums:person_moderate", kwargs={"username": w.member.username})
    return w.as_(w.forum_moderator).post(url, {})


def conversation_form(w: World):
    return w.as_(w.member).post(reverse("conversations:start"), {})


def message_form(w: World):
    from portal.forums.services import conversation_start

    topic = conversation_start(
        starter=w.member, others=[w.streamer], title="About the night shift", body="Free?"
    )
    return w.as_(w.streamer).post(reverse("conversations:reply", args=[topic.pk]), {})


def hold_levels_form(w: World):
    url = reverse("forums:hold_levels", kwargs={"slug": tough_calls().slug})
    return w.as_(w.forum_moderator).post(url, {})


def filter_term_form(w: World):
    url = reverse("forums:holding_rules")
    return w.as_(w.forum_moderator).post(url, {"text": "", "action": "block"})


def check_form(w: World):
    response = w.as_(w.member).post(lesson_url("lesson_check"), {"check-attempt": "1"})
    return response, "check-error-summary"


def track_check_form(w: World):
    url = reverse("guides:track_check_submit", args=["chat-enforcer"])
    response = w.as_(w.member).post(url, {"check-attempt": "1"})
    return response, "check-error-summary"


def feedback_form(w: World):
    return w.as_(w.member).post(lesson_url("lesson_feedback"), {}), "feedback-error-summary"


def journal_form(w: World):
    return w.as_(w.member).post(lesson_url("lesson_journal"), {}), "journal-error-summary"


def questionnaire_form(w: World):
    return w.get(reverse("guides:find_your_role"), {"sent": "1"})


def profile_form(w: World):
    url = reverse("accounts:profile_edit")
    return w.as_(w.member).post(url, {"twitch_login": "not a login!", "hours_per_week": "999"})


def deletion_form(w: World):
    w.as_(w.member)
    # allauth asks for the password again before this page.
    w.client.post(reverse("account_reauthenticate"), {"password": TEST_PASSWORD})
    return w.post(reverse("accounts:delete"), {})


def avatar_form(w: World):
    return w.as_(w.member).post(reverse("accounts:avatar"), {})


def theme_form(w: World):
    return w.as_(w.member).post(reverse("accounts:appearance"), {"theme": "sepia"})


def preferences_form(w: World):
    return w.as_(w.member).post(reverse("digests:preferences"), {"digest_frequency": "hourly"})


def team_of(w: World):
    from portal.teams.services import team_for

    return team_for(channel=channel_of(w))


def team_offer_form(w: World):
    team = team_of(w)
    url = reverse("teams:invite", kwargs={"slug": team.channel.slug})
    return w.as_(w.streamer).post(url, {"username": "nobody-here", "level": "trial"})


def team_member_form(w: World):
    from portal.teams.services import membership_add

    team = team_of(w)
    member = membership_add(team=team, user=w.member)
    url = reverse("teams:member_edit", kwargs={"slug": team.channel.slug, "member_id": member.pk})
    return w.as_(w.streamer).post(url, {"level": "trial", "trial_ends_on": "not a day"})


def team_trial_form(w: World):
    from portal.teams.services import membership_add

    team = team_of(w)
    member = membership_add(team=team, user=w.member, level="trial")
    url = reverse("teams:trial", kwargs={"slug": team.channel.slug, "member_id": member.pk})
    return w.as_(w.streamer).post(url, {})


def team_assign_form(w: World):
    from portal.teams.services import membership_add

    team = team_of(w)
    member = membership_add(team=team, user=w.member)
    url = reverse("teams:assign", kwargs={"slug": team.channel.slug, "member_id": member.pk})
    return w.as_(w.streamer).post(url, {"tracks": ["999999"]})


def team_checklist_form(w: World):
    team = team_of(w)
    url = reverse("teams:checklist_add", kwargs={"slug": team.channel.slug})
    return w.as_(w.streamer).post(url, {"text": ""})


def _team_channel(w: World):
    from portal.teams.services import team_for

    channel = channel_of(w)
    team_for(channel=channel)
    return channel


def stream_schedule_form(w: World):
    channel = _team_channel(w)
    url = reverse("teams:coverage_schedule", kwargs={"slug": channel.slug})
    return w.as_(w.streamer).post(url, {"schedule": "Someday 10-12", "needed": "0"})


def discord_form(w: World):
    channel = _team_channel(w)
    url = reverse("teams:discord", kwargs={"slug": channel.slug})
    return w.as_(w.streamer).post(url, {"url": "https://example.com/hook"})


def mentor_form(w: World):
    from tests.mentors.factories import person

    return w.as_(person()).post(reverse("mentors:volunteer"), {})


def _mentorship(w: World):
    from tests.mentors.factories import make_mentor, person, under_way

    offer = make_mentor(person())
    return offer, under_way(offer, person())


def ask_form(w: World):
    from tests.mentors.factories import make_mentor, person

    offer = make_mentor(person())
    return w.as_(w.member).post(reverse("mentors:ask", kwargs={"mentor_id": offer.pk}), {})


def answer_form(w: World):
    from tests.mentors.factories import asked, make_mentor, person

    offer = make_mentor(person())
    waiting = asked(offer, w.member)
    url = reverse("mentors:answer", kwargs={"pk": waiting.pk})
    response = w.as_(offer.user).post(url, {"answer-decision": "accept"})
    return response, "answer-error-summary"


def goal_form(w: World):
    offer, mentorship = _mentorship(w)
    url = reverse("mentors:goal_add", kwargs={"pk": mentorship.pk})
    return w.as_(offer.user).post(url, {}), "goal-error-summary"


def schedule_form(w: World):
    offer, mentorship = _mentorship(w)
    url = reverse("mentors:schedule", kwargs={"pk": mentorship.pk})
    return w.as_(offer.user).post(url, {"schedule-every": "5"}), "schedule-error-summary"


def checkin_form(w: World):
    offer, mentorship = _mentorship(w)
    url = reverse("mentors:checkin", kwargs={"pk": mentorship.pk})
    return w.as_(offer.user).post(url, {}), "checkin-error-summary"


def reflection_form(w: World):
    offer, mentorship = _mentorship(w)
    return w.as_(offer.user).post(reverse("mentors:end", kwargs={"pk": mentorship.pk}), {})


def observer_form(w: World):
    from tests.mentors.factories import make_mentor, person, under_way
    from tests.mentors.test_observer import observer_gone

    offer = make_mentor(person())
    mentorship = under_way(offer, person(adult=False), observer=make_mentor().user)
    mentorship = observer_gone(mentorship)
    url = reverse("mentors:observer", kwargs={"pk": mentorship.pk})
    return w.as_(offer.user).post(url, {}), "observer-error-summary"


def reauthentication_form(w: World):
    return w.as_(w.member).post(reverse("account_reauthenticate"), {"password": "wrong"})


def team_with_member(w: World):
    from portal.teams.services import membership_add

    team = team_of(w)
    membership_add(team=team, user=w.member)
    return team


def rulebook_publish_form(w: World):
    team = team_with_member(w)
    url = reverse("teams:rulebook_publish", kwargs={"slug": team.slug})
    data = {"ladder-TOTAL_FORMS": "1", "ladder-INITIAL_FORMS": "0", "ladder-0-action": "timeout"}
    return w.as_(w.streamer).post(url, data)


def debrief_form(w: World):
    team = team_with_member(w)
    return w.as_(w.member).post(reverse("teams:debrief_write", kwargs={"slug": team.slug}), {})


def debrief_note_form(w: World):
    from tests.teams.rulebook_factories import write_debrief

    team = team_with_member(w)
    debrief = write_debrief(team, w.streamer)
    url = reverse("teams:debrief_note", kwargs={"slug": team.slug, "debrief_id": debrief.pk})
    return w.as_(w.member).post(url, {"note-body": "> " + "x" * 100}), "note-error-summary"


FORM_PAGES: dict[str, tuple[Case, str]] = {
    # form class name (module.Class) -> how its page is sent with errors
    "portal.board.forms.ChannelForm": channel_form,
    "portal.board.forms.OpeningForm": opening_form,
    "portal.board.forms.QuestionForm": question_form,
    "portal.board.forms.PublishForm": publish_form,
    "portal.board.forms.ExtendForm": extend_form,
    "portal.board.forms.ApplyForm": apply_form,
    "portal.board.forms.ReviewForm": review_form,
    "portal.board.forms.BulkMoveForm": bulk_move_form,
    "portal.board.forms.ReportForm": board_report_form,
    "portal.board.forms.RemoveForm": remove_form,
    "portal.board.forms.InviteForm": invite_form,
    "portal.forums.forms.TopicForm": topic_form,
    "portal.forums.forms.ReplyForm": reply_form,
    "portal.forums.forms.EditForm": edit_form,
    "portal.forums.forms.ReportForm": forum_report_form,
    "portal.forums.forms.ReasonForm": reason_form,
    "portal.forums.forms.NoteForm": note_form,
    "portal.forums.forms.MoveForm": move_form,
    "portal.forums.forms.SuspendForm": suspend_form,
    "portal.forums.forms.HoldLevelsForm": hold_levels_form,
    "portal.forums.forms.FilterTermForm": filter_term_form,
    "portal.forums.conversation_forms.ConversationForm": conversation_form,
    "portal.forums.conversation_forms.MessageForm": message_form,
    "portal.guides.forms.CheckForm": check_form,
    "portal.guides.forms.FeedbackForm": feedback_form,
    "portal.guides.forms.JournalForm": journal_form,
    "portal.guides.forms.RoleQuestionnaireForm": questionnaire_form,
    "portal.accounts.forms.ProfileForm": profile_form,
    "portal.accounts.forms.AccountDeletionForm": deletion_form,
    "portal.digests.forms.EmailPreferencesForm": preferences_form,
    "portal.accounts.forms.ThemeForm": theme_form,
    "portal.accounts.forms.AvatarForm": avatar_form,
    "portal.teams.hiring_forms.OfferForm": team_offer_form,
    "portal.teams.hiring_forms.MemberForm": team_member_form,
    "portal.teams.hiring_forms.TrialOutcomeForm": team_trial_form,
    "portal.teams.onboarding_forms.AssignForm": team_assign_form,
    "portal.teams.onboarding_forms.ChecklistItemForm": team_checklist_form,
    "portal.teams.coverage_forms.ScheduleForm": stream_schedule_form,
    "portal.teams.coverage_forms.DiscordWebhookForm": discord_form,
    "portal.mentors.forms.MentorForm": mentor_form,
    "portal.mentors.forms.AskForm": ask_form,
    "portal.mentors.forms.AnswerForm": answer_form,
    "portal.mentors.forms.GoalForm": goal_form,
    "portal.mentors.forms.ScheduleForm": schedule_form,
    "portal.mentors.forms.CheckInForm": checkin_form,
    "portal.mentors.forms.ReflectionForm": reflection_form,
    "portal.mentors.forms.ObserverForm": observer_form,
    "portal.teams.rulebook_forms.PublishForm": rulebook_publish_form,
    "portal.teams.rulebook_forms.LadderStepForm": rulebook_publish_form,
    "portal.teams.debrief_forms.DebriefForm": debrief_form,
    "portal.teams.debrief_forms.NoteForm": debrief_note_form,
}
# More pages of the same forms, sent with errors too.
MORE_PAGES = {"track check": track_check_form, "reauthenticate": reauthentication_form}

NEVER_SHOWN_WITH_ERRORS = {
    # Filters and searches (is_filter): a bad value is shown beside its field, over the
    # results; nothing was refused (test_a_filters_bad_value_is_not_a_refused_form).
    "portal.board.filter_forms.BoardFilterForm": "a filter",
    "portal.board.filter_forms.DirectoryFilterForm": "a filter",
    "portal.forums.forms.SearchForm": "a search",
    "portal.guides.forms.SearchForm": "a search",
    "portal.search.forms.SearchForm": "a search",
    # Buttons and ticks with nothing to type: only a tampered form is invalid, and it is
    # answered with a redirect and a message (or kindly ignored), never a form with errors.
    "portal.forums.forms.WatchForm": "radio buttons saved as they are",
    "portal.forums.forms.ReactionForm": "a button",
    "portal.forums.forms.DraftForm": "the reply box's text given back with a quote, never refused",
    "portal.guides.forms.ChecklistForm": "ticks, kept as sent",
    "portal.guides.forms.PaperForm": "a hidden attempt number",
    "portal.guides.forms.RolesForm": "ticks; a tampered one redirects with a message",
    "portal.teams.hiring_forms.OfferAnswerForm": "two buttons; a tampered answer is a 400",
    "portal.teams.onboarding_forms.TickForm": "a button (a hidden id); a tampered one is a 400",
    "portal.teams.coverage_forms.StreamForm": "a button (hidden fields); a tampered one "
    "redirects to the grid with a message",
    "portal.teams.coverage_forms.SignupForm": "a button (a hidden id); a tampered one is a 404",
    "portal.teams.coverage_forms.SwapForm": "a button (a hidden id); a tampered one is a 404",
    "portal.teams.coverage_forms.CalendarForm": "a tick, kept as sent",
    "portal.teams.rulebook_forms.AcknowledgeForm": "a button; a tampered number redirects "
    "with a message",
    # Base classes.
    "portal.teams.hiring_forms.PlaceFields": "the base of a lead's offer and member forms",
    "portal.guides.forms.ReaderForm": "a base class",
    "portal.board.filter_forms.FilterForm": "the base of the board's and directory's filters",
}


def portal_forms() -> set[str]:
    for module in pkgutil.walk_packages(portal.__path__, "portal."):
        if module.name.rsplit(".", 1)[-1].endswith("forms"):
            importlib.import_module(module.name)
    found, todo = set(), [Form, ModelForm]
    while todo:
        cls = todo.pop()
        for sub in cls.__subclasses__():
            todo.append(sub)
            if sub.__module__.startswith("portal."):
                found.add(f"{sub.__module__}.{sub.__qualname__}")
    return found


def test_every_form_of_the_portal_is_sent_with_errors_here_or_says_why_not():
    forms = portal_forms()
    missing = forms - set(FORM_PAGES) - set(NEVER_SHOWN_WITH_ERRORS)
    assert not missing, f"send these through their pages in FORM_PAGES: {sorted(missing)}"
    gone = (set(FORM_PAGES) | set(NEVER_SHOWN_WITH_ERRORS)) - forms
    assert not gone, f"no such forms any more: {sorted(gone)}"


@pytest.mark.parametrize(
    "case", [*FORM_PAGES.values(), *MORE_PAGES.values()], ids=lambda c: c.__name__
)
def test_a_refused_form_shows_a_summary_that_takes_the_focus_and_links_to_its_fields(world, case):
    result = case(world)
    response, summary_id = result if isinstance(result, tuple) else (result, None)
    page = assert_shows_errors(response, summary_id=summary_id)
    assert page.summary_links[page.summaries[0]["id"]] or "error-summary" in page.summaries[0]["id"]


def test_the_summary_lists_every_field_in_error_with_its_label(world):
    page = opening_form(world).content.decode()
    assert "There is a problem" in page
    assert '<a href="#id_title">Title: This field is required.</a>' in page
    # A radio or checkbox group is reached at its first choice, where the keyboard goes.
    assert 'href="#id_roles_0"' in page


def test_a_filters_bad_value_is_not_a_refused_form(client, db):
    response = client.get(reverse("board:index"), {"role": "no-such-role"})
    page = read(response)
    assert not page.summaries and not page.title.startswith("Error")
    assert 'class="error"' in response.content.decode()  # beside the field, all the same


def test_a_page_without_errors_has_no_summary_and_a_plain_title(client, db):
    page = read(client.get(reverse("account_login")))
    assert not page.summaries and not page.title.startswith("Error")
    assert "autofocus" not in client.get(reverse("account_login")).content.decode()
