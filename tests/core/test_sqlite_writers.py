"""SQLite with several writers at once (tandem.core.sqlite): they take turns on a lock file,
woken by the kernel, instead of polling the database with SQLite's growing sleeps."""

import time

import pytest
from django.db import connection, transaction

from tandem.customers.models import CustomerGroup
from tests.concurrency import run_at_once

pytestmark = pytest.mark.django_db(transaction=True)


def test_parallel_write_transactions_wait_their_turn_without_sqlite_s_busy_wait():
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only")

    def write(n: int) -> str:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA busy_timeout=0")  # SQLite itself would refuse a busy database
        with transaction.atomic():
            group = CustomerGroup.objects.create(code=f"group-{n}", name=f"Group {n}")
            time.sleep(0.02)  # hold the write lock while the others arrive
        return group.code

    results = run_at_once([lambda n=n: write(n) for n in range(6)])

    assert [result for result in results if not isinstance(result, str)] == []  # no "database is locked"
    assert CustomerGroup.objects.filter(code__startswith="group-").count() == 6
