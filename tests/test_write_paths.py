"""Nothing but the domain services writes registry rows: no view, serializer, admin class or
command saves, creates or deletes a model itself."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHANNELS = ["api", "registry/web", "registry/admin", "registry/management/commands"]
WRITES = {
    "save",
    "delete",
    "create",
    "bulk_create",
    "bulk_update",
    "get_or_create",
    "update_or_create",
    "add",
    "remove",
    "clear",
    "set",
}
# (file, receiver of the call): writes that are not registry rows, or that hand over to a service.
ALLOWED = {
    ("api/views/base.py", "serializer"),  # the serializer saves through registry.services.records
    ("registry/admin/base.py", "formset"),  # formset.save(commit=False): builds, saves nothing
    ("api/models.py", "cls.objects"),  # API tokens: not registry rows
    ("api/models.py", "self"),
    ("api/views/auth.py", "token"),
    ("registry/web/views/twofactor.py", "qr"),  # a QR code image written to memory
    ("api/answers.py", "cache"),  # a rendered status answer stored in a cache
    ("registry/management/commands/load_demo.py", "*"),  # the fixture loader, set-based
    ("registry/management/commands/build_demo_fixture.py", "*"),
}


def _receiver(node: ast.Attribute) -> str:
    try:
        return ast.unparse(node.value)
    except Exception:  # pragma: no cover - unparse handles every expression
        return "?"


def direct_writes() -> list[str]:
    found = []
    for folder in CHANNELS:
        for path in sorted((ROOT / folder).rglob("*.py")):
            rel = path.relative_to(ROOT).as_posix()
            if "/migrations/" in rel or (rel, "*") in ALLOWED:
                continue
            for node in ast.walk(ast.parse(path.read_text())):
                if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
                    continue
                if node.func.attr not in WRITES:
                    continue
                receiver = _receiver(node.func)
                if receiver in ("records", "super()", "messages") or (rel, receiver) in ALLOWED:
                    continue
                if receiver.endswith(("seen", "codes", "errors", "out", "words", "methods")):
                    continue  # sets and dicts, not managers
                found.append(f"{rel}:{node.lineno}: {receiver}.{node.func.attr}(…)")
    return found


def test_no_channel_writes_a_registry_row_itself():
    assert direct_writes() == []
