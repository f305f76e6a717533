"""The production path with Redis: shared cache and the RQ task queue with its worker.

Runs when REDIS_URL points at a Redis server (CI starts one); skipped otherwise.
"""

import os
import subprocess
import sys

import pytest

pytestmark = pytest.mark.skipif(
    not os.environ.get("REDIS_URL"), reason="set REDIS_URL to a Redis server (CI starts one)"
)

ENQUEUE = """
from django.core.cache import cache
from tandem.core.tasks import send_email
cache.set("tandem-test-key", "shared", 60)
result = send_email.enqueue(subject="Through RQ", body="Hello from the worker", to=["a@example.com"])
print(result.id)
"""
READ = """
from django.core.cache import cache
print(cache.get("tandem-test-key"))
"""


def run(code: str, env: dict) -> str:
    return subprocess.run(
        [sys.executable, "-m", "tandem.cli", "manage", "shell", "--no-imports", "-c", code],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()


def test_tasks_go_through_rq_and_the_worker_sends_the_mail(tmp_path):
    mail_dir = tmp_path / "mail"
    env = {
        **os.environ,
        "TANDEM_VAR_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "tandem.settings",
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(mail_dir),
    }
    env.pop("DATABASE_URL", None)
    env.pop("TASKS_IMMEDIATE", None)
    assert run(ENQUEUE, env)
    assert run(READ, env) == "shared"  # another process sees the same cache
    subprocess.run(
        [
            sys.executable,
            "-m",
            "tandem.cli",
            "manage",
            "rqworker",
            "default",
            "--burst",
            "--job-class",
            "django_tasks_rq.Job",
        ],
        env=env,
        check=True,
        capture_output=True,
    )
    sent = "".join(path.read_text() for path in mail_dir.iterdir())
    assert "Subject: Through RQ" in sent and "Hello from the worker" in sent
