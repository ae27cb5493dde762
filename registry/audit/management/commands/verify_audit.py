from django.core.management.base import BaseCommand, CommandError

from registry.audit.chain import verify


class Command(BaseCommand):
    help = "Recompute the audit hash chain; print ok, or fail naming the first broken entry."

    def handle(self, *args, **options):
        ok, broken, checked = verify()
        if not ok:
            raise CommandError(
                f"Audit chain broken at sequence number {broken} ({checked} entries before it verify)."
            )
        self.stdout.write(f"ok ({checked} entries)")
