"""The two facts about a reader that the permission checks keep for the request (forum
moderator? suspended?), as columns a page's own statement reads along with what it needs."""

from __future__ import annotations

from django.db import connection
from django.utils import timezone

from portal.forums import permissions
from portal.forums.models import Suspension
from portal.forums.permissions import FORUM_MODERATORS

# The two facts about a reader that the permission checks keep for the request
# (``permissions.remember``), as columns of a page's own statement: in the forum moderators'
# group (``is_forum_moderator``), and their active suspension's id (``Suspension.objects
# .active()``). Parameters: ``standing_params``.
STANDING_COLUMNS = """
  EXISTS (SELECT 1 FROM accounts_user_groups m JOIN auth_group g ON g.id = m.group_id
          WHERE m.user_id = %(reader)s AND g.name = %(moderators)s),
  (SELECT s.id FROM forums_suspension s
   WHERE s.user_id = %(reader)s AND s.lifted_at IS NULL AND s.until > %(now)s
   ORDER BY s.until DESC LIMIT 1)"""


def standing_params(viewer) -> dict:
    return {
        "reader": viewer.pk,
        "moderators": FORUM_MODERATORS,
        "now": connection.ops.adapt_datetimefield_value(timezone.now()),
    }


def remember_standing(viewer, *, in_group, suspension_id) -> None:
    permissions.remember(
        viewer,
        moderator=bool(in_group),
        # Its terms, for the few who are suspended: one query more for them.
        suspension=Suspension.objects.filter(pk=suspension_id).first() if suspension_id else None,
    )
