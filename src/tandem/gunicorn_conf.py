"""gunicorn hooks used by `tandem serve` (command-line flags set everything else)."""

import gc
import os


def post_worker_init(worker) -> None:
    """Move the loaded application out of the garbage collector's sight.

    Django's modules, URL resolvers and settings live as long as the process; without
    this, every full collection walks them again, which shows as latency spikes.
    """
    gc.collect()
    gc.freeze()


def child_exit(server, worker) -> None:
    """A process's metrics files stop counting as live when it exits (core.metrics)."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
