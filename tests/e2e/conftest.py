"""A real browser for the journeys people take: Debian's Chromium driven by Playwright.

Playwright cannot download its own browser here, so it launches the system Chromium by path.
Without a Chromium the journeys are skipped on a laptop, and fail in CI (REQUIRE_BROWSER=1),
where .ci/run installs it.

Every page a journey sees is checked by axe-core (through axe-playwright-python, which bundles
it): each document is checked just before the browser leaves it, so the state the journey
left it in (a filled form, an error) is what is checked, and the last page of every tab when
the journey ends. A violation anywhere fails the journey, with the rule, the page and the
elements named.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, field

import pytest

# Playwright's sync API runs an event loop in the test's thread; Django would otherwise
# refuse the test's own database calls in that thread.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

# The sizes the journeys and screenshots are taken at: a laptop, and a common phone.
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}


def chromium_path() -> str | None:
    return (
        os.environ.get("CHROMIUM_PATH")
        or shutil.which("chromium")
        or shutil.which("chromium-browser")
    )


# What a person does on a page: before any of these, the page they act on is checked if it
# has shown a new document since its last check.
PAGE_ACTIONS = (
    "goto",
    "reload",
    "go_back",
    "go_forward",
    "click",
    "dblclick",
    "tap",
    "fill",
    "type",
    "press",
    "check",
    "uncheck",
    "set_checked",
    "select_option",
    "set_input_files",
    "hover",
)
LOCATOR_ACTIONS = (*PAGE_ACTIONS[4:], "press_sequentially", "clear")


@dataclass
class AxeWatch:
    """Runs axe-core on every document the watched windows show, and keeps what it finds for
    the end of the journey.

    A window that shows a new document is marked; the check runs in the journey's own flow,
    just before its next action on that window (or at the end), once the document has
    loaded. Checking from the "load" event would race the journey's next click, and a check
    cannot run from Playwright's route handler: the page does not answer while its next
    navigation waits there."""

    violations: list[str] = field(default_factory=list)
    checked: int = 0
    pending: set = field(default_factory=set)
    busy: bool = False

    def __post_init__(self) -> None:
        from axe_playwright_python.sync_playwright import Axe

        self.axe = Axe()

    def watch(self, context):
        context.on("page", self._watch_page)
        close = context.close

        def checked_close(*args, **kwargs):
            # A journey that closes a second visitor's window has its last page checked.
            for page in context.pages:
                self.check_if_new(page)
            return close(*args, **kwargs)

        context.close = checked_close
        return context

    def _watch_page(self, page) -> None:
        def navigated(frame) -> None:
            if frame.parent_frame is None:
                self.pending.add(page)

        page.on("framenavigated", navigated)
        page.on("close", lambda _page: self.pending.discard(page))

    def check_if_new(self, page) -> None:
        if page not in self.pending or self.busy or page.is_closed():
            return
        self.busy = True
        try:
            self.pending.discard(page)
            page.wait_for_load_state("load")
            self.check(page)
        finally:
            self.busy = False

    def check(self, page) -> None:
        url = page.url
        if not url.startswith("http"):
            return
        try:
            results = self.axe.run(page)
        except Exception as error:
            # The page left by itself under the check (a page that reloads while a task
            # runs): the document that replaces it is marked and checked in turn.
            if "context was destroyed" in str(error):
                return
            raise
        self.checked += 1
        for rule in results.response["violations"]:
            nodes = "\n    ".join(
                f"{' '.join(map(str, node['target']))}: "
                + " ".join(node.get("failureSummary", "").split())
                for node in rule["nodes"][:6]
            )
            self.violations.append(
                f"{url}\n  {rule['id']} ({rule['impact']}): {rule['help']}\n    {nodes}"
            )

    def assert_clean(self) -> None:
        if self.violations:
            pytest.fail(
                f"axe-core found {len(self.violations)} accessibility violation(s):\n"
                + "\n".join(dict.fromkeys(self.violations)),
                pytrace=False,
            )


def _checked_first(method, page_of):
    def action(self, *args, **kwargs):
        watch = _watching.get("axe")
        if watch is not None:
            watch.check_if_new(page_of(self))
        return method(self, *args, **kwargs)

    return action


# The journey's AxeWatch, while one runs; the actions patched in below look it up here.
_watching: dict[str, AxeWatch] = {}


class CheckedBrowser:
    """The session's Chromium, whose new windows are all watched by the journey's axe."""

    def __init__(self, browser, axe: AxeWatch) -> None:
        self._browser = browser
        self._axe = axe

    def new_context(self, **options):
        context = self._browser.new_context(**options)
        context.set_default_timeout(15_000)
        return self._axe.watch(context)

    def __getattr__(self, name):
        return getattr(self._browser, name)


@pytest.fixture(scope="session")
def chromium():
    path = chromium_path()
    if path is None:
        if os.environ.get("REQUIRE_BROWSER"):
            pytest.fail(
                "REQUIRE_BROWSER is set but no Chromium was found (apt-get install chromium)."
            )
        pytest.skip("No Chromium on this machine (apt-get install chromium to run the journeys).")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def axe(monkeypatch):
    from playwright.sync_api import Locator, Page

    for name in PAGE_ACTIONS:
        monkeypatch.setattr(Page, name, _checked_first(getattr(Page, name), lambda page: page))
    for name in LOCATOR_ACTIONS:
        monkeypatch.setattr(
            Locator, name, _checked_first(getattr(Locator, name), lambda loc: loc.page)
        )
    watch = AxeWatch()
    _watching["axe"] = watch
    yield watch
    del _watching["axe"]
    watch.assert_clean()


@pytest.fixture
def browser(chromium, axe):
    """Chromium for this journey: every window it opens is checked by axe."""
    browser = CheckedBrowser(chromium, axe)
    yield browser
    # Whatever is still open is checked where the journey left it.
    for context in chromium.contexts:
        for page in context.pages:
            axe.check_if_new(page)


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, viewport=DESKTOP)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def phone(browser, live_server):
    """A phone-sized window (390×844, touch), for the journeys people take on their phones."""
    context = browser.new_context(
        base_url=live_server.url, viewport=PHONE, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    yield page
    context.close()
