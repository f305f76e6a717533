"""Keep the demo's processes running: the web server, the worker and the scheduler.

A process that ends is started again after a pause that doubles while it keeps failing
(1 s, 2 s, 4 s … at most ``BACKOFF_MAX``) and starts over at 1 s once it has run for
``STABLE_AFTER`` seconds, so a database outage that crashes the worker costs a few restarts,
not the shop. The others run on. Each child runs in its own session, so a terminal's Ctrl-C
reaches only the supervisor, which asks each child once to stop (SIGTERM: the worker finishes
the task it is running, gunicorn its requests) and kills what is still running after
``stop_timeout``. On Linux a child also gets SIGTERM if the supervisor itself dies.

No Django here: the supervisor only starts commands (``tandem demo``; in production systemd
or a Procfile runner does the same, see docs/deployment.md).
"""

import contextlib
import ctypes
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

BACKOFF_MAX = 30.0
STABLE_AFTER = 30.0


def _die_with_parent() -> None:  # pragma: no cover - runs in the child before exec
    with contextlib.suppress(OSError, AttributeError):  # elsewhere it outlives a killed supervisor
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


@dataclass
class Child:
    name: str
    command: list[str]
    process: subprocess.Popen | None = None
    started_at: float = 0.0
    failures: int = 0  # quick exits in a row
    restart_at: float = 0.0
    restarts: int = field(default=0)

    def start(self) -> None:
        self.process = subprocess.Popen(  # noqa: S603 - our own commands
            self.command,
            start_new_session=True,
            preexec_fn=_die_with_parent if sys.platform.startswith("linux") else None,  # noqa: PLW1509
        )
        self.started_at = time.monotonic()

    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None


def supervise(
    commands: Sequence[tuple[str, list[str]]],
    *,
    stop_timeout: float = 30.0,
    backoff_max: float = BACKOFF_MAX,
    stable_after: float = STABLE_AFTER,
    poll: float = 0.2,
    log: Callable[[str], None] = lambda line: print(line, file=sys.stderr, flush=True),
    stop_when: Callable[[], bool] = lambda: False,
    started: Callable[[str, int], None] = lambda name, pid: None,
) -> int:
    """Run ``commands`` (name, argv) side by side, restarting any that ends, until SIGTERM,
    SIGINT (Ctrl-C) or ``stop_when()``; then stop them all. ``started(name, pid)`` hears of
    each start. Returns 0."""
    children = [Child(name, list(command)) for name, command in commands]
    stopping = False

    def request_stop(signum, _frame) -> None:
        nonlocal stopping
        stopping = True

    previous = {sig: signal.signal(sig, request_stop) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        for child in children:
            child.start()
            started(child.name, child.process.pid)  # type: ignore[union-attr]
        while not stopping and not stop_when():
            now = time.monotonic()
            for child in children:
                if child.process is None:
                    if now >= child.restart_at:
                        child.start()
                        child.restarts += 1
                        started(child.name, child.process.pid)  # type: ignore[union-attr]
                    continue
                code = child.process.poll()
                if code is None:
                    continue
                lived = now - child.started_at
                child.failures = 0 if lived >= stable_after else child.failures + 1
                delay = min(backoff_max, float(2 ** max(child.failures - 1, 0)))
                log(
                    f"tandem: {child.name} ended (exit code {code}) after {lived:.0f} s; "
                    f"restarting in {delay:.0f} s"
                )
                child.process, child.restart_at = None, now + delay
            time.sleep(poll)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        _stop(children, stop_timeout, log)
    return 0


def _stop(children: list[Child], timeout: float, log: Callable[[str], None]) -> None:
    """One SIGTERM to each running child; SIGKILL to those still running after ``timeout``."""
    running = [child for child in children if child.running()]
    for child in running:
        child.process.terminate()  # type: ignore[union-attr]
    deadline = time.monotonic() + timeout
    for child in running:
        try:
            child.process.wait(timeout=max(0.0, deadline - time.monotonic()))  # type: ignore[union-attr]
        except subprocess.TimeoutExpired:
            log(f"tandem: {child.name} did not stop within {timeout:.0f} s; killing it")
            child.process.kill()  # type: ignore[union-attr]
            child.process.wait()  # type: ignore[union-attr]
