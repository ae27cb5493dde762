from django.conf import settings
from django.core.management.base import BaseCommand

from registry.demo import FIXTURE_PATH
from registry.demo.build import write
from registry.demo.values import ANCHOR


class Command(BaseCommand):
    help = "Regenerate fixtures/demo.json from registry/demo (deterministic: same code, same file)."

    def add_arguments(self, parser):
        parser.add_argument("--output", default=str(settings.BASE_DIR / FIXTURE_PATH))

    def handle(self, *args, output, **options):
        count = write(output)
        self.stdout.write(f"Wrote {count} demo records anchored on {ANCHOR} to {output}.")
