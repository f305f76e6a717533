import os
import shutil
from pathlib import Path

import pytest

# The sync Playwright API runs an event loop in the test thread; Django must allow it.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

pytest_plugins = ["tests.factories"]


def _force_login_both_factors(self, user, backend=None):
    """``Client.force_login`` skips signing in, and so the second factor too (staff need one
    by default): the session is marked as having given it. Tests of the second step sign in
    through the forms (tests/customers/test_two_factor.py)."""
    from tandem.customers.security_middleware import VERIFIED_KEY

    _plain_force_login(self, user, backend)
    session = self.session
    session[VERIFIED_KEY] = user.pk
    session.save()


def _install_force_login() -> None:
    from django.test import Client

    global _plain_force_login
    if getattr(Client.force_login, "both_factors", False):
        return
    _plain_force_login = Client.force_login
    _force_login_both_factors.both_factors = True
    Client.force_login = _force_login_both_factors


_plain_force_login = None
_install_force_login()


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings, tmp_path_factory):
    """Quick password hashing, tasks run inline, media in a temporary folder, empty caches
    private to this test process (xdist workers must not share a file cache)."""
    from django.core.cache import caches

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.PAYMENT_TEST_ENABLED = True  # the built-in test gateway (off by default)
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.MEDIA_ROOT = str(tmp_path_factory.getbasetemp() / "media")
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path_factory.getbasetemp() / "private")
    settings.ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1", "b2b.shop.example"]
    locmem = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    settings.CACHES = {
        "default": {**locmem, "LOCATION": "default"},
        "local": {**locmem, "LOCATION": "local"},
        "template_fragments": {**locmem, "LOCATION": "fragments"},
    }
    for alias in settings.CACHES:
        caches[alias].clear()
    yield
    for alias in settings.CACHES:
        caches[alias].clear()


# --- browser tests -------------------------------------------------------------------------


def pytest_collection_modifyitems(config, items):
    if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        # A race needs two writers at once; SQLite has one (see tests/concurrency.py).
        only_postgres = pytest.mark.skip(
            reason="proves a lock only on PostgreSQL, where CI runs it (DATABASE_URL=postgres://… bin/test)"
        )
        for item in items:
            if "postgres" in item.keywords:
                item.add_marker(only_postgres)
    if Path(CHROMIUM).exists() or shutil.which("chromium"):
        return
    skip = pytest.mark.skip(
        reason=f"Chromium not found at {CHROMIUM}: install Debian's browser with "
        "`apt-get install chromium` (CI does) or set CHROMIUM_PATH"
    )
    for item in items:
        if "e2e" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Playwright drives Debian's Chromium; it must never try to download a browser."""
    path = CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium")
    return {**browser_type_launch_args, "executable_path": path, "args": CHROMIUM_ARGS}
