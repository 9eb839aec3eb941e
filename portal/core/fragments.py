"""Pieces of pages (a forum post, a row of a topic list, an opening's card) rendered once for
what they show and kept in the shared cache, so many readers of a busy page don't each render
them.

A piece is rendered from a context of plain values and nothing else (no request, no user, no
context processors), and its cache key is a digest of that whole context, the template's
source and what dates and words depend on (time zone, language). So a cached piece is, by
construction, exactly what rendering would give now: any change to what it shows changes the
key and the next reader sees it at once. Nothing is ever invalidated; old versions expire.
The cost per piece is building its context and a digest; one get_many per page, and one
set_many when something was rendered.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Sequence

from django.conf import settings
from django.core.cache import cache
from django.template.loader import get_template, render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

# Bump to drop every cached piece (the templates' own changes are in the key already).
VERSION = 1


def _template_digest(template_name: str) -> str:
    """The template's source, digested: a deploy that changes a piece's template changes
    every key, so no piece rendered by the old one is served. Read once per process, except
    in development, where templates change under a running server."""
    if settings.DEBUG:
        return _digest_of(template_name)
    return _digest_once(template_name)


def _digest_of(template_name: str) -> str:
    source = get_template(template_name).template.source
    return hashlib.blake2b(source.encode(), digest_size=8).hexdigest()


_digest_once = functools.cache(_digest_of)


def fragment_key(template_name: str, context: dict) -> str:
    """The cache key of the piece this context renders: a digest of the template and all of
    the context (repr of plain values: strings, numbers, dates, frozen dataclasses, lists)."""
    shown_in = (timezone.get_current_timezone_name(), get_language())
    version = (VERSION, template_name, _template_digest(template_name), shown_in, context)
    digest = hashlib.blake2b(repr(version).encode(), digest_size=16)
    return f"fragment:{digest.hexdigest()}"


def render_cached(
    template_name: str, contexts: Sequence[dict], *, lifetime: int
) -> list[SafeString]:
    """Each context rendered with the template, from the cache where it was rendered before."""
    keys = [fragment_key(template_name, context) for context in contexts]
    found = cache.get_many(keys) if keys else {}
    rendered = []
    missing = {}
    for key, context in zip(keys, contexts, strict=True):
        html = found.get(key)
        if html is None:
            html = missing[key] = render_to_string(template_name, context)
        # Output of our own autoescaped templates (user text comes pre-rendered by markup.py).
        rendered.append(mark_safe(html))  # noqa: S308
    if missing:
        cache.set_many(missing, lifetime)
    return rendered
