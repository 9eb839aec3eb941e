"""A channel's page, registering one and editing it (its owner only)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from portal.board import selectors, services
from portal.board.forms import ChannelForm
from portal.board.models import Channel
from portal.core.forms import add_refusal
from portal.core.once import AlreadyDone


def channel_detail(request: HttpRequest, slug: str) -> HttpResponse:
    channel = get_object_or_404(
        # A channel whose owner left Modhall has left the board with them.
        Channel.objects.with_owner().prefetch_related("languages"),
        slug=slug,
        left_at__isnull=True,
    )
    openings = selectors.channel_openings(channel=channel, viewer=request.user)
    return render(request, "board/channel_detail.html", {"channel": channel, "openings": openings})


@login_required
def channel_create(request: HttpRequest) -> HttpResponse:
    form = ChannelForm(request.POST or None, owner=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            channel = services.channel_register(owner=request.user, **form.cleaned_data)
        except AlreadyDone as exc:  # registered already, or the same form sent twice at once
            messages.info(request, exc.message)
            return redirect(exc.done)
        except ValidationError as exc:
            add_refusal(form, exc)
        else:
            messages.success(request, f"{channel.name} is registered.")
            return redirect(channel)
    return render(request, "board/channel_form.html", {"form": form, "channel": None})


@login_required
def channel_edit(request: HttpRequest, slug: str) -> HttpResponse:
    # Only the owner edits; anyone else gets a 404 rather than learning what they can't do.
    channel = get_object_or_404(Channel, slug=slug, owner=request.user)
    if request.method == "POST":
        form = ChannelForm(request.POST, channel=channel)
        if form.is_valid():
            services.channel_update(channel=channel, **form.cleaned_data)
            messages.success(request, "Channel saved.")
            return redirect(channel)
    else:
        form = ChannelForm(
            channel=channel,
            initial={
                "name": channel.name,
                "twitch_login": channel.twitch_login,
                "category": channel.category,
                "languages": list(channel.languages.all()),
                "typical_viewers": channel.typical_viewers,
                "timezone": channel.timezone,
                "description": channel.description,
            },
        )
    return render(request, "board/channel_form.html", {"form": form, "channel": channel})
