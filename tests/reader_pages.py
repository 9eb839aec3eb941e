"""Checks for pages whose common part signed-in readers share (portal/core/reader_cache.py).

The promise of a shared part is that a reader's page is the same, byte for byte, whether the
part was built for them or by another reader of their class a moment before. Each page that
uses one tests that promise for the kinds of reader it serves, with ``assert_shared_is_same``.
"""

from __future__ import annotations

import re

from django.core.cache import cache
from django.test import Client

from portal.core import reader_cache

_CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


def page_text(client: Client, url: str) -> str:
    """The page as text, with the per-request CSRF token masked."""
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return _CSRF.sub('name="csrfmiddlewaretoken" value="…"', response.content.decode())


def signed_in(person) -> Client:
    client = Client()
    client.force_login(person)
    return client


class SharedSpy:
    """Records each ``reader_cache.shared`` call: whether it was served from the cache
    (``hits``). ``watch`` puts one in place for a test (the ``shared_parts`` fixture)."""

    @classmethod
    def watch(cls, monkeypatch) -> SharedSpy:
        spy = cls(reader_cache.shared)
        monkeypatch.setattr(reader_cache, "shared", spy)
        return spy

    def __init__(self, real):
        self.real = real
        self.hits: list[bool] = []

    def __call__(self, name, *, vary, build):
        built = []

        def spied_build():
            built.append(True)
            return build()

        value = self.real(name, vary=vary, build=spied_build)
        self.hits.append(not built)
        return value


def assert_shared_is_same(
    *, url: str, reader, warmed_by, settings, monkeypatch, shared: bool = True
) -> str:
    """``reader``'s page when ``warmed_by`` built the shared part is their page built for
    them alone. ``shared`` says whether the reader should get the warmed part (same class) or
    have theirs built (a reader the page serves alone). Each page is visited twice first, so
    whatever a visit writes (read state) is the same before both compared visits."""
    reader_client, warm_client = signed_in(reader), signed_in(warmed_by)

    settings.READER_PAGE_CACHE = False
    page_text(reader_client, url)
    alone = page_text(reader_client, url)

    settings.READER_PAGE_CACHE = True
    cache.clear()
    page_text(warm_client, url)
    spy = SharedSpy.watch(monkeypatch)
    with_shared = page_text(reader_client, url)
    monkeypatch.setattr(reader_cache, "shared", spy.real)

    assert with_shared == alone
    if shared:
        assert spy.hits and all(spy.hits), f"{url}: the reader did not get the shared part"
    else:
        assert not any(spy.hits), f"{url}: the reader got a part another reader built"
    return with_shared
