from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from registry.audit.checkpoints import check, parse_expect, read_document


class Command(BaseCommand):
    help = (
        "Recompute the audit hash chain and its signatures and check it against every stored"
        " checkpoint and those given (--expect SEQ:HASH, --checkpoint FILE); print ok, or fail"
        " naming what does not verify."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--expect",
            action="append",
            default=[],
            metavar="SEQ:HASH",
            help="A head kept elsewhere (e.g. published): entry SEQ must exist with HASH.",
        )
        parser.add_argument(
            "--checkpoint",
            action="append",
            default=[],
            metavar="FILE",
            help="A checkpoint file from audit_checkpoint --out; its signature is verified.",
        )

    def handle(self, *args: Any, expect: list[str], checkpoint: list[str], **options: Any) -> None:
        expectations: list[tuple[int, str, str]] = []
        problems: list[str] = []
        try:
            for value in expect:
                expectations.append((*parse_expect(value), f"--expect {value}"))
            for name in checkpoint:
                seq, head, file_problems = read_document(Path(name).read_text(encoding="utf-8"))
                problems += [f"{name}: {p}" for p in file_problems]
                expectations.append((seq, head, f"checkpoint file {name}"))
        except (ValueError, OSError) as exc:
            raise CommandError(str(exc)) from None
        result = check(expectations)
        problems += result["problems"]
        if not result["ok"] and result["first_broken_seq"] is not None:
            problems[problems.index(result["problems"][0])] = (
                f"Audit chain broken at sequence number {result['first_broken_seq']}"
                f" ({result['entries_checked']} entries before it verify)"
            )
        if problems:
            raise CommandError("; ".join(problems) + ".")
        self.stdout.write(f"ok ({result['entries_checked']} entries)")
        self.stdout.write(
            f"head {result['head_seq']}:{result['head_hash']}; {result['checkpoints_checked']}"
            f" stored checkpoints and {len(expectations)} given agree"
        )
