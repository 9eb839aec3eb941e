"""Keeps the benchmark's trivial view out of every page cache.

The trivial view is what every page is compared with, so it must measure the middleware
stack and nothing else: no whole-page cache may serve it from a hit (which made the anonymous
figure a cache hit, flattering every anonymous ratio), nor even look it up. The bench
settings therefore wrap each middleware whose dotted path mentions "cache" (today's
``portal.core.page_cache.AnonymousPageCacheMiddleware``, a successor named differently as
long as it says "cache", Django's own ``UpdateCacheMiddleware``/``FetchFromCacheMiddleware``)
in a shim that hands the trivial path straight to the next middleware. Everything else runs
as for any page.

Two further guards, for a cache that does not say "cache" in its name: the trivial view
answers ``Cache-Control: private, no-store`` (which Django's cache and any cache that
follows HTTP leave alone), and its body changes on every request, so bench/run.py notices
if two requests in a row got the same answer (a hit) and stops.

Wrapped middleware are reached as ``bench.uncached.skip_on_trivial_<n>``: the settings
module registers them while it loads, in every process, before Django imports the names.
"""

from __future__ import annotations

from collections.abc import Iterable

TRIVIAL_PATH = "/bench/trivial/"
WRAPPED: list[str] = []  # the dotted paths wrapped, in MIDDLEWARE order
_PREFIX = "skip_on_trivial_"


def is_page_cache(dotted_path: str) -> bool:
    return "cache" in dotted_path.lower()


def skipping_trivial(middleware: Iterable[str]) -> list[str]:
    """MIDDLEWARE with every page cache replaced by a shim that skips it on the trivial
    view."""
    result = []
    for dotted_path in middleware:
        if is_page_cache(dotted_path):
            if dotted_path not in WRAPPED:
                WRAPPED.append(dotted_path)
            dotted_path = f"{__name__}.{_PREFIX}{WRAPPED.index(dotted_path)}"
        result.append(dotted_path)
    return result


def __getattr__(name: str):
    if name.startswith(_PREFIX) and name[len(_PREFIX) :].isdigit():
        index = int(name[len(_PREFIX) :])
        if index < len(WRAPPED):
            return _shim(WRAPPED[index])
    raise AttributeError(name)


def _shim(dotted_path: str) -> type:
    from django.utils.module_loading import import_string

    class SkipOnTrivial:
        wrapped = dotted_path

        def __init__(self, get_response) -> None:
            self.get_response = get_response
            # MiddlewareNotUsed raised here leaves the whole entry out, as Django would.
            self.inner = import_string(dotted_path)(get_response)
            # The hooks Django looks up on a middleware instance, skipped on the trivial path.
            for hook in ("process_view", "process_template_response", "process_exception"):
                inner_hook = getattr(self.inner, hook, None)
                if inner_hook is not None:
                    setattr(self, hook, _skipping(inner_hook, hook))

        def __call__(self, request):
            if request.path == TRIVIAL_PATH:
                return self.get_response(request)
            return self.inner(request)

    SkipOnTrivial.__qualname__ = SkipOnTrivial.__name__ = f"SkipOnTrivial[{dotted_path}]"
    return SkipOnTrivial


def _skipping(hook, name: str):
    def call(request, *args):
        if request.path == TRIVIAL_PATH:
            # process_template_response must hand the response on; the others answer None.
            return args[0] if name == "process_template_response" else None
        return hook(request, *args)

    return call
