import datetime as dt
import sys

from django.core.management.base import BaseCommand, CommandError

from registry.services.daily import run_daily

from .run_compliance import print_summary, progress_printer


class Command(BaseCommand):
    help = (
        "The daily run: expire licences whose validity has ended, then re-check every company as"
        " of the date, so standings that change with the date alone are recorded; delete expired"
        " API idempotency keys and cache entries. Run it once a"
        " day from cron; running it twice changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--date", help="Run as of this ISO date (default: today), for tests and back-fills."
        )

    def handle(self, *args, date=None, **options):
        try:
            on = dt.date.fromisoformat(date) if date else None
        except ValueError:
            raise CommandError(f"--date must be an ISO date (YYYY-MM-DD), not {date!r}") from None
        summary = run_daily(on, progress=progress_printer(sys.stderr))
        self.stdout.write(f"Expired licences of {len(summary['expired_companies'])} companies.")
        print_summary(self.stdout, summary)
        self.stdout.write(
            f"Deleted {summary['idempotency_keys_deleted']} expired API idempotency keys."
        )
        self.stdout.write(f"Deleted {summary['cache_entries_deleted']} expired cache entries.")
        checkpoint = summary["checkpoint"]
        self.stdout.write(f"Signed audit checkpoint {checkpoint.seq}:{checkpoint.hash}.")
