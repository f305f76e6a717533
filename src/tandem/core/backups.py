"""Backups a restore has been tried with: the database and the files in one archive.

``tandem manage backup --to FILE.tar.gz`` while the shop runs: the database (SQLite through
its online backup API, a consistent copy while others write; PostgreSQL with ``pg_dump
-Fc``), the public media and the private files (drawings, imports, exports, invoices).
``tandem manage restore FILE.tar.gz --yes`` with the shop stopped puts all of it back: the
SQLite file replaced, or the PostgreSQL database's objects dropped and restored
(``pg_restore --clean --if-exists --single-transaction``: restore into an empty database of
the same release to be sure no newer table stays behind), the media folders replaced. The
archive is readable by its owner only. ``tests/ops/test_backups.py`` runs the drill on both
databases. Point-in-time recovery on PostgreSQL (WAL archiving) is
the server's: see docs/operations.md.
"""

import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.db import connection

MANIFEST = "tandem-backup.json"


class BackupError(Exception):
    pass


def _database() -> dict:
    return settings.DATABASES["default"]


def _pg_env(database: dict) -> dict[str, str]:
    env = {**os.environ}
    for key, name in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD")):
        if database.get(key):
            env[name] = str(database[key])
    return env


def backup_create(target: Path) -> dict:
    """Write the archive to ``target``; returns its manifest."""
    database = _database()
    vendor = connection.vendor
    with tempfile.TemporaryDirectory() as work:
        dump = Path(work) / ("database.sqlite3" if vendor == "sqlite" else "database.pgdump")
        if vendor == "sqlite":
            source = sqlite3.connect(database["NAME"])
            copy = sqlite3.connect(dump)
            with copy:
                source.backup(copy)  # consistent while other processes write
            source.close()
            copy.close()
        elif vendor == "postgresql":
            done = subprocess.run(  # noqa: S603 - our own arguments
                ["pg_dump", "-Fc", "-f", str(dump), database["NAME"]],  # noqa: S607 - the PostgreSQL client
                env=_pg_env(database),
                capture_output=True,
                text=True,
            )
            if done.returncode:
                raise BackupError(f"pg_dump failed: {done.stderr.strip()}")
        else:
            raise BackupError(f"no backup for {vendor}")
        manifest = {
            "created_at": datetime.now(UTC).isoformat(),
            "database": vendor,
            "dump": dump.name,
        }
        target.parent.mkdir(parents=True, exist_ok=True)
        target.touch(mode=0o600)  # the whole database and the private files: the owner's only
        target.chmod(0o600)
        with tarfile.open(target, "w:gz") as archive:
            archive.add(dump, arcname=dump.name)
            for name, folder in (("media", settings.MEDIA_ROOT), ("private", settings.PRIVATE_MEDIA_ROOT)):
                if Path(folder).is_dir():
                    archive.add(folder, arcname=name)
            data = json.dumps(manifest, indent=2).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return manifest


def backup_restore(source: Path) -> dict:
    """Put the archive's database and files back (the shop stopped); returns its manifest."""
    vendor = connection.vendor
    database = _database()
    with tempfile.TemporaryDirectory() as work, tarfile.open(source, "r:gz") as archive:
        archive.extractall(work, filter="data")
        manifest = json.loads((Path(work) / MANIFEST).read_text())
        if manifest["database"] != vendor:
            raise BackupError(f"this backup is of {manifest['database']}, the shop runs on {vendor}")
        if manifest["dump"] not in ("database.sqlite3", "database.pgdump"):
            raise BackupError("this archive was not written by `backup`")
        dump = Path(work) / manifest["dump"]
        connection.close()
        if vendor == "sqlite":
            target = Path(database["NAME"])
            staged = target.with_name(target.name + ".restoring")
            shutil.copyfile(dump, staged)  # next to it, then swapped in at once
            for suffix in ("-wal", "-shm"):
                Path(f"{target}{suffix}").unlink(missing_ok=True)
            os.replace(staged, target)
        else:
            command = [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",  # all of it or nothing
                "-d",
                database["NAME"],
                str(dump),
            ]
            done = subprocess.run(  # noqa: S603 - our own arguments
                command,  # noqa: S607 - the PostgreSQL client
                env=_pg_env(database),
                capture_output=True,
                text=True,
            )
            if done.returncode:
                raise BackupError(f"pg_restore failed: {done.stderr.strip()[-2000:]}")
        for name, folder in (("media", settings.MEDIA_ROOT), ("private", settings.PRIVATE_MEDIA_ROOT)):
            saved, folder = Path(work) / name, Path(folder)
            staged = folder.with_name(folder.name + ".restoring")
            shutil.rmtree(staged, ignore_errors=True)
            if saved.is_dir():
                shutil.copytree(saved, staged)  # copied first, then swapped for the old folder
            shutil.rmtree(folder, ignore_errors=True)
            if staged.exists():
                os.replace(staged, folder)
    return manifest
