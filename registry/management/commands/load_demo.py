from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from registry.demo import FIXTURE_PATH
from registry.demo.load import NotEmpty, load_demo, occupied_models, read_fixture


class Command(BaseCommand):
    help = (
        "Load the fictional demo data (fixtures/demo.json) into an empty database, with every"
        " date moved so the demo is current today. Demo logins: see README.md."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing (and succeed) when the database already holds data.",
        )
        parser.add_argument("--fixture", default=str(settings.BASE_DIR / FIXTURE_PATH))

    def handle(self, *args, if_empty=False, fixture, **options):
        try:
            data = read_fixture(fixture)
        except (OSError, ValueError) as exc:
            raise CommandError(f"Cannot read the demo fixture {fixture}: {exc}") from None
        if if_empty and occupied_models(data):
            self.stdout.write("The database already holds data; demo not loaded.")
            return
        try:
            count = load_demo(fixture)
        except NotEmpty as exc:
            raise CommandError(f"{exc} The demo loads only into an empty database.") from None
        self.stdout.write(f"Loaded {count} demo records.")
