"""Operations: supervised processes that come back after a crash (real processes killed),
one active scheduler, readiness that names what fails, 503 while the database is away."""

import json
import logging
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from datetime import timedelta
from pathlib import Path
from unittest import mock

import pytest
from django.db import OperationalError
from django.test import Client
from django.utils import timezone

from tandem.core import housekeeping
from tandem.core.housekeeping import housekeeping_job
from tandem.core.logs import JsonFormatter
from tandem.core.models import Heartbeat, OutboxEvent
from tandem.core.scheduler import lease_release, lease_take, scheduler_run
from tandem.supervise import supervise

PYTHON = sys.executable
ROOT = Path(__file__).resolve().parents[2]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_a_crashed_process_is_started_again_with_growing_pauses_and_the_others_run_on():
    pids: dict[str, list[int]] = {"sleeper": [], "crasher": []}
    lines: list[str] = []
    killed = []

    def watch() -> bool:
        if not killed and pids["sleeper"]:
            os.kill(pids["sleeper"][0], signal.SIGKILL)  # a crash nobody asked for
            killed.append(time.monotonic())
        return len(pids["sleeper"]) >= 2 and len(pids["crasher"]) >= 3

    started = time.monotonic()
    supervise(
        [
            ("sleeper", [PYTHON, "-c", "import time; time.sleep(60)"]),
            ("crasher", [PYTHON, "-c", "import sys; sys.exit(3)"]),
        ],
        log=lines.append,
        started=lambda name, pid: pids[name].append(pid),
        stop_when=watch,
        stop_timeout=5,
        poll=0.05,
    )

    assert len(pids["sleeper"]) == 2 and pids["sleeper"][0] != pids["sleeper"][1]
    assert any("sleeper ended (exit code -9)" in line for line in lines)
    crashes = [line for line in lines if line.startswith("tandem: crasher ended (exit code 3)")]
    assert [line.rsplit("restarting in ", 1)[1] for line in crashes[:2]] == ["1 s", "2 s"]  # backoff
    assert time.monotonic() - started < 20
    assert not any(_alive(pid) for pid in pids["sleeper"] + pids["crasher"])  # all stopped


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _children(pid: int) -> list[tuple[int, str]]:
    found = subprocess.run(["ps", "-o", "pid=,args=", "--ppid", str(pid)], capture_output=True, text=True)
    return [(int(line.split(None, 1)[0]), line.split(None, 1)[1]) for line in found.stdout.splitlines()]


def _get(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - loopback
            return response.status
    except OSError:
        return 0


def test_tandem_start_keeps_the_shop_up_when_its_worker_is_killed(tmp_path):
    """`tandem start` (what `tandem demo` runs after loading its data): kill -9 the worker,
    the web server answers throughout and a new worker is running within seconds; SIGTERM
    stops everything."""
    port = _free_port()
    env = {
        **os.environ,
        "TANDEM_VAR_DIR": str(tmp_path),
        "PYTHONPATH": str(ROOT / "src"),
        "DJANGO_SETTINGS_MODULE": "tandem.settings",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SCHEDULER_INTERVAL_SECONDS": "1",
    }
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    shop = subprocess.Popen(
        [PYTHON, "-m", "tandem.cli", "start", "--port", str(port), "--workers", "2"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while _get(f"{base}/healthz") != 200:
            assert shop.poll() is None and time.monotonic() < deadline, "tandem start did not come up"
            time.sleep(0.5)
        workers = [pid for pid, args in _children(shop.pid) if "db_worker" in args]
        assert len(workers) == 1
        os.kill(workers[0], signal.SIGKILL)
        answered, replaced = [], []
        deadline = time.monotonic() + 20
        while not replaced and time.monotonic() < deadline:
            answered.append(_get(f"{base}/healthz"))
            replaced = [pid for pid, args in _children(shop.pid) if "db_worker" in args and pid != workers[0]]
            time.sleep(0.2)
        assert replaced, "the worker was not started again"
        assert set(answered) == {200}
        deadline = time.monotonic() + 30  # the scheduler asks the new worker for a heartbeat
        while _get(f"{base}/readyz") != 200 and time.monotonic() < deadline:
            time.sleep(0.5)
        assert _get(f"{base}/readyz") == 200
        with urllib.request.urlopen(f"{base}/metrics", timeout=5) as response:  # noqa: S310 - loopback
            exposition = response.read().decode()
        served = [
            float(line.rsplit(" ", 1)[1])
            for line in exposition.splitlines()
            if line.startswith("tandem_http_requests_total{")
            and 'route="healthz"' in line
            and 'status="200"' in line
        ]
        assert served and served[0] >= answered.count(200)  # both web processes' requests, added up
        assert 'tandem_heartbeat_age_seconds{process="worker"}' in exposition
    finally:
        shop.send_signal(signal.SIGTERM)
        try:
            shop.wait(timeout=40)
        except subprocess.TimeoutExpired:
            shop.kill()
            raise
    assert shop.returncode == 0
    assert _children(shop.pid) == []


@pytest.fixture(autouse=True)
def _no_test_jobs_left():
    yield
    for name in [name for name in housekeeping._jobs if name.startswith("test:")]:
        del housekeeping._jobs[name]


@pytest.mark.django_db
def test_only_one_scheduler_holds_the_lease_until_it_lets_go_or_its_time_runs_out():
    assert lease_take("a", seconds=30)
    assert not lease_take("b", seconds=30)
    assert lease_take("a", seconds=30)  # renewed
    lease_release("a")
    assert lease_take("b", seconds=30)
    Heartbeat.objects.filter(name="scheduler").update(lease_until=timezone.now() - timedelta(seconds=1))
    assert lease_take("a", seconds=30)  # b went silent: a takes over


@pytest.mark.django_db
def test_a_scheduler_tick_runs_every_job_even_after_one_fails_and_hears_from_the_worker():
    ran = []
    housekeeping_job("test: fails", lambda: 1 / 0, order=1)
    housekeeping_job("test: runs", lambda: ran.append("ran") or "ran", order=2)

    scheduler_run(interval=60, once=True, holder="test")

    assert ran == ["ran"]  # the failing job did not stop the next
    assert Heartbeat.objects.get(name="worker").beat_at is not None  # the task ran (inline here)
    assert Heartbeat.objects.get(name="scheduler").lease_until is None  # released on stop


@pytest.mark.django_db
def test_a_second_scheduler_does_nothing_while_the_first_holds_the_lease():
    ran = []
    housekeeping_job("test: counts", lambda: ran.append(1) or "counted", order=1)
    assert lease_take("first", seconds=30)

    scheduler_run(interval=60, once=True, holder="second")

    assert ran == []


@pytest.mark.django_db
def test_readyz_names_what_fails_and_the_web_scope_ignores_the_background(client: Client):
    for name in ("scheduler", "worker"):
        Heartbeat.objects.create(name=name, beat_at=timezone.now())
    ready = client.get("/readyz")
    assert ready.status_code == 200 and ready.json()["ready"] is True

    Heartbeat.objects.filter(name="worker").update(beat_at=timezone.now() - timedelta(hours=1))
    OutboxEvent.objects.create(name="order.placed", payload={})
    OutboxEvent.objects.filter().update(created_at=timezone.now() - timedelta(hours=1))
    stale = client.get("/readyz")
    assert stale.status_code == 503
    checks = stale.json()["checks"]
    assert {name for name, check in checks.items() if not check["ok"]} == {"worker", "outbox"}
    assert client.get("/readyz?scope=web").status_code == 200


def test_pages_and_the_api_answer_503_with_retry_after_while_the_database_is_away(db):
    client = Client(raise_request_exception=False)
    down = OperationalError("connection refused")
    with mock.patch("tandem.storefront.views.catalog.product_listing", side_effect=down):
        page = client.get("/")
    assert (page.status_code, page["Retry-After"]) == (503, "10")
    assert b"cannot reach its database" in page.content
    with mock.patch("tandem.catalog.api.catalog.all_categories", side_effect=down):
        answer = client.get("/api/v1/catalog/categories")
    assert (answer.status_code, answer["Retry-After"], answer.json()["code"]) == (
        503,
        "10",
        "service_unavailable",
    )


def test_every_request_leaves_an_access_line_with_route_status_duration_and_user(
    client, caplog, django_user_model
):
    user = django_user_model.objects.create_user("anna@shop.test", "pw-123456789")
    client.force_login(user)
    with caplog.at_level(logging.INFO, logger="tandem.access"):
        client.get("/healthz")
    record = next(record for record in caplog.records if record.name == "tandem.access")
    assert (record.method, record.path, record.route, record.status) == ("GET", "/healthz", "healthz", 200)
    assert record.duration_ms >= 0
    line = json.loads(JsonFormatter().format(record))
    assert {"time", "level", "message", "request_id", "route", "status", "duration_ms"} <= set(line)
    assert line["level"] == "INFO" and line["request_id"] != "-"


@pytest.mark.django_db
def test_a_task_whose_worker_died_is_queued_again_after_its_time(settings):
    from django_tasks_db.models import DBTaskResult

    from tandem.core.scheduler import stalled_tasks_requeue, worker_heartbeat

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.TASK_STALL_SECONDS = 600
    stalled, recent = worker_heartbeat.enqueue(), worker_heartbeat.enqueue()
    DBTaskResult.objects.filter(pk=stalled.id).update(
        status="RUNNING", started_at=timezone.now() - timedelta(seconds=601)
    )
    DBTaskResult.objects.filter(pk=recent.id).update(status="RUNNING", started_at=timezone.now())

    assert stalled_tasks_requeue() == "1 stalled tasks queued again"

    assert DBTaskResult.objects.get(pk=stalled.id).status == "READY"
    assert DBTaskResult.objects.get(pk=recent.id).status == "RUNNING"  # still within its time


@pytest.mark.django_db
def test_metrics_count_requests_and_read_the_database_for_a_token_or_an_allowed_address(settings):
    settings.METRICS_TOKEN = "scrape-secret"
    settings.METRICS_ALLOW_IPS = ["127.0.0.1"]
    local = Client(REMOTE_ADDR="127.0.0.1")
    local.get("/healthz")
    OutboxEvent.objects.create(name="order.placed", payload={})

    exposition = local.get("/metrics").content.decode()

    assert 'tandem_http_requests_total{method="GET",route="healthz",status="200"}' in exposition
    assert 'tandem_http_request_duration_seconds_bucket{le="0.005",route="healthz"}' in exposition
    assert 'tandem_outbox{measure="undelivered"} 1.0' in exposition
    assert 'tandem_orders_placed_total{channel="b2b"} 0.0' in exposition
    assert 'tandem_webhook_deliveries{status="failed"} 0.0' in exposition
    outsider = Client(REMOTE_ADDR="203.0.113.9")
    assert outsider.get("/metrics").status_code == 404
    assert outsider.get("/metrics", HTTP_AUTHORIZATION="Bearer scrape-secret").status_code == 200
    assert outsider.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 404


@pytest.mark.django_db
def test_metrics_through_a_proxy_need_the_token_and_odd_methods_make_no_series(settings):
    settings.METRICS_TOKEN = "scrape-secret"
    settings.METRICS_ALLOW_IPS = ["127.0.0.1"]
    proxied = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="127.0.0.1")  # made up, or the proxy's
    assert proxied.get("/metrics").status_code == 404
    assert proxied.get("/metrics", HTTP_AUTHORIZATION="Bearer scrape-secret").status_code == 200
    Client().generic("XYZZY", "/healthz")
    exposition = Client(REMOTE_ADDR="127.0.0.1").get("/metrics").content.decode()
    assert 'method="XYZZY"' not in exposition and 'method="OTHER",route="healthz"' in exposition


@pytest.mark.django_db
def test_a_scheduler_that_lost_its_lease_stops_before_the_next_job():
    ran = []
    housekeeping_job("test: first", lambda: ran.append("first") or "first", order=1)
    housekeeping_job("test: second", lambda: ran.append("second") or "second", order=2)
    answers = iter([True, False])  # the lease is taken by another scheduler after the first job

    lines = housekeeping.housekeeping_run(before_each=lambda: next(answers))

    assert ran == ["first"] and lines[-1] == "stopped: another scheduler holds the lease"


def test_the_access_log_never_shows_a_password_or_token_sent_in_the_query(client, caplog, db):
    with caplog.at_level(logging.INFO, logger="tandem.access"):
        client.get("/search/?q=drill&PASSWORD=hunter2&access_token=abc123&page=2")
    line = next(record for record in caplog.records if record.name == "tandem.access").getMessage()
    assert "hunter2" not in line and "abc123" not in line
    assert "PASSWORD=***" in line and "q=drill" in line and "page=2" in line
