import datetime as dt
import sys

from django.core.management.base import BaseCommand, CommandError

from registry.compliance import run_compliance
from registry.models import Company


def progress_printer(stream):
    def show(done, total):
        width = 30
        filled = width * done // total if total else width
        stream.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} companies")
        if done >= total:
            stream.write("\n")
        stream.flush()

    return show


def print_summary(stdout, summary):
    stdout.write(
        f"Checked {summary['companies']} companies: {summary['opened']} new findings,"
        f" {summary['still_open']} still open, {summary['waived']} waived,"
        f" {summary['resolved']} resolved; {summary['open_blockers']} open blockers."
    )
    stdout.write("Standing: " + ", ".join(f"{k} {v}" for k, v in summary["standing"].items()) + ".")


class Command(BaseCommand):
    help = "Check every company (or one) against the compliance catalogue and keep the findings."

    def add_arguments(self, parser):
        parser.add_argument("--company", type=int, help="Check only the company with this id.")
        parser.add_argument("--date", help="Check as of this ISO date (default: today).")

    def handle(self, *args, company=None, date=None, **options):
        try:
            on = dt.date.fromisoformat(date) if date else None
        except ValueError:
            raise CommandError(f"--date must be an ISO date (YYYY-MM-DD), not {date!r}") from None
        ids = None
        if company is not None:
            if not Company.objects.filter(pk=company).exists():
                raise CommandError(f"No company with id {company}.")
            ids = [company]
        summary = run_compliance(ids, on=on, progress=progress_printer(sys.stderr))
        print_summary(self.stdout, summary)
