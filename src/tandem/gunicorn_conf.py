"""gunicorn hooks used by `tandem serve` (command-line flags set everything else)."""

import gc


def post_worker_init(worker) -> None:
    """Move the loaded application out of the garbage collector's sight.

    Django's modules, URL resolvers and settings live as long as the process; without
    this, every full collection walks them again, which shows as latency spikes.
    """
    gc.collect()
    gc.freeze()
