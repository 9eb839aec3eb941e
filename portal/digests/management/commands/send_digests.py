"""Send the digests that are due now, in this process (no Celery needed).

    manage.py send_digests                 everyone due now
    manage.py send_digests --dry-run       say who would get what; send and record nothing
    manage.py send_digests --user NAME     only that person, due or not
    manage.py send_digests --now 2026-11-30T08:00Z   as if it were that time

Sending is exactly-once per person and period, so running it next to the beat job, or twice,
sends nobody a second copy.
"""

from __future__ import annotations

from datetime import UTC, datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from portal.accounts.models import User
from portal.core.progress import progress
from portal.digests.mail import preferences_for
from portal.digests.models import DigestFrequency
from portal.digests.schedule import period_key
from portal.digests.services import (
    CHUNK_SIZE,
    DueEntry,
    digests_send_chunk,
    due_entries_take,
    preferences_create_missing,
)


def parse_now(value: str) -> datetime:
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as exc:
        raise CommandError(
            f"--now {value!r} is not a date and time; use ISO 8601, like 2026-11-30T08:00Z."
        ) from exc
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


class Command(BaseCommand):
    help = "Send the digests that are due (or one person's, with --user)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="Send and record nothing.")
        parser.add_argument("--user", metavar="NAME", help="Only this person (username).")
        parser.add_argument("--now", metavar="TIME", help="Pretend it is this time (ISO 8601).")

    def handle(self, *args, dry_run: bool, user: str | None, now: str | None, **options):
        moment = parse_now(now) if now else timezone.now()
        if user is not None:
            person = User.objects.filter(username=user).select_related("profile").first()
            if person is None:
                raise CommandError(f"No person with the username {user!r}.")
            prefs = preferences_for(person)
            if prefs.digest_frequency == DigestFrequency.OFF:
                raise CommandError(f"{user} has digests switched off; nothing to send.")
            entries = [
                DueEntry(
                    user_id=person.pk,
                    period=period_key(
                        frequency=prefs.digest_frequency,
                        due_at=moment,
                        tz_name=person.profile.timezone,
                    ),
                    due_at=moment,
                )
            ]
        elif dry_run:
            from portal.digests.models import EmailPreferences

            due = (
                EmailPreferences.objects.filter(next_digest_at__lte=moment, user__is_active=True)
                .exclude(digest_frequency=DigestFrequency.OFF)
                .select_related("user__profile")
            )
            entries = [
                DueEntry(
                    p.user_id,
                    period_key(
                        frequency=p.digest_frequency,
                        due_at=p.next_digest_at,
                        tz_name=p.user.profile.timezone,
                    ),
                    p.next_digest_at,
                )
                for p in due
            ]
        else:
            preferences_create_missing(now=moment)
            entries = due_entries_take(now=moment)

        totals = {"sent": 0, "skipped": 0, "already_done": 0, "failed": 0}
        chunks = [entries[i : i + CHUNK_SIZE] for i in range(0, len(entries), CHUNK_SIZE)]
        for chunk in progress(chunks, total=len(chunks), desc="digest chunks"):
            result = digests_send_chunk(entries=chunk, final_attempt=True, dry_run=dry_run)
            for key in totals:
                totals[key] += len(getattr(result, key))
        verb = "would be sent" if dry_run else "sent"
        self.stdout.write(
            f"{len(entries)} due: {totals['sent']} {verb}, {totals['skipped']} with nothing "
            f"new, {totals['already_done']} already done, {totals['failed']} failed."
        )
