"""Every page of the permission matrix fits a phone (390 px) and a laptop (1280 px).

Each GET page of ``tests/test_permissions.py`` (and each public page) is opened in Chromium
by the first role the matrix lets in, at 390×844 and 1280×800; the page itself must not
scroll sideways (a wide table may scroll inside its own box). One test collects every page
that overflows, with its width, so a run shows them all.
"""

from django.db import transaction
from django.test import Client
from playwright.sync_api import Browser
from playwright.sync_api import Error as PlaywrightError

from tests.test_permissions import PUBLIC, ROLES, ROWS, World

WIDTHS = ((390, 844), (1280, 800))
OVERFLOW = "Math.max(document.documentElement.scrollWidth, document.body.scrollWidth) - window.innerWidth"


def _pages() -> list[tuple[object, str]]:
    """(a row of the matrix or a public path, the role that opens it) for every HTML page."""
    pages: list[tuple[object, str]] = []
    for row in ROWS:
        if row.method != "get" or row.route.startswith("api-v1:"):
            continue
        role = next((role for role in ROLES if row.expect[role] == 200), None)
        if role is not None:
            pages.append((row, role))
    for route, path in sorted(PUBLIC.items()):
        if path and not route.startswith("api-v1:") and not path.endswith((".xml", ".txt", ".json")):
            pages.append((path, "anonymous"))
    return pages


def test_no_page_scrolls_sideways_at_390_or_1280_px(live_server, transactional_db, browser: Browser):
    with transaction.atomic():
        world = World()
    wide = []
    for row, role in _pages():
        client = Client()
        if world.users[role] is not None:
            client.force_login(world.users[role])
        if isinstance(row, str):
            path = row
        else:
            if row.prepare is not None:
                try:  # the world is not rolled back here: what an earlier row prepared may stand
                    with transaction.atomic():
                        row.prepare(client, world)
                except Exception:  # noqa: BLE001, S110 — e.g. "already shipped": the state is there
                    pass
            path = row.path(world)
        cookies = [
            {"name": name, "value": morsel.value, "url": live_server.url}
            for name, morsel in client.cookies.items()
        ]
        for width, height in WIDTHS:
            context = browser.new_context(viewport={"width": width, "height": height})
            context.add_cookies(cookies)
            page = context.new_page()
            try:
                response = page.goto(live_server.url + path)
            except PlaywrightError as error:  # a file (PDF, CSV): not a page
                assert "Download is starting" in str(error), (path, error)
                context.close()
                break
            if response is not None and "text/html" in (response.headers.get("content-type") or ""):
                page.wait_for_load_state("networkidle")
                overflow = page.evaluate(OVERFLOW)
                if overflow > 0:
                    wide.append(f"{path} as {role} at {width} px: {overflow} px too wide")
            context.close()
    assert not wide, "\n".join(wide)
