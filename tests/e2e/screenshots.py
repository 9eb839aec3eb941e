"""`make screenshots`: a PNG of each key page at desktop and phone sizes, in light and dark, so
that a reviewer can look at the product without running it.

Serves the laptop database (which `make demo` fills) with `manage.py runserver` on a free
port, signs in as demo_mod and drives Debian's Chromium through the pages, writing
var/screenshots/<page>-<size>-<theme>.png (git-ignored). The dark shots follow the system
setting, as a new visitor's would; the demo account is set back to "Same as my device" first.
Each page is checked by axe-core too, and for fitting the screen's width; the run fails on any
violation or page that scrolls sideways.

    python tests/e2e/screenshots.py [--out DIR] [--only home,board] [--fold]
"""

from __future__ import annotations

import argparse
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.e2e.conftest import CHROMIUM_ARGS, DESKTOP, PHONE, AxeWatch, chromium_path  # noqa: E402

DEMO_LOGIN = ("demo_mod", "modhall-demo-2026")
SIZES = {"desktop": DESKTOP, "phone": PHONE}
# A page that scrolls sideways: something in it does not fit the screen.
TOO_WIDE = "document.documentElement.scrollWidth > window.innerWidth"
THEMES = ("light", "dark")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def serve(port: int) -> subprocess.Popen:
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/", timeout=2)
            return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("The server did not start: run `make demo` first.")


def first_link(page, selector: str) -> str:
    href = page.locator(selector).first.get_attribute("href")
    if not href:
        raise SystemExit(f"No {selector} on {page.url}: is the demo data loaded (make demo)?")
    return href


def key_pages(page) -> dict[str, str]:
    """The pages to take, found by following the demo data's first links."""
    pages = {"home": "/", "guides": "/guides/"}
    page.goto("/guides/")
    page.goto(first_link(page, ".guides-track-card a"))
    pages["lesson"] = first_link(page, ".guides-lesson-link")
    pages["board"] = "/board/"
    page.goto("/board/")
    pages["opening"] = first_link(page, ".opening-card h3 a")
    pages["forums"] = "/forums/"
    page.goto("/forums/")
    pages["category"] = first_link(page, ".category-list .topic-title")
    page.goto(pages["category"])
    pages["topic"] = first_link(page, ".topic-list a.topic-title")
    pages["account"] = "/accounts/email/"
    pages["appearance"] = "/account/appearance/"
    return pages


def sign_in(page) -> None:
    page.goto("/accounts/login/")
    page.fill("input[name=login]", DEMO_LOGIN[0])
    page.fill("input[name=password]", DEMO_LOGIN[1])
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", default=str(ROOT / "var" / "screenshots"))
    parser.add_argument("--only", default="", help="comma-separated page names")
    parser.add_argument("--fold", action="store_true", help="the first screen only, not the page")
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    path = chromium_path()
    if path is None:
        raise SystemExit("make screenshots needs Chromium: apt-get install chromium")

    from playwright.sync_api import sync_playwright

    port = free_port()
    server = serve(port)
    base_url = f"http://127.0.0.1:{port}"
    written = 0
    # Each page shot is also checked by axe-core, as the journeys check theirs: this is where
    # every key page is seen in dark on a phone.
    axe = AxeWatch()
    too_wide: list[str] = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
            setup = browser.new_context(base_url=base_url, viewport=DESKTOP)
            page = setup.new_page()
            sign_in(page)
            # Follow the system setting, whatever the demo account was last set to.
            page.goto("/account/appearance/")
            page.get_by_label("Same as my device").check()
            page.get_by_role("button", name="Save").click()
            pages = key_pages(page)
            signed_in = setup.storage_state()
            setup.close()
            wanted = set(filter(None, args.only.split(",")))
            for size, viewport in SIZES.items():
                for theme in THEMES:
                    for visitor in ("member", "anonymous"):
                        context = browser.new_context(
                            base_url=base_url,
                            viewport=viewport,
                            is_mobile=size == "phone",
                            has_touch=size == "phone",
                            color_scheme=theme,
                            storage_state=signed_in if visitor == "member" else None,
                        )
                        page = context.new_page()
                        shots = {"sign-in": "/accounts/login/"} if visitor == "anonymous" else pages
                        for name, url in shots.items():
                            if wanted and name not in wanted:
                                continue
                            page.goto(url)
                            axe.check(page)
                            if page.evaluate(TOO_WIDE):
                                too_wide.append(f"{name} is wider than the {size} ({url})")
                            page.screenshot(
                                path=out / f"{name}-{size}-{theme}.png", full_page=not args.fold
                            )
                            written += 1
                        if visitor == "member" and size == "phone" and not wanted:
                            # The header's menu, opened.
                            page.goto("/forums/")
                            page.get_by_text("Menu", exact=True).click()
                            page.screenshot(path=out / f"menu-{size}-{theme}.png")
                            written += 1
                        context.close()
            browser.close()
    finally:
        server.terminate()
        server.wait()
    print(f"{written} screenshots in {out}")
    if too_wide:
        raise SystemExit("\n".join(too_wide))
    if axe.violations:
        print("\n".join(dict.fromkeys(axe.violations)))
        raise SystemExit(f"axe-core: {len(axe.violations)} accessibility violation(s)")
    print(f"axe-core: no violations on {axe.checked} pages")


if __name__ == "__main__":
    main()
