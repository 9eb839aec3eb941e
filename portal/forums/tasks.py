"""Forum emails, sent by workers after the post or decision is committed.

One task per notification: it reloads the row and returns early when the notification is
gone, already emailed, already read in the app (the person has seen it), or about a post the
person may no longer see (hidden since). Preferences are respected by send_email; a refusing
mail server is tried again later by the base task (core's EmailTask).
"""

from __future__ import annotations

from celery import shared_task

from portal.core.mail import EmailTask
from portal.digests.mail import absolute_url, send_email
from portal.digests.models import EmailKind

# (email kind, template, subject) per notification kind.
EMAILS = {
    "reply": (EmailKind.FORUM_REPLIES, "forum_reply", "New reply in “{topic}”"),
    "mention": (EmailKind.FORUM_MENTIONS, "forum_mention", "{actor} mentioned you in “{topic}”"),
    "moderation": (EmailKind.MODERATION, "forum_moderation", "About your {post}"),
    "message": (EmailKind.MESSAGES, "conversation_message", "{actor} wrote to you: “{topic}”"),
}

# "About your {post}" in a moderation email's subject, by where the post was written.
SUBJECT_NAMES = {
    "forum": "forum post",
    "conversation": "private message",
    "area": "post in your mod team's discussion",
}


@shared_task(base=EmailTask)
def send_notification_email(notification_id: int) -> bool:
    from portal.forums import services
    from portal.forums.models import Notification
    from portal.forums.permissions import can_see_post

    notification = (
        Notification.objects.select_related(
            "recipient", "actor", "topic__category", "post__topic__category"
        )
        .filter(pk=notification_id)
        .first()
    )
    if notification is None or notification.emailed_at or notification.read_at:
        return False
    if notification.kind not in EMAILS:
        return False
    recipient = notification.recipient
    # A moderation notice is about a post taken down, which is the point; the others are
    # about posts the person must still be able to see.
    post = notification.post
    concerns: list[str] = []
    if notification.kind == "message":
        # A private message: the person must still be in the conversation, and the message
        # still there.
        from portal.board.rules import safety_concerns
        from portal.forums.models import Participant, Status

        if post is None or post.status != Status.PUBLISHED:
            return False
        if not Participant.objects.present().filter(topic=post.topic, user=recipient).exists():
            return False
        concerns = safety_concerns(post.body)
    elif notification.kind != "moderation" and post is not None and post.topic.is_private:
        # A private area's post (a mod team's discussion): the person must still be one of
        # its members (a removed member is sent nothing more), and the post still published.
        from portal.forums.models import Status
        from portal.forums.permissions import reads_area

        topic = post.topic
        if post.status != Status.PUBLISHED or topic.status != Status.PUBLISHED:
            return False
        if not reads_area(recipient, topic.category):
            return False
    elif (
        notification.kind != "moderation" and post is not None and not can_see_post(recipient, post)
    ):
        return False
    kind, template, subject = EMAILS[notification.kind]
    topic = notification.topic
    if notification.kind == "moderation" and topic is None:
        subject = "About your forum account"
    # A moderation notice names what it is about as the person knows it: a private message
    # or a post in their team's discussion is no "forum post".
    place = topic.place if topic else "forum"
    sent = send_email(
        user=recipient,
        kind=kind,
        subject=subject.format(
            topic=topic.title if topic else "",
            actor=notification.actor.username if notification.actor else "Someone",
            post=SUBJECT_NAMES[place],
        ),
        template=template,
        context={
            "notification": notification,
            "topic": topic,
            "post": notification.post,
            "actor": notification.actor,
            "concerns": concerns,
            "place": place,
            "link": absolute_url(notification.get_absolute_url()),
        },
    )
    services.notification_mark_emailed(notification=notification)
    return sent
