"""Email preferences and one-click unsubscribe."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from portal.accounts.models import User
from portal.digests.forms import EmailPreferencesForm
from portal.digests.mail import preferences_for, read_unsubscribe_token
from portal.digests.models import DigestFrequency, EmailKind
from portal.digests.schedule import period_key
from portal.digests.services import (
    DueEntry,
    digest_build_chunk,
    digest_less_often,
    email_unsubscribe,
    preferences_save,
)


@login_required
def preferences(request: HttpRequest) -> HttpResponse:
    current = preferences_for(request.user)
    form = EmailPreferencesForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        preferences_save(preferences=form.save(commit=False))
        messages.success(request, "Your email settings are saved.")
        return redirect("digests:preferences")
    return render(request, "digests/preferences.html", {"form": form})


# Mail clients POST to this URL with no cookies and no CSRF token (RFC 8058 one-click
# unsubscribe), so CSRF cannot apply; the signed token in the URL is the authorisation. GET
# never changes anything: link scanners and previews fetch URLs in emails.
@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])  # link scanners probe with HEAD: answer as GET
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    decoded = read_unsubscribe_token(token)
    person = User.objects.filter(pk=decoded[0], is_active=True).first() if decoded else None
    if person is None:
        return render(request, "digests/unsubscribe_invalid.html", status=400)
    kind = EmailKind(decoded[1])
    prefs = preferences_for(person)
    context = {"kind": kind, "token": token, "person": person, "preferences": prefs}
    if request.method in ("GET", "HEAD"):
        context["offer_less_often"] = (
            kind == EmailKind.DIGEST and prefs.digest_frequency == DigestFrequency.DAILY
        )
        return render(request, "digests/unsubscribe_confirm.html", context)
    if request.POST.get("choice") == "less_often" and kind == EmailKind.DIGEST:
        digest_less_often(preferences=prefs)
        context["done"] = "less_often"
    else:
        email_unsubscribe(preferences=prefs, kind=kind)
        context["done"] = "unsubscribed"
    return render(request, "digests/unsubscribe_done.html", context)


@login_required
def preview(request: HttpRequest) -> HttpResponse:
    """The signed-in person's next digest as it would be if it were sent now."""
    prefs = preferences_for(request.user)
    now = timezone.now()
    entry = DueEntry(
        user_id=request.user.pk,
        period=period_key(
            frequency=prefs.digest_frequency, due_at=now, tz_name=request.user.profile.timezone
        ),
        due_at=now,
    )
    targets, sections = digest_build_chunk(entries=[entry])
    return render(
        request,
        "digests/preview.html",
        {
            "preferences": prefs,
            "target": targets[0] if targets else None,
            "sections": sections.get(request.user.pk, []),
        },
    )
