"""Load the guide library (the top-level guides/ folder) into the database.

Run by the release step (Procfile) and `make run`. It reads and checks every file before it
writes anything, so a broken file stops the run with the file's name and leaves the site's
guides exactly as they were; a second run with no changes to the files writes nothing.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from portal.guides.figures import library_figures
from portal.guides.library import LibraryError, default_root, load_library
from portal.guides.sync import library_sync


class Command(BaseCommand):
    help = (
        "Load the guide library into the database: new lessons are added, changed ones "
        "updated, removed ones retired. Safe to run again: unchanged lessons are left alone."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--path",
            type=Path,
            default=None,
            help=f"The library folder (default: {default_root()}).",
        )
        parser.add_argument(
            "--check",
            action="store_true",
            help="Only read and check the files; write nothing (for writers and CI).",
        )

    def execute(self, *args, **options):
        # --check reads files only, on a writer's machine or in a CI job that may have no
        # database. Django's system checks would reach one anyway: on PostgreSQL the generated
        # columns' check asks the server's version, and a missing database ended the run with
        # a traceback before a single file was read.
        if options.get("check"):
            options["skip_checks"] = True
        return super().execute(*args, **options)

    def handle(self, *args, path: Path | None, check: bool, **options) -> None:
        try:
            library = load_library(path)
        except LibraryError as exc:
            raise CommandError(str(exc)) from exc
        for warning in library.warnings:
            self.stderr.write(self.style.WARNING(f"Warning: {warning}"))
        if check:
            self.stdout.write(
                self.style.SUCCESS(
                    f"The guide library is valid: {len(library.tracks)} tracks, "
                    f"{len(library.lessons)} lessons and the glossary. Nothing was written "
                    "(--check)."
                )
            )
            # For writers and editors: how honest the checks are and how plain the text is.
            for line in library_figures(library).lines():
                self.stdout.write(line)
            return
        report = library_sync(library=library)
        style = self.style.SUCCESS if report.changed else (lambda text: text)
        for line in report.lines():
            self.stdout.write(style(line))
