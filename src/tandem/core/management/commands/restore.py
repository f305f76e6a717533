from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tandem.core.backups import BackupError, backup_restore


class Command(BaseCommand):
    help = (
        "Restore a backup made with `backup`: the database and the media and private files are "
        "replaced by the archive's. Stop the web servers, workers and scheduler first."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", help="the .tar.gz written by `backup`")
        parser.add_argument("--yes", action="store_true", help="replace the current data")

    def handle(self, *args, archive, yes, **options):
        if not yes:
            raise CommandError("This replaces the database and the files: run again with --yes.")
        try:
            manifest = backup_restore(Path(archive))
        except (BackupError, OSError, KeyError) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"restored the {manifest['database']} backup of {manifest['created_at']}")
