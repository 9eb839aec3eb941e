"""What the board tells the floors above it, which it cannot import: an application moved
on (the teams app offers the applicant a place when it is moved to trial or accepted).

Sent inside the move's transaction, so what a receiver writes commits or rolls back with it.
"""

from django.dispatch import Signal

# Sent with application, actor, from_status and to_status.
application_moved = Signal()
