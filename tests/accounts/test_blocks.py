"""Blocking, as the accounts floor keeps it: one row per pair, never oneself, either way
checked, and gone with either account."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from portal.accounts.models import Block
from portal.accounts.selectors import blocked_either_way, blocked_ids, blocks_of
from portal.accounts.services import block_create, block_delete
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_block_keeps_the_pair_apart_both_ways_and_is_listed_for_the_blocker_only():
    ana, bo, cy = UserFactory.create_batch(3)
    block_create(blocker=ana, blocked=bo)
    assert blocked_either_way(a_id=ana.pk, b_id=bo.pk)
    assert blocked_either_way(a_id=bo.pk, b_id=ana.pk)
    assert not blocked_either_way(a_id=ana.pk, b_id=cy.pk)
    assert blocked_ids(user=ana) == {bo.pk}
    assert blocked_ids(user=bo) == set()
    assert [b.blocked for b in blocks_of(user=ana)] == [bo]


def test_blocking_twice_keeps_one_row_and_unblocking_lifts_it():
    ana, bo = UserFactory.create_batch(2)
    block_create(blocker=ana, blocked=bo)
    block_create(blocker=ana, blocked=bo)
    assert Block.objects.count() == 1
    assert block_delete(blocker=ana, blocked_id=bo.pk)
    assert not block_delete(blocker=ana, blocked_id=bo.pk)
    assert not blocked_either_way(a_id=ana.pk, b_id=bo.pk)


def test_nobody_blocks_themselves():
    ana = UserFactory()
    with pytest.raises(ValueError):
        block_create(blocker=ana, blocked=ana)
    with pytest.raises(IntegrityError), transaction.atomic():
        Block.objects.create(blocker=ana, blocked=ana)
