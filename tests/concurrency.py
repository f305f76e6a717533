"""Races between real parallel transactions (threads, each with its own connection).

Tests that use ``run_at_once`` to prove a lock are marked ``postgres``: SQLite lets one
writer in at a time, so no race can happen there and such a test could not fail. They run
in CI on PostgreSQL (and locally with ``DATABASE_URL=postgres://…``), where removing the
lock they guard makes them fail.
"""

import threading

from django.db import connection


def run_at_once(jobs) -> list:
    """Start every job at the same moment, each in its own thread and connection; return
    what each returned or raised."""
    barrier = threading.Barrier(len(jobs))
    results: list = [None] * len(jobs)

    def run(index, job):
        try:
            barrier.wait()
            results[index] = job()
        except Exception as error:  # noqa: BLE001 - the test inspects every outcome
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index, job)) for index, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    return results
