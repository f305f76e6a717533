"""Settings come from the environment; check the production paths without a server."""

import json
import os
import subprocess
import sys

import pytest
from django.db import connection

PRINT_SETTINGS = (
    "import json, tandem.settings as s; print(json.dumps({'cache': s.CACHES['default']['BACKEND'], "
    "'tasks': s.TASKS['default']['BACKEND'], 'sessions': getattr(s, 'SESSION_ENGINE', ''), "
    "'db': s.DATABASES['default']['ENGINE'], 'secure': s.SESSION_COOKIE_SECURE, "
    "'hosts': s.ALLOWED_HOSTS, 'debug': s.DEBUG}))"
)


def settings_with(tmp_path, **env) -> dict:
    environment = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    environment.update(TANDEM_VAR_DIR=str(tmp_path), **env)
    output = subprocess.run(
        [sys.executable, "-c", PRINT_SETTINGS], env=environment, capture_output=True, text=True, check=True
    ).stdout
    return json.loads(output)


def test_the_defaults_are_the_embedded_demo(tmp_path):
    values = settings_with(tmp_path)
    assert values["db"] == "tandem.core.sqlite"  # SQLite, writers queued on a lock file
    assert values["cache"].endswith("file_cache.FileCache")  # shared by all server processes
    assert values["tasks"] == "django_tasks_db.DatabaseBackend"
    assert values["debug"] is False
    assert (tmp_path / "secret_key").exists()


def test_production_variables_switch_to_postgres_redis_and_rq(tmp_path):
    values = settings_with(
        tmp_path,
        DATABASE_URL="postgres://u:p@db:5432/tandem",
        REDIS_URL="redis://redis:6379/0",
        SECRET_KEY="x" * 50,
        HTTPS="1",
        ALLOWED_HOSTS="shop.example.com,b2b.shop.example.com",
    )
    assert values["db"] == "django.db.backends.postgresql"
    assert values["cache"] == "django.core.cache.backends.redis.RedisCache"
    assert values["tasks"] == "django_tasks_rq.RQBackend"
    assert values["sessions"] == "django.contrib.sessions.backends.cached_db"
    assert values["secure"] is True
    assert values["hosts"] == ["shop.example.com", "b2b.shop.example.com"]
    assert not (tmp_path / "secret_key").exists()


@pytest.mark.django_db
def test_sqlite_runs_in_wal_mode_with_a_busy_timeout():
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA busy_timeout")
        assert cursor.fetchone()[0] == 20000
        cursor.execute("PRAGMA foreign_keys")
        assert cursor.fetchone()[0] == 1
    assert connection.settings_dict["OPTIONS"]["transaction_mode"] == "IMMEDIATE"


def test_security_headers_are_sent(client):
    response = client.get("/healthz")
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "camera=()" in response.headers["Permissions-Policy"]


def test_nul_characters_in_submitted_text_are_a_400(client, db):
    form = client.post("/cart/add/", {"sku": "A\x00B", "quantity": "1"})
    api = client.post(
        "/api/v1/cart/lines", '{"sku": "A\\u0000B", "quantity": 1}', content_type="application/json"
    )
    assert (form.status_code, api.status_code) == (400, 400)


@pytest.mark.django_db
def test_shop_pages_refuse_browser_features_they_never_use(client):
    policy = client.get("/").headers["Permissions-Policy"]
    assert "geolocation=()" in policy and "payment=()" in policy and "camera=()" in policy


@pytest.mark.django_db
def test_every_surface_allows_scripts_only_from_the_shops_own_files(client):
    for path in ("/", "/admin/login/", "/api/v1/docs", "/healthz"):
        policy = dict(
            part.strip().split(" ", 1)
            for part in client.get(path).headers["Content-Security-Policy"].split(";")
        )
        assert policy["script-src"] == "'self'", path  # no inline script, no eval, no CDN
        assert policy["object-src"] == "'none'" and policy["frame-ancestors"] == "'none'"
        assert policy["base-uri"] == "'none'" and policy["form-action"].startswith("'self'")


@pytest.mark.django_db
def test_the_api_docs_load_the_shops_own_copy_of_swagger_ui(client):
    page = client.get("/api/v1/docs").content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in page and "cdn" not in page.lower()


def test_pictures_may_come_from_the_media_host_and_forms_go_to_the_payment_provider(tmp_path):
    code = "import tandem.settings as s; print(s.CONTENT_SECURITY_POLICY)"
    env = {
        **{k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")},
        "TANDEM_VAR_DIR": str(tmp_path),
        "MEDIA_URL": "https://cdn.shop.example/media/",
        "CSP_FORM_ACTION": "https://secure.przelewy24.pl",
    }
    policy = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    ).stdout
    assert "img-src 'self' data: https://cdn.shop.example;" in policy
    assert "form-action 'self' https://secure.przelewy24.pl" in policy


def test_no_template_carries_an_inline_script_or_event_handler():
    """The policy would block them: a new one must be a file in static/ (shop.js)."""
    import re
    from pathlib import Path

    import tandem

    inline = re.compile(
        r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")|\son[a-z]+=\"|javascript:", re.I
    )
    found = [
        f"{path.relative_to(Path(tandem.__file__).parent)}: {match.group(0)!r}"
        for path in Path(tandem.__file__).parent.rglob("templates/**/*.html")
        for match in inline.finditer(path.read_text())
    ]
    assert found == []


@pytest.mark.django_db
def test_every_model_change_has_its_migration():
    """A model changed without its migration would be applied by nobody on a release."""
    from django.core.management import call_command

    call_command("makemigrations", "--check", "--dry-run", verbosity=0)
