"""The holding rules page: forum moderators change each category's hold levels and the blocked
and permitted terms themselves, every change in the moderation log; nobody else may."""

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from portal.forums import services
from portal.forums.models import Category, FilterTerm, ModerationAction, Status
from portal.forums.permissions import FORUM_MODERATORS
from tests.forums.factories import FilterTermFactory, SettledUserFactory, TopicFactory

pytestmark = pytest.mark.django_db

RULES = reverse("forums:holding_rules")


def levels_of(category: Category, **changes: int) -> dict[str, str]:
    """The hold levels form as the page fills it in, with some levels changed."""
    return {key: str(level) for key, level in (category.hold_levels | changes).items()}


def log_text(client) -> str:
    return client.get(reverse("forums:moderation_log")).content.decode()


def test_a_moderator_raises_a_hold_level_and_the_log_says_who_what_and_when(client, moderator):
    wellbeing = Category.objects.get(slug="wellbeing")
    assert wellbeing.hold_swearing == 0
    client.force_login(moderator)

    url = reverse("forums:hold_levels", kwargs={"slug": "wellbeing"})
    response = client.post(url, levels_of(wellbeing, swearing=2))

    assert response.status_code == 302 and response.url == RULES
    wellbeing.refresh_from_db()
    assert wellbeing.hold_swearing == 2
    action = ModerationAction.objects.get()
    assert action.moderator == moderator
    assert action.action == ModerationAction.Action.HOLD_LEVELS
    assert action.details["levels"] == {"swearing": [0, 2]}
    assert action.created_at is not None
    text = log_text(client)
    assert "changed a category&#x27;s hold levels: Wellbeing: swearing 0 → 2" in text
    assert moderator.username in text


def test_a_raised_level_holds_the_next_post(client, moderator, member):
    topic = TopicFactory(category=Category.objects.get(slug="wellbeing"))
    services.hold_levels_set(category=topic.category, moderator=moderator, levels={"swearing": 1})
    post = services.post_create(author=member, topic=topic, body="Oh frell, not again.")
    assert post.status == Status.HELD


def test_saving_the_levels_unchanged_is_not_logged(client, moderator):
    wellbeing = Category.objects.get(slug="wellbeing")
    client.force_login(moderator)
    client.post(reverse("forums:hold_levels", kwargs={"slug": "wellbeing"}), levels_of(wellbeing))
    assert not ModerationAction.objects.exists()


def test_a_level_out_of_range_is_an_error_beside_it_and_changes_nothing(client, moderator):
    wellbeing = Category.objects.get(slug="wellbeing")
    client.force_login(moderator)

    response = client.post(
        reverse("forums:hold_levels", kwargs={"slug": "wellbeing"}),
        levels_of(wellbeing, swearing=7, bullying=4),
    )

    assert response.status_code == 400
    assert response.context["form"].errors.keys() == {"swearing"}
    assert 'id="id_swearing_error"' in response.content.decode()
    wellbeing.refresh_from_db()
    assert (wellbeing.hold_swearing, wellbeing.hold_bullying) == (0, 2)
    assert not ModerationAction.objects.exists()


def test_a_moderator_adds_changes_and_removes_a_blocked_term_each_logged(client, moderator):
    client.force_login(moderator)

    response = client.post(
        RULES, {"text": "  Grr*  ", "action": "block", "category": "", "level": "1", "note": ""}
    )
    assert response.status_code == 302
    term = FilterTerm.objects.get()
    assert (term.text, term.action, term.category) == ("grr*", "block", "")
    assert "grr*" in client.get(RULES).content.decode()

    response = client.post(
        reverse("forums:filter_term_edit", kwargs={"pk": term.pk}),
        {"text": "grr*", "action": "block", "category": "aggression", "level": "2", "note": "x"},
    )
    assert response.status_code == 302
    term.refresh_from_db()
    assert (term.category, term.level) == ("aggression", 2)

    response = client.post(reverse("forums:filter_term_remove", kwargs={"pk": term.pk}))
    assert response.status_code == 302
    assert not FilterTerm.objects.exists()

    actions = list(ModerationAction.objects.order_by("pk").values_list("action", flat=True))
    assert actions == ["term_add", "term_edit", "term_del"]
    text = log_text(client)
    assert "added a filter term: “grr*”, blocked everywhere" in text
    assert (
        "changed a filter term: “grr*”, blocked everywhere → “grr*”, blocked in aggression "
        "from level 2"
    ) in text
    assert "removed a filter term: “grr*”, blocked in aggression from level 2" in text


def test_an_added_term_holds_the_next_post_and_a_permitted_one_lets_it_through(
    client, moderator, member
):
    client.force_login(moderator)
    client.post(RULES, {"text": "*crap*", "action": "block", "level": "1"})
    topic = TopicFactory()
    assert services.post_create(author=member, topic=topic, body="What crap.").status == "held"

    client.post(RULES, {"text": "scrap*", "action": "permit", "level": "1"})
    post = services.post_create(author=member, topic=topic, body="My scrapbook of raids.")
    assert post.status == Status.PUBLISHED
    page = client.get(RULES).content.decode()
    listed = page.index("<code>*crap*</code>"), page.index("<code>scrap*</code>")
    assert listed[0] < page.index("Permitted terms") < listed[1]


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"text": "a*", "action": "block"}, "text", "wildcard needs at least two letters"),
        ({"text": "grr!", "action": "block"}, "text", "use letters and digits"),
        ({"text": "", "action": "block"}, "text", "This field is required"),
        ({"text": "grr", "action": "permit", "category": "race"}, "category", "site-wide"),
        ({"text": "grr", "action": "block", "category": "race", "level": "0"}, "level", "1 to 4"),
        ({"text": "grr", "action": "block", "category": "race", "level": "9"}, "level", "4"),
        ({"text": "ZORBLAX", "action": "block"}, "text", "already on that list"),
    ],
)
def test_a_bad_term_is_an_error_beside_its_field_and_adds_nothing(
    client, moderator, data, field, message
):
    FilterTermFactory(text="zorblax")
    client.force_login(moderator)

    response = client.post(RULES, {"level": "1", "category": "", "note": ""} | data)

    assert response.status_code == 400
    errors = response.context["form"].errors
    assert field in errors and message in " ".join(errors[field])
    assert f'id="new-term-{field}_error"' in response.content.decode()
    assert FilterTerm.objects.count() == 1
    assert not ModerationAction.objects.exists()


def test_a_change_into_a_duplicate_is_refused_beside_the_term(client, moderator):
    FilterTermFactory(text="zorblax")
    other = FilterTermFactory(text="vexfire")
    client.force_login(moderator)

    response = client.post(
        reverse("forums:filter_term_edit", kwargs={"pk": other.pk}),
        {"text": "zorblax", "action": "block", "level": "1"},
    )

    assert response.status_code == 400
    assert "already on that list" in " ".join(response.context["form"].errors["text"])
    other.refresh_from_db()
    assert other.text == "vexfire"
    assert not ModerationAction.objects.exists()


def test_a_member_is_refused_every_holding_page_and_changes_nothing(client, member):
    term = FilterTermFactory(text="zorblax")
    wellbeing = Category.objects.get(slug="wellbeing")
    client.force_login(member)
    pages = [
        (RULES, {"text": "grr", "action": "block", "level": "1"}),
        (reverse("forums:hold_levels", kwargs={"slug": "wellbeing"}), levels_of(wellbeing)),
        (
            reverse("forums:filter_term_edit", kwargs={"pk": term.pk}),
            {"text": "grr", "action": "block", "level": "1"},
        ),
        (reverse("forums:filter_term_remove", kwargs={"pk": term.pk}), {}),
    ]
    for url, data in pages:
        assert client.post(url, data).status_code == 403, url
        if not url.endswith("/remove/"):
            assert client.get(url).status_code == 403, url
    assert list(FilterTerm.objects.values_list("text", flat=True)) == ["zorblax"]
    assert not ModerationAction.objects.exists()

    client.logout()
    response = client.get(RULES)
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_a_moderator_without_a_second_factor_is_asked_to_set_one_up(client):
    person = SettledUserFactory()
    person.groups.add(Group.objects.get(name=FORUM_MODERATORS))
    client.force_login(person)
    response = client.get(RULES)
    assert response.status_code == 403
    assert "accounts/second_factor_required.html" in [t.name for t in response.templates]


def test_the_holding_rules_page_costs_the_same_with_3_terms_or_300(client, moderator):
    """Prevents an N+1 over terms and categories (the page shows every term)."""
    client.force_login(moderator)
    costs = []
    for size in (3, 300):
        FilterTerm.objects.bulk_create(
            FilterTerm(text=f"term{size}x{i}", note=f"n{i}") for i in range(size)
        )
        client.get(RULES)  # warm what any page warms
        with CaptureQueriesContext(connection) as queries:
            page = client.get(RULES).content.decode()
        assert f"term{size}x{size - 1}" in page
        costs.append(len(queries))
    assert costs[0] == costs[1]


def test_changing_a_term_another_moderator_just_removed_says_so(moderator):
    term = FilterTermFactory(text="zorblax")
    FilterTerm.objects.filter(pk=term.pk).delete()
    with pytest.raises(ValidationError, match="removed this term a moment ago"):
        services.filter_term_change(term=term, moderator=moderator, text="grr", action="block")
    assert not ModerationAction.objects.exists()


def test_the_services_refuse_a_member(member):
    wellbeing = Category.objects.get(slug="wellbeing")
    with pytest.raises(PermissionDenied):
        services.hold_levels_set(category=wellbeing, moderator=member, levels={"swearing": 4})
    with pytest.raises(PermissionDenied):
        services.filter_term_add(moderator=member, text="grr")
    wellbeing.refresh_from_db()
    assert wellbeing.hold_swearing == 0 and not FilterTerm.objects.exists()
