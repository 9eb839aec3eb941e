"""The coverage grid's pages: the week's streams against the team's availability, signing
up and swapping, the leads' schedule, each member's calendar address and feed, and the
team's Discord webhook.

Every page is for current members only (404 to anyone else, permissions.py); the schedule
and the webhook are the leads' (403 with the reason to members). The buttons are plain
forms that come back to the grid with a message.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from portal.core.forms import add_refusal
from portal.core.schedule import format_windows
from portal.teams import coverage_grid, discord
from portal.teams.calendar import calendar_for
from portal.teams.coverage_forms import (
    CalendarForm,
    DiscordWebhookForm,
    ScheduleForm,
    SignupForm,
    StreamForm,
    SwapForm,
)
from portal.teams.coverage_time import channel_week
from portal.teams.models import (
    CalendarFeed,
    CoverSignup,
    DiscordWebhook,
    Membership,
    StreamSlot,
    SwapRequest,
)
from portal.teams.permissions import require_lead, team_for_member
from portal.teams.services import coverage as services

# How far from now the grid may be paged, in weeks either way.
WEEKS_SHOWN = 52


def _reader_tz(request: HttpRequest) -> str:
    return request.user.profile.timezone or "UTC"


def _week_asked(request: HttpRequest, this_week: date) -> date | None:
    raw = request.GET.get("week", "")
    if not raw:
        return this_week
    try:
        asked = date.fromisoformat(raw)
    except ValueError:
        return None
    asked -= timedelta(days=asked.weekday())
    if abs((asked - this_week).days) > WEEKS_SHOWN * 7:
        return None
    return asked


@require_GET
@login_required
def grid(request: HttpRequest, slug: str) -> HttpResponse:
    team, membership = team_for_member(request.user, slug)
    channel = team.channel
    now = timezone.now()
    this_week = channel_week(now, channel.timezone)
    week = _week_asked(request, this_week)
    if week is None:
        return HttpResponseBadRequest(
            f"No such week: give a date (YYYY-MM-DD) within {WEEKS_SHOWN} weeks of now."
        )
    reader_tz = _reader_tz(request)
    streams = coverage_grid.week_grid(
        team=team, membership=membership, week=week, reader_tz=reader_tz, now=now
    )
    return render(
        request,
        "teams/coverage/grid.html",
        {
            "team": team,
            "channel": channel,
            "membership": membership,
            "streams": streams,
            "week": week,
            "week_end": week + timedelta(days=6),
            "previous_week": week - timedelta(weeks=1),
            "next_week": week + timedelta(weeks=1),
            "this_week": this_week,
            "reader_tz": reader_tz,
            "gaps": sum(1 for s in streams if s.gap and not s.started),
        },
    )


def _back(team, on: date | None = None) -> HttpResponse:
    return redirect(services.grid_path(team, on), permanent=False)


def _refused(request: HttpRequest, team, exc: ValidationError, on: date | None) -> HttpResponse:
    messages.error(request, " ".join(exc.messages))
    return _back(team, on)


@require_POST
@login_required
def sign_up(request: HttpRequest, slug: str) -> HttpResponse:
    team, _ = team_for_member(request.user, slug)
    form = StreamForm(request.POST)
    if not form.is_valid():
        messages.error(request, "That stream is not on the schedule.")
        return _back(team)
    slot = StreamSlot.objects.filter(team=team, pk=form.cleaned_data["slot"]).first()
    if slot is None:
        raise Http404("No such stream.")
    on = form.cleaned_data["on"]
    try:
        services.cover_signup_create(slot=slot, on=on, user=request.user)
    except ValidationError as exc:
        return _refused(request, team, exc, on)
    messages.success(request, "You cover that stream. It is in your calendar feed too.")
    return _back(team, on)


def _own_signup(request: HttpRequest, team) -> CoverSignup:
    form = SignupForm(request.POST)
    signup = None
    if form.is_valid():
        signup = (
            CoverSignup.objects.select_related("slot__team")
            .filter(slot__team=team, user=request.user, pk=form.cleaned_data["signup"])
            .first()
        )
    if signup is None:
        raise Http404("No such sign-up of yours.")
    return signup


@require_POST
@login_required
def withdraw(request: HttpRequest, slug: str) -> HttpResponse:
    team, _ = team_for_member(request.user, slug)
    signup = _own_signup(request, team)
    try:
        services.cover_signup_withdraw(signup=signup)
    except ValidationError as exc:
        return _refused(request, team, exc, signup.on)
    messages.success(request, "You no longer cover that stream.")
    return _back(team, signup.on)


@require_POST
@login_required
def swap_ask(request: HttpRequest, slug: str) -> HttpResponse:
    team, _ = team_for_member(request.user, slug)
    signup = _own_signup(request, team)
    try:
        services.swap_ask(signup=signup, user=request.user)
    except ValidationError as exc:
        return _refused(request, team, exc, signup.on)
    messages.success(request, "The team was told. The stream stays yours until someone takes it.")
    return _back(team, signup.on)


def _open_swap(request: HttpRequest, team) -> SwapRequest:
    form = SwapForm(request.POST)
    swap = None
    if form.is_valid():
        swap = (
            SwapRequest.objects.open()
            .select_related("signup__slot__team", "signup__user")
            .filter(signup__slot__team=team, pk=form.cleaned_data["swap"])
            .first()
        )
    if swap is None:
        raise Http404("No such swap: it may have been taken or withdrawn.")
    return swap


@require_POST
@login_required
def swap_take(request: HttpRequest, slug: str) -> HttpResponse:
    team, _ = team_for_member(request.user, slug)
    swap = _open_swap(request, team)
    try:
        services.swap_take(swap=swap, user=request.user)
    except ValidationError as exc:
        return _refused(request, team, exc, swap.signup.on)
    messages.success(request, "The stream is yours now.")
    return _back(team, swap.signup.on)


@require_POST
@login_required
def swap_withdraw(request: HttpRequest, slug: str) -> HttpResponse:
    team, _ = team_for_member(request.user, slug)
    swap = _open_swap(request, team)
    if swap.asked_by_id != request.user.pk:
        raise Http404("No such swap of yours.")
    services.swap_withdraw(swap=swap)
    messages.success(request, "You keep the stream; the swap is withdrawn.")
    return _back(team, swap.signup.on)


@require_http_methods(["GET", "POST"])
@login_required
def schedule(request: HttpRequest, slug: str) -> HttpResponse:
    team, membership = team_for_member(request.user, slug)
    require_lead(membership, "change the stream schedule")
    channel = team.channel
    slots = list(StreamSlot.objects.filter(team=team))
    if request.method == "POST":
        form = ScheduleForm(request.POST)
        if form.is_valid():
            services.stream_schedule_set(
                team=team,
                windows=form.cleaned_data["schedule"],
                needed=form.cleaned_data["needed"],
                timezone_name=channel.timezone,
            )
            messages.success(request, "The stream schedule is saved.")
            return _back(team)
        status = 400
    else:
        form = ScheduleForm(
            initial={
                "schedule": format_windows([s.window for s in slots]),
                "needed": max((s.needed for s in slots), default=1),
            }
        )
        status = 200
    return render(
        request,
        "teams/coverage/schedule.html",
        {
            "team": team,
            "channel": channel,
            "form": form,
            "other_zone": sorted({s.timezone for s in slots} - {channel.timezone}),
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
@login_required
def calendar(request: HttpRequest, slug: str) -> HttpResponse:
    team, _ = team_for_member(request.user, slug)
    feed = CalendarFeed.objects.filter(team=team, user=request.user).first()
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action in ("make", "renew"):
            feed = services.calendar_feed_renew(team=team, user=request.user)
            messages.success(
                request,
                "Your calendar address is new: the old one, if you had one, stopped working."
                if action == "renew"
                else "Your calendar address is ready: add it to your calendar app.",
            )
        elif action == "remove":
            services.calendar_feed_remove(team=team, user=request.user)
            messages.success(request, "Your calendar address is turned off.")
        elif action == "options" and feed is not None:
            form = CalendarForm(request.POST)
            form.is_valid()
            services.calendar_feed_options_set(
                feed=feed, with_schedule=form.cleaned_data.get("with_schedule", False)
            )
            messages.success(request, "Your calendar feed's contents are saved.")
        else:
            return HttpResponseBadRequest("Choose one of the page's buttons.")
        return redirect("teams:calendar", slug=team.slug)
    feed_url = (
        request.build_absolute_uri(
            reverse("teams:calendar_feed", kwargs={"slug": team.slug, "token": feed.token})
        )
        if feed
        else ""
    )
    return render(
        request,
        "teams/coverage/calendar.html",
        {
            "team": team,
            "channel": team.channel,
            "feed": feed,
            "feed_url": feed_url,
            "form": CalendarForm(initial={"with_schedule": feed.with_schedule}) if feed else None,
        },
    )


@require_GET
def calendar_feed(request: HttpRequest, slug: str, token: str) -> HttpResponse:
    """The member's calendar, for their calendar app: no sign-in, the token is the key.
    A wrong token, a renewed one, or a member no longer on the team: 404."""
    feed = (
        CalendarFeed.objects.select_related("team__channel", "user")
        .filter(token=token, team__channel__slug=slug, team__channel__left_at__isnull=True)
        .first()
    )
    if (
        feed is None
        or not feed.user.is_active
        or not Membership.objects.current().filter(team=feed.team, user=feed.user).exists()
    ):
        raise Http404("No such calendar.")
    body = calendar_for(feed=feed, link=request.build_absolute_uri(services.grid_path(feed.team)))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{feed.team.slug}-coverage.ics"'
    # A private address: no shared cache keeps it, no page links out with it as referrer.
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex"
    return response


@require_http_methods(["GET", "POST"])
@login_required
def discord_settings(request: HttpRequest, slug: str) -> HttpResponse:
    team, membership = team_for_member(request.user, slug)
    require_lead(membership, "connect a Discord webhook")
    webhook = DiscordWebhook.objects.filter(team=team).first()
    status = 200
    if request.method == "POST":
        form = DiscordWebhookForm(request.POST)
        if form.is_valid():
            try:
                discord.discord_webhook_connect(
                    team=team, url=form.cleaned_data["url"], actor=request.user
                )
            except ValidationError as exc:
                add_refusal(form, exc, "url")
            else:
                messages.success(
                    request,
                    "Discord is connected: coverage gaps, new applications, rulebook versions "
                    "and debriefs will be posted to that channel.",
                )
                return redirect("teams:discord", slug=team.slug)
        status = 400
    else:
        form = DiscordWebhookForm()
    return render(
        request,
        "teams/coverage/discord.html",
        {"team": team, "channel": team.channel, "form": form, "webhook": webhook},
        status=status,
    )


@require_POST
@login_required
def discord_disconnect(request: HttpRequest, slug: str) -> HttpResponse:
    team, membership = team_for_member(request.user, slug)
    require_lead(membership, "disconnect the Discord webhook")
    discord.discord_webhook_disconnect(team=team)
    messages.success(request, "Discord is disconnected; nothing more is posted there.")
    return redirect("teams:discord", slug=team.slug)
