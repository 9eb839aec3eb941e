"""The Celery app and the beat schedule.

Tasks live in each app's tasks.py and are enqueued only by services, after commit. Without
CELERY_BROKER_URL the tasks run inline (see settings), so a laptop needs no Redis.
"""

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

app = Celery("portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Exactly one beat process runs in production (see the Procfile); each app adds its entries
# here so the whole schedule reads in one place.
app.conf.beat_schedule = {
    # Tasks that could not reach the broker (an outage) are sent once it is back.
    "flush-outbox": {"task": "portal.core.flush_outbox", "schedule": 60},
    # Digests are due at a local hour; every 15 minutes finds those due since the last run.
    "queue-due-digests": {
        "task": "portal.digests.queue_due_digests",
        "schedule": 15 * 60,
        "options": {"queue": "default"},
    },
    # Board: openings past their closing day become expired (pages keep a banner) ...
    "board-expire-openings": {
        "task": "portal.board.tasks.expire_openings",
        "schedule": crontab(minute=5),
    },
    # ... and owners are reminded a few days before, once per closing date.
    "board-remind-expiring-openings": {
        "task": "portal.board.tasks.remind_expiring_openings",
        "schedule": crontab(minute=35),
    },
    # Accounts: data exports past their week are deleted ...
    "accounts-purge-expired-exports": {
        "task": "portal.accounts.tasks.purge_expired_exports",
        "schedule": crontab(minute=15),
    },
    # ... and deletions whose grace period is over are carried out.
    "accounts-queue-due-deletions": {
        "task": "portal.accounts.tasks.queue_due_deletions",
        "schedule": crontab(minute=45),
    },
    # Teams: leads are reminded of trials ending within two days, once per trial end date
    # (hourly, so a trial whose end date a lead just set is not missed for a day).
    "teams-remind-trials-ending": {
        "task": "portal.teams.tasks.remind_trials_ending",
        "schedule": crontab(minute=25),
    },
    # Teams: open offers past their expiry (two weeks unanswered) are marked expired, so the
    # leads' list of offers waiting for an answer stays true.
    "teams-expire-offers": {
        "task": "portal.teams.tasks.expire_offers",
        "schedule": crontab(minute=55),
    },
    # Mentoring: both sides are told when an agreed check-in falls due (once per due date).
    "mentors-remind-due-checkins": {
        "task": "portal.mentors.tasks.remind_due_checkins",
        "schedule": crontab(minute=25),
    },
    # Teams: streams in the next 48 hours that too few members cover are told to the leads,
    # once per gap; every 15 minutes, so a gap opened by a late withdrawal is told soon.
    "teams-check-coverage-gaps": {
        "task": "portal.teams.tasks.check_coverage_gaps",
        "schedule": 15 * 60,
    },
}
