"""Authentication backends that read the signed-in person from the cache.

Every signed-in request loads its person (Django's ``get_user``): one query on every page,
and a noticeable part of the cheapest signed-in page. The backends here are Django's and
allauth's, with that load served from the shared cache. Saving or deleting a person forgets
the cached copy (at once and again after commit; ``forget_person``, on Django's save and
delete signals, which also cover the admin's bulk delete), so a password change, a
deactivation, a new username or a deleted account reaches every session with the next
request. (A queryset ``update()`` sends no signal: nothing in the portal updates people so.)
The copy lives five minutes at most: if forgetting it was lost in a cache outage, or a
request that read the row just before a change committed cached it just after, that bounds
how long a session could outlive a password change, as for sessions (portal/core/sessions.py).
"""

from __future__ import annotations

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend as DjangoModelBackend
from django.core.cache import cache

from portal.accounts.models import person_key
from portal.core.cache import forget

CACHED_FOR_SECONDS = 5 * 60


def cached_person(user_id):
    """The person with this id (as Django read it from the session), from the cache or the
    database; None if there is none."""
    User = get_user_model()
    person = cache.get(person_key(user_id))
    if person is None:
        try:
            person = User._default_manager.get(pk=user_id)
        except User.DoesNotExist:
            return None
        # Cached as loaded, before anything on this request touches its related objects.
        cache.set(person_key(user_id), person, CACHED_FOR_SECONDS)
    return person


class _CachedPerson:
    def get_user(self, user_id):
        person = cached_person(user_id)
        return person if person is not None and self.user_can_authenticate(person) else None


class ModelBackend(_CachedPerson, DjangoModelBackend):
    """Username and password (the admin, tests' force_login), person from the cache."""


class AuthenticationBackend(_CachedPerson, AllauthBackend):
    """allauth's sign-in by username or email, person from the cache."""


def forget_person(sender, instance, **kwargs) -> None:
    """Connected to User's post_save and post_delete (portal/accounts/apps.py)."""
    forget(person_key(instance.pk))
