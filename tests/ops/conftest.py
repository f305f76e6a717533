"""What the tests of the production shape share: a database of their own for processes
they start, PostgreSQL when the run is on it (dropped afterwards), else a SQLite file."""

import os
import uuid

import pytest

DATABASE_URL = os.environ.get("DATABASE_URL", "")


@pytest.fixture
def own_database(tmp_path):
    """The DATABASE_URL for the processes of one test."""
    if not DATABASE_URL.startswith("postgres"):
        yield f"sqlite:///{tmp_path / 'shop.sqlite3'}"
        return
    import psycopg

    name = f"tandem_ops_{uuid.uuid4().hex[:8]}"
    server = DATABASE_URL.rsplit("/", 1)[0]
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    yield f"{server}/{name}"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
