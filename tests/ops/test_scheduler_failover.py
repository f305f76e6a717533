"""Two schedulers on one database, as on two servers: one acts; kill it with SIGKILL and the
other takes over once the dead one's lease runs out."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable

HOLDER = """
import django
django.setup()
from django.utils import timezone
from tandem.core.models import Heartbeat
beat = Heartbeat.objects.filter(name="scheduler", lease_until__gt=timezone.now()).first()
print(beat.holder if beat else "")
"""


def test_when_the_acting_scheduler_is_killed_the_other_takes_over(tmp_path, own_database):
    env = {
        **os.environ,
        "DATABASE_URL": own_database,
        "TANDEM_VAR_DIR": str(tmp_path / "var"),
        "PYTHONPATH": str(ROOT / "src"),
        "DJANGO_SETTINGS_MODULE": "tandem.settings",
        "SCHEDULER_LEASE_SECONDS": "3",
    }
    env.pop("REDIS_URL", None)
    subprocess.run([PYTHON, "-m", "tandem.cli", "manage", "migrate", "-v0"], env=env, check=True)

    def holder() -> str:
        done = subprocess.run([PYTHON, "-c", HOLDER], env=env, capture_output=True, text=True, check=True)
        return done.stdout.strip()

    def wait_for(condition, seconds: float) -> str:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            found = holder()
            if condition(found):
                return found
            time.sleep(0.5)
        raise AssertionError("no scheduler took the lease in time")

    schedulers = [
        subprocess.Popen(
            [PYTHON, "-m", "tandem.cli", "manage", "scheduler", "--tick", "1", "--interval", "1"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(2)
    ]
    try:
        first = wait_for(bool, 30)
        pids = {scheduler.pid: scheduler for scheduler in schedulers}
        acting = pids[int(first.rsplit(":", 1)[1])]
        acting.send_signal(signal.SIGKILL)  # no goodbye: its lease must run out
        acting.wait()
        second = wait_for(lambda found: found and found != first, 20)
        survivor = next(scheduler for scheduler in schedulers if scheduler is not acting)
        assert second.endswith(f":{survivor.pid}")
    finally:
        for scheduler in schedulers:
            if scheduler.poll() is None:
                scheduler.send_signal(signal.SIGTERM)
                scheduler.wait(timeout=20)
    assert holder() == ""  # the survivor gave its lease up when stopped
