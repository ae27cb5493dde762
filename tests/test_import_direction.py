"""Imports go one way: a module imports only its own layer or the layers below it, no channel
imports another channel, and no two modules import each other (directly or round a loop).
Function-local imports count too: they hide a cycle, they do not remove it. docs/architecture.md
draws the layers."""

import ast
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)

# Lowest first. A module belongs to the first entry naming it or a package above it.
LAYERS = {
    "foundation": [
        "registry.audit",  # the audit trail depends on nothing above it
        "registry.cache",
        "registry.choices",
        "registry.csv_safety",
        "registry.env",
        "registry.errors",
        "registry.health",
        "registry.logs",
        "registry.names",
        "registry.pgcopy",
        "registry.replica",
        "registry.validators",
    ],
    "models": ["registry.models", "registry.reference_data", "registry.roles"],
    "rules": ["registry.compliance", "registry.filters", "registry.exports"],
    "access": ["registry.access"],
    "services": [
        "registry.services",
        "registry.credentials",
        "registry.security",
        "registry.sessions",
        "registry.twofactor",
        "registry.forms",
        "registry.headers",
        "registry.demo",
    ],
    # The doors: each uses the layers below, never another door.
    "channels": [
        "api",
        "registry.web",
        "registry.templatetags",
        "registry.admin",
        "registry.management",
    ],
}
CHANNELS = {
    "api": "api",
    "registry.web": "web",
    "registry.templatetags": "web",
    "registry.admin": "admin",
    "registry.management": "commands",
}
# They put the doors together (settings, URL conf, app start-up) and may import any of them.
ASSEMBLY = {"registry", "registry.apps", "registry.settings", "registry.urls"}
ASSEMBLY |= {"registry.asgi", "registry.wsgi", "registry.gunicorn_conf"}
ORDER = list(LAYERS)


def _modules() -> dict[str, Path]:
    found = {}
    for top in ("registry", "api"):
        for path in (ROOT / top).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join(parts)] = path
    return found


MODULES = _modules()


def _imports(name: str, path: Path) -> set[str]:
    """The project modules `name` imports, anywhere in the file but under TYPE_CHECKING."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    tree = ast.parse(path.read_text())
    skipped = {
        id(node)
        for stmt in ast.walk(tree)
        if isinstance(stmt, ast.If) and ast.unparse(stmt.test).endswith("TYPE_CHECKING")
        for node in ast.walk(stmt)
    }
    targets = set()
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            targets |= {_known(alias.name) for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                source = ".".join(base + ([node.module] if node.module else []))
            else:
                source = node.module or ""
            for alias in node.names:
                submodule = f"{source}.{alias.name}"
                targets.add(submodule if submodule in MODULES else _known(source))
    targets.discard(None)
    targets.discard(name)
    return targets


def _known(dotted: str) -> str | None:
    while dotted and dotted not in MODULES:
        dotted = dotted.rpartition(".")[0]
    return dotted or None


GRAPH = {name: _imports(name, path) for name, path in MODULES.items()}


def _place(name: str):
    best = None
    for layer, prefixes in LAYERS.items():
        for prefix in prefixes:
            if (name == prefix or name.startswith(prefix + ".")) and (
                best is None or len(prefix) > len(best[1])
            ):
                best = (layer, prefix)
    return best


def test_every_module_has_a_place():
    unplaced = sorted(n for n in MODULES if n not in ASSEMBLY and _place(n) is None)
    assert unplaced == [], "add these modules to a layer in LAYERS"


def test_no_module_imports_a_higher_layer_or_another_channel():
    wrong = []
    for name, targets in GRAPH.items():
        if name in ASSEMBLY:
            continue
        layer, prefix = _place(name)
        for target in targets:
            if target in ASSEMBLY and target != "registry":
                wrong.append(f"{name} -> {target} (assembly)")
                continue
            placed = _place(target)
            if placed is None:
                continue  # the registry package itself
            target_layer, target_prefix = placed
            if ORDER.index(target_layer) > ORDER.index(layer):
                wrong.append(f"{name} ({layer}) -> {target} ({target_layer})")
            elif (
                layer == target_layer == "channels" and CHANNELS[target_prefix] != CHANNELS[prefix]
            ):
                wrong.append(f"{name} -> {target} (another channel)")
    assert wrong == []


def test_no_import_cycles():
    cycles = []
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(name):
        state[name] = 1
        path.append(name)
        for target in sorted(GRAPH.get(name, ())):
            if state.get(target) == 1:
                cycles.append(" -> ".join(path[path.index(target) :] + [target]))
            elif target not in state:
                visit(target)
        path.pop()
        state[name] = 2

    for name in sorted(GRAPH):
        if name not in state:
            visit(name)
    # A package's __init__ re-exporting its own modules is not a cycle between modules.
    real = [c for c in cycles if not _package_reexport(c)]
    assert real == []


def _package_reexport(cycle: str) -> bool:
    names = cycle.split(" -> ")
    packages = [n for n in names if MODULES[n].name == "__init__.py"]
    return bool(packages) and all(
        n == p or n.startswith(p + ".") for n in names for p in packages[:1]
    )


@pytest.mark.parametrize(
    "source, target, allowed",
    [
        ("registry.models.companies", "registry.services.records", False),
        ("registry.services.records", "registry.access", True),
        ("registry.audit.recorder", "registry.models", False),
        ("registry.web.views.account", "api.views.auth", False),
        ("api.views.auth", "registry.security", True),
    ],
)
def test_the_layer_rule_itself(source, target, allowed):
    layer, prefix = _place(source)
    target_layer, target_prefix = _place(target)
    ok = ORDER.index(target_layer) <= ORDER.index(layer) and not (
        layer == target_layer == "channels" and CHANNELS[prefix] != CHANNELS[target_prefix]
    )
    assert ok is allowed
