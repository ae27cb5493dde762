from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from registry.audit.checkpoints import create_checkpoint, document
from registry.audit.signing import canonical


class Command(BaseCommand):
    help = (
        "Sign the audit chain head with AUDIT_SIGNING_KEY and store the checkpoint; with --out,"
        " also write it as a JSON file to keep off-site (verify_audit --checkpoint FILE)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--out", help="Write the signed checkpoint to this file ('-': stdout).")

    def handle(self, *args: Any, out: str | None = None, **options: Any) -> None:
        checkpoint = create_checkpoint()
        text = canonical(document(checkpoint)).decode() + "\n"
        if out == "-":
            self.stdout.write(text, ending="")
            return
        if out:
            Path(out).write_text(text, encoding="utf-8")
        self.stdout.write(f"checkpoint {checkpoint.seq}:{checkpoint.hash}")
