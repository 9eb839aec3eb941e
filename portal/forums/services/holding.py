"""The holding rules, changed by forum moderators on their own page: each category's hold
levels, and the site's blocked and permitted terms (hold.py explains what they do).

Like every moderator's action these write the moderation log, so a change to what the filter
holds can always be traced to a person and a time. The log's ``details`` keep what changed,
with a ``summary`` in words for the log page. Nothing else needs telling: the filter reads
the terms and levels afresh for every post (``hold.rules_for``), so a change applies to the
next post written."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from portal.accounts.models import User
from portal.forums import permissions
from portal.forums.hold import HOLD_CATEGORY_KEYS, HOLD_CATEGORY_NAMES, MAX_LEVEL
from portal.forums.models import Category, FilterTerm, ModerationAction
from portal.forums.models.moderation import TERM_ALREADY_LISTED
from portal.forums.permissions import require
from portal.forums.services.versions import save_changed


def _log(*, moderator: User, action: str, details: dict) -> ModerationAction:
    return ModerationAction.objects.create(moderator=moderator, action=action, details=details)


@transaction.atomic
def hold_levels_set(*, category: Category, moderator: User, levels: dict[str, int]) -> Category:
    """Set some or all of a category's hold levels (0 holds nothing, 4 holds the most).
    Setting the levels it already has changes nothing and is not logged."""
    require(permissions.moderate_refusal(moderator))
    errors = {
        key: f"A level goes from 0 to {MAX_LEVEL}."
        for key, level in levels.items()
        if key in HOLD_CATEGORY_KEYS and not (isinstance(level, int) and 0 <= level <= MAX_LEVEL)
    }
    errors |= {key: "No such hold category." for key in levels if key not in HOLD_CATEGORY_KEYS}
    if errors:
        raise ValidationError(errors)
    category = Category.objects.select_for_update(no_key=True).get(pk=category.pk)
    before = category.hold_levels
    changes = {key: [before[key], level] for key, level in levels.items() if before[key] != level}
    if not changes:
        return category
    for key, (_, level) in changes.items():
        setattr(category, f"hold_{key}", level)
    save_changed(category, *(f"hold_{key}" for key in changes))
    summary = ", ".join(
        f"{HOLD_CATEGORY_NAMES[key].lower()} {old} → {new}" for key, (old, new) in changes.items()
    )
    _log(
        moderator=moderator,
        action=ModerationAction.Action.HOLD_LEVELS,
        details={"category": category.name, "levels": changes, "summary": f"{category}: {summary}"},
    )
    return category


def _describe(term: FilterTerm) -> dict:
    """A term as the log keeps it: its fields, and how the log page says it."""
    if term.action == FilterTerm.Action.PERMIT:
        where = "permitted"
    elif term.category:
        where = f"blocked in {HOLD_CATEGORY_NAMES[term.category].lower()} from level {term.level}"
    else:
        where = "blocked everywhere"
    return {
        "text": term.text,
        "action": term.action,
        "category": term.category,
        "level": term.level,
        "note": term.note,
        "summary": f"“{term.text}”, {where}",
    }


def _save(term: FilterTerm) -> None:
    """Validate and save; the same term on the same list twice is an error beside the text
    (two moderators adding it at once: the constraint decides, with the same words)."""
    term.full_clean(validate_constraints=False)
    duplicate = FilterTerm.objects.filter(
        text=term.text, action=term.action, category=term.category
    ).exclude(pk=term.pk)
    if duplicate.exists():
        raise ValidationError({"text": TERM_ALREADY_LISTED}, code="duplicate")
    try:
        with transaction.atomic():
            term.save()
    except IntegrityError as exc:
        raise ValidationError({"text": TERM_ALREADY_LISTED}, code="duplicate") from exc


@transaction.atomic
def filter_term_add(
    *,
    moderator: User,
    text: str,
    action: str = FilterTerm.Action.BLOCK,
    category: str = "",
    level: int = 1,
    note: str = "",
) -> FilterTerm:
    require(permissions.moderate_refusal(moderator))
    term = FilterTerm(text=text, action=action, category=category, level=level, note=note)
    _save(term)
    _log(moderator=moderator, action=ModerationAction.Action.TERM_ADD, details=_describe(term))
    return term


@transaction.atomic
def filter_term_change(
    *,
    term: FilterTerm,
    moderator: User,
    text: str,
    action: str,
    category: str = "",
    level: int = 1,
    note: str = "",
) -> FilterTerm:
    """Change a term; the log keeps it as it was and as it is. No change, no log row."""
    require(permissions.moderate_refusal(moderator))
    term = FilterTerm.objects.select_for_update().filter(pk=term.pk).first()
    if term is None:
        raise ValidationError(
            "Another moderator removed this term a moment ago; add it again if it should stay.",
            code="stale",
        )
    before = _describe(term)
    term.text, term.action, term.category, term.level, term.note = (
        text,
        action,
        category,
        level,
        note,
    )
    term.full_clean(validate_constraints=False)  # normalises the text before comparing
    after = _describe(term)
    if after == before:
        return term
    _save(term)
    _log(
        moderator=moderator,
        action=ModerationAction.Action.TERM_CHANGE,
        details={
            "before": before,
            "after": after,
            "summary": f"{before['summary']} → {after['summary']}",
        },
    )
    return term


@transaction.atomic
def filter_term_remove(*, term: FilterTerm, moderator: User) -> None:
    require(permissions.moderate_refusal(moderator))
    term = FilterTerm.objects.select_for_update().filter(pk=term.pk).first()
    if term is None:  # removed by another moderator a moment ago: nothing left to do
        return
    details = _describe(term)
    term.delete()
    _log(moderator=moderator, action=ModerationAction.Action.TERM_REMOVE, details=details)
