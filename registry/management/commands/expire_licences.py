import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from registry.audit.actors import SystemActor
from registry.compliance import run_compliance
from registry.services.licensing import expire_licences

from .run_compliance import print_summary


class Command(BaseCommand):
    help = (
        "Expire every active or suspended licence whose validity has ended, then re-check the"
        " compliance of the companies concerned. Run it daily."
    )

    def add_arguments(self, parser):
        parser.add_argument("--date", help="Treat this ISO date as today (default: today).")

    def handle(self, *args, date=None, **options):
        try:
            today = dt.date.fromisoformat(date) if date else None
        except ValueError:
            raise CommandError(f"--date must be an ISO date (YYYY-MM-DD), not {date!r}") from None
        companies = expire_licences(today, actor=SystemActor("command:expire_licences"))
        self.stdout.write(f"Expired licences of {len(companies)} companies.")
        if companies:
            print_summary(self.stdout, run_compliance(companies, on=today))
