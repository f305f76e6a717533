from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tandem.core.backups import BackupError, backup_create


class Command(BaseCommand):
    help = (
        "Back up the database (SQLite online backup or pg_dump) and the media and private files "
        "into one .tar.gz, while the shop runs."
    )

    def add_arguments(self, parser):
        parser.add_argument("--to", required=True, help="the archive to write (.tar.gz)")

    def handle(self, *args, to, **options):
        try:
            manifest = backup_create(Path(to))
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"backed up {manifest['database']} and files to {to} at {manifest['created_at']}")
