"""What the in-process benchmarks share: running `tandem manage` and shell commands, and
timing a function (median of runs after a warm-up, garbage collected first)."""

import gc
import statistics
import subprocess
import sys
import time

PYTHON = sys.executable


def manage(*args: str, env: dict) -> None:
    subprocess.run([PYTHON, "-m", "tandem.cli", "manage", *args], env=env, check=True)


def shell(*command: str) -> str:
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout.strip()


def timed(function) -> float:
    gc.collect()
    started = time.perf_counter()
    function()
    return (time.perf_counter() - started) * 1000


def median_ms(function, repeat: int) -> tuple[float, list[float]]:
    """Median of ``repeat`` runs after one warm-up run (not counted)."""
    function()
    runs = [timed(function) for _ in range(repeat)]
    return statistics.median(runs), runs
