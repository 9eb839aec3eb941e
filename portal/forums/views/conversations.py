"""The private conversation pages (/messages/): one's conversations, starting one, reading and
writing in one, leaving it, deleting one's own message and reporting a message to staff.

Every page works without JavaScript. Anything the person may not read is a 404; what they may
read but not do is a 403 with the reason. Staff read a conversation only through a message
someone reported (selectors/conversations.py), and cannot write in it.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from portal.core.forms import add_refusal, refusal_response
from portal.core.once import AlreadyDone
from portal.forums import services
from portal.forums.conversation_forms import ConversationForm, MessageForm
from portal.forums.forms import ReportForm
from portal.forums.permissions import require
from portal.forums.selectors import conversations as selectors
from portal.forums.services.conversations import STOPPED, message_refusal, start_refusal


def _url(topic) -> str:
    return reverse("conversations:detail", kwargs={"pk": topic.pk})


@login_required
def index(request: HttpRequest) -> HttpResponse:
    page = selectors.conversations_page(viewer=request.user, number=request.GET.get("page"))
    return render(request, "conversations/index.html", {"page": page})


@login_required
def start(request: HttpRequest) -> HttpResponse:
    """Start a conversation; ``?to=name`` fills in the first name (the profile's "Send a
    private message")."""
    initial = {"to": request.GET.get("to", "")[:150]}
    form = ConversationForm(request.POST or None, starter=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        others = form.cleaned_data["to"]
        refusal = start_refusal(starter=request.user, others=others)
        if refusal:
            form.add_error("to", refusal)
            return render(request, "conversations/start.html", {"form": form}, status=403)
        try:
            topic = services.conversation_start(
                starter=request.user,
                others=others,
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
            )
        except ValidationError as exc:
            add_refusal(form, exc, "body")
        else:
            messages.success(request, "Your conversation has started.")
            return redirect(_url(topic))
    page = render(request, "conversations/start.html", {"form": form})
    return refusal_response(page, form)


def _page(request: HttpRequest, access, *, form=None, status: int = 200) -> HttpResponse:
    view = selectors.conversation_view(
        access=access, viewer=request.user, number=request.GET.get("page")
    )
    if access.report is not None:
        # Someone not in the conversation reads it through a report: logged before the page
        # is drawn, one row per page shown.
        services.conversation_read_log(
            reader=request.user, topic=access.topic, report=access.report, page=view.page.number
        )
    refusal = (
        "You read this conversation through a report; you don't write in it."
        if access.by_report
        else message_refusal(request.user, access.topic, access.place)
    )
    if refusal is None and view.stopped_by_block:
        refusal = STOPPED
    if refusal is None and form is None:
        form = MessageForm()
    return render(
        request,
        "conversations/detail.html",
        {
            "view": view,
            "topic": access.topic,
            "page": view.page,
            "access": access,
            "form": form if refusal is None else None,
            "refusal": refusal,
        },
        status=status,
    )


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A page of the conversation. Reading it moves the reader's read point (not a staff
    member's reading through a report: they are not in it)."""
    access = selectors.conversation_for_reader(pk=pk, viewer=request.user)
    response = _page(request, access)
    if access.place is not None:
        services.conversation_read(reader=request.user, topic=access.topic)
    return response


@login_required
@require_POST
def reply(request: HttpRequest, pk: int) -> HttpResponse:
    access = selectors.conversation_for_reader(pk=pk, viewer=request.user)
    if access.by_report:
        raise PermissionDenied(
            "You read this conversation through a report; you don't write in it."
        )
    require(message_refusal(request.user, access.topic, access.place))
    form = MessageForm(request.POST)
    if form.is_valid():
        try:
            post = services.conversation_add_message(
                conversation=access.topic, author=request.user, body=form.cleaned_data["body"]
            )
        except ValidationError as exc:
            add_refusal(form, exc, "body")
        else:
            return redirect(reverse("conversations:message", kwargs={"pk": post.pk}))
    return refusal_response(_page(request, access, form=form, status=400), form)


@login_required
def message(request: HttpRequest, pk: int) -> HttpResponse:
    """A message's own address: its conversation's page, at the message."""
    post, access = selectors.message_for_reader(pk=pk, viewer=request.user)
    number = selectors.message_page_number(post=post, viewer=request.user)
    query = f"?page={number}" if number > 1 else ""
    return redirect(f"{_url(access.topic)}{query}#message-{post.pk}")


@login_required
def leave(request: HttpRequest, pk: int) -> HttpResponse:
    access = selectors.conversation_for_reader(pk=pk, viewer=request.user)
    if access.place is None:
        raise PermissionDenied("You are not in this conversation.")
    if request.method == "POST":
        services.conversation_leave(conversation=access.topic, person=request.user)
        messages.success(request, f"You left “{access.topic.title}”.")
        return redirect("conversations:index")
    return render(request, "conversations/leave.html", {"topic": access.topic})


@login_required
def message_delete(request: HttpRequest, pk: int) -> HttpResponse:
    post, access = selectors.message_for_reader(pk=pk, viewer=request.user)
    if post.author_id != request.user.pk or access.place is None:
        raise PermissionDenied("Only its author deletes a message.")
    if request.method == "POST":
        services.message_delete(message=post, person=request.user)
        messages.success(request, "Your message is deleted; the others see that it was.")
        return redirect(reverse("conversations:message", kwargs={"pk": post.pk}))
    return render(request, "conversations/message_delete.html", {"post": post, "topic": post.topic})


@login_required
def message_report(request: HttpRequest, pk: int) -> HttpResponse:
    """Send one message (and only it) to the forum moderators."""
    post, access = selectors.message_for_reader(pk=pk, viewer=request.user)
    if access.place is None:
        raise PermissionDenied("Only the people in a conversation report its messages.")
    if post.author_id == request.user.pk:
        raise PermissionDenied("This is your own message: delete it instead.")
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.post_report(
                post=post,
                reporter=request.user,
                reason=form.cleaned_data["reason"],
                details=form.cleaned_data["details"],
            )
        except AlreadyDone as exc:
            messages.info(request, exc.messages[0])
            return redirect(reverse("conversations:message", kwargs={"pk": post.pk}))
        except ValidationError as exc:
            add_refusal(form, exc)
        else:
            messages.success(
                request,
                "Thank you: the forum moderators will look at this message. They see this "
                "message alone, not the rest of the conversation, unless they need to.",
            )
            return redirect(reverse("conversations:message", kwargs={"pk": post.pk}))
    page = render(request, "conversations/report.html", {"form": form, "post": post})
    return refusal_response(page, form)
