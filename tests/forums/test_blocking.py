"""What a block does beyond conversations (tests/forums/test_conversation_services.py has
those): the blocker's forum pages fold the blocked person's posts away, a mention reaches
nobody, invitations and applications between them are refused in words that do not say why,
and the blocker's list of blocked people."""

from __future__ import annotations

import pytest
from django.urls import reverse

from portal.accounts.models import Block
from portal.accounts.services import block_create
from portal.board import services as board
from portal.forums.digest import digest_sections
from tests.board.factories import OpeningFactory
from tests.factories import ChannelFactory
from tests.forums.conversation_helpers import adult, conversation
from tests.forums.factories import SettledUserFactory, TopicFactory, reply
from tests.forums.pages import signed_in
from tests.forums.test_digest import target_for

pytestmark = pytest.mark.django_db


def test_the_blockers_topic_page_folds_the_blocked_persons_posts(member, other_member):
    topic = TopicFactory()
    reply(topic, author=other_member, body="A reply worth folding")
    block_create(blocker=member, blocked=other_member)
    page = signed_in(member).get(topic.get_absolute_url()).content.decode()
    assert "<summary>A post by someone you blocked: show</summary>" in page
    assert "A reply worth folding" in page  # there, behind "show" (no JavaScript needed)
    others = signed_in(SettledUserFactory()).get(topic.get_absolute_url()).content.decode()
    assert "someone you blocked" not in others


def test_the_blocked_person_cannot_apply_to_the_blockers_openings():
    owner, applicant = SettledUserFactory(), SettledUserFactory()
    opening = OpeningFactory(channel=ChannelFactory(owner=owner))
    block_create(blocker=owner, blocked=applicant)
    with pytest.raises(Exception, match="You can't apply to this opening") as refused:
        board.application_submit(opening=opening, applicant=applicant, message="Hi", answers={})
    assert "block" not in str(refused.value).lower()


def test_the_blocked_person_cannot_invite_the_blocker():
    owner, invitee = SettledUserFactory(), SettledUserFactory()
    opening = OpeningFactory(channel=ChannelFactory(owner=owner))
    block_create(blocker=invitee, blocked=owner)
    with pytest.raises(Exception, match="You can't invite") as refused:
        board.invitation_send(opening=opening, invitee=invitee, invited_by=owner)
    assert "block" not in str(refused.value).lower()


def test_block_and_unblock_from_the_profile_and_the_list(member, other_member):
    client = signed_in(member)
    profile = client.get(reverse("accounts:profile", args=[other_member.username]))
    assert "Block</button>" in profile.content.decode()
    client.post(reverse("accounts:block", args=[other_member.username]))
    assert Block.objects.filter(blocker=member, blocked=other_member).exists()
    listed = client.get(reverse("accounts:blocks")).content.decode()
    assert f"Unblock {other_member.username}" in listed
    client.post(reverse("accounts:unblock", args=[other_member.username]))
    assert not Block.objects.exists()


def test_blocking_needs_a_post_and_a_signed_in_member(client, member, other_member):
    url = reverse("accounts:block", args=[other_member.username])
    assert signed_in(member).get(url).status_code == 405
    assert client.post(url).status_code == 302  # to the sign-in page
    assert not Block.objects.exists()


def test_the_digest_has_a_line_for_unread_private_messages():
    ana, ben = adult(), adult()
    conversation(ana, ben)
    result = digest_sections([target_for(ben), target_for(ana)])
    section = next(s for s in result[ben.pk] if s.key == "messages")
    assert section.items[0].title == "1 conversation with messages you have not read"
    assert "About Saturday" not in section.items[0].title  # never what, nor who
    assert not [s for s in result.get(ana.pk, []) if s.key == "messages"]
