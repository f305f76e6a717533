"""The restore drill: back up a running shop's database and files, change both, restore,
and find the shop as it was — on SQLite, and on PostgreSQL when the run is on it."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable

STATE = """
import sys
import django
django.setup()
from pathlib import Path
from django.conf import settings
from tandem.catalog.models import Category
action = sys.argv[1]
picture = Path(settings.MEDIA_ROOT) / "products" / "drill.png"
drawing = Path(settings.PRIVATE_MEDIA_ROOT) / "quotes" / "drawing.pdf"
if action == "make":
    Category.objects.create(name="Backed up", slug="backed-up")
    for path, content in ((picture, b"png"), (drawing, b"pdf")):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
elif action == "change":
    Category.objects.filter(slug="backed-up").delete()
    Category.objects.create(name="After", slug="after")
    picture.unlink()
    drawing.write_bytes(b"changed")
else:
    print(sorted(Category.objects.values_list("slug", flat=True)), picture.exists(), drawing.read_bytes())
"""


def test_a_backup_restores_the_database_and_the_files_as_they_were(tmp_path, own_database):
    env = {
        **os.environ,
        "DATABASE_URL": own_database,
        "TANDEM_VAR_DIR": str(tmp_path / "var"),
        "PYTHONPATH": str(ROOT / "src"),
        "DJANGO_SETTINGS_MODULE": "tandem.settings",
    }
    env.pop("REDIS_URL", None)

    def tandem(*args: str) -> str:
        done = subprocess.run(
            [PYTHON, "-m", "tandem.cli", "manage", *args], env=env, capture_output=True, text=True
        )
        assert done.returncode == 0, done.stderr[-2000:]
        return done.stdout

    def state(action: str) -> str:
        done = subprocess.run([PYTHON, "-c", STATE, action], env=env, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr[-2000:]
        return done.stdout.strip()

    tandem("migrate", "-v0")
    state("make")
    archive = tmp_path / "backups" / "shop.tar.gz"
    assert "backed up" in tandem("backup", "--to", str(archive))
    state("change")
    assert state("show") == "['after'] False b'changed'"

    refused = subprocess.run(
        [PYTHON, "-m", "tandem.cli", "manage", "restore", str(archive)],
        env=env,
        capture_output=True,
        text=True,
    )
    assert refused.returncode != 0 and "--yes" in refused.stderr  # nothing replaced by accident
    assert "restored" in tandem("restore", str(archive), "--yes")

    assert state("show") == "['backed-up'] True b'pdf'"
