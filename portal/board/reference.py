"""Roles and languages as the board's pages need them, read from the shared cache.

Every board list offers the full role and language lists as filters and labels each card with
names from them, so reading both tables on each request was two queries per page for data
that changes only when an admin edits it or a deploy's migrate rewrites the reference rows.

Correct across processes because the cache is shared and every save or delete of a Role or
Language (admin, ``ensure_reference_data`` after migrate) deletes the entry, so the next
request reads the tables again. Writes that send no signals (``QuerySet.update``,
``bulk_create``, SQL by hand) are not part of how these rows change; the lifetime bounds what
one could leave behind.

Cards and opening pages show role and language names inside cached fragments, so the lists
carry a ``version`` (a digest of what they hold, made once when read from the tables): it is
part of those fragments' keys, and a renamed role gives them new ones.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.core.cache import cache

from portal.accounts.models import Language, Role
from portal.core.cache import forget

# The rows are pickled: bump the version when RoleRow or LanguageRow change shape, so a
# deploy never reads the old shape.
ROLES_KEY = "board:reference:roles:v2"
LANGUAGES_KEY = "board:reference:languages:v2"
LIFETIME_SECONDS = 60 * 60


@dataclass(frozen=True)
class RoleRow:
    pk: int
    slug: str
    name: str

    def __str__(self) -> str:
        return self.name


@dataclass(frozen=True)
class LanguageRow:
    pk: int
    code: str
    name: str

    def __str__(self) -> str:
        return self.name


@dataclass(frozen=True)
class Reference:
    roles: list[RoleRow]  # in the taxonomy's order
    languages: list[LanguageRow]  # by name
    role_by_pk: dict[int, RoleRow]
    language_by_pk: dict[int, LanguageRow]
    version: str  # changes with any name, slug, code or order in either list


def _digest(rows: list) -> str:
    return hashlib.blake2b(repr(rows).encode(), digest_size=6).hexdigest()


def reference(*, fresh: bool = False) -> Reference:
    """Roles and languages, from the cache when it has them (one round trip for both);
    ``fresh`` reads the tables and refills the cache. Each list is kept with its digest."""
    found = {} if fresh else cache.get_many([ROLES_KEY, LANGUAGES_KEY])
    missing = {}
    if ROLES_KEY not in found:
        rows = [RoleRow(*row) for row in Role.objects.values_list("pk", "slug", "name")]
        found[ROLES_KEY] = missing[ROLES_KEY] = (rows, _digest(rows))
    if LANGUAGES_KEY not in found:
        rows = [LanguageRow(*row) for row in Language.objects.values_list("pk", "code", "name")]
        found[LANGUAGES_KEY] = missing[LANGUAGES_KEY] = (rows, _digest(rows))
    if missing:
        cache.set_many(missing, LIFETIME_SECONDS)
    roles, roles_version = found[ROLES_KEY]
    languages, languages_version = found[LANGUAGES_KEY]
    return Reference(
        roles=roles,
        languages=languages,
        role_by_pk={row.pk: row for row in roles},
        language_by_pk={row.pk: row for row in languages},
        version=f"{roles_version}{languages_version}",
    )


def forget_roles(**kwargs) -> None:
    forget(ROLES_KEY)


def forget_languages(**kwargs) -> None:
    forget(LANGUAGES_KEY)
