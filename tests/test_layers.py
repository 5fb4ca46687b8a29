"""The layers are a one-way stack: a module imports from its own layer and the ones below it, never above.

Every import statement of every module counts, those inside functions too (a lazy import is still an
edge). Module names may carry a ``vnplan.`` prefix (``vnplan.pipeline.ingest`` is ``pipeline.ingest``),
so the test holds whether the packages are installed at the top level or under one namespace.
"""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("models", "normalizers", "extractors", "pipeline", "vnplan")
#: Bottom up: each layer and the module prefixes in it (the longest prefix decides).
LAYERS: list[tuple[str, tuple[str, ...]]] = [
    ("base types", ("models.errors", "models.version", "models.vocabulary", "models.document", "models.records")),
    ("normalizers", ("normalizers",)),
    ("extractors", ("extractors",)),
    ("persistence", ("models",)),
    ("pipeline", ("pipeline",)),
    ("vnplan", ("vnplan",)),
]
#: Migrations are frozen: they carry their own copy of any helper, so they import nothing of ours.
MIGRATIONS = "models.migrations.versions"


def canonical(name: str) -> str:
    """A module's name without the optional ``vnplan.`` namespace in front of another package."""
    head, _, rest = name.partition(".")
    if head == "vnplan" and rest.partition(".")[0] in PACKAGES[:-1]:
        return rest
    return name


def ours(name: str) -> bool:
    return canonical(name).partition(".")[0] in PACKAGES


def layer_of(name: str) -> int:
    """The index of the layer a module of ours belongs to (bottom = 0)."""
    name = canonical(name)
    matches = [
        (len(prefix), index)
        for index, (_, prefixes) in enumerate(LAYERS)
        for prefix in prefixes
        if name == prefix or name.startswith(prefix + ".")
    ]
    if not matches:
        raise LookupError(f"{name} is in no layer")
    return max(matches)[1]


def module_files() -> dict[str, Path]:
    """Every module of ours by its dotted name."""
    found = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join(parts)] = path
    return found


def imported(module: str, source: str, is_package: bool, known: set[str]) -> set[str]:
    """The modules of ours that ``source`` (the text of ``module``) imports, anywhere in it.

    ``from a import b`` imports the module ``a.b`` when there is one, else (a name in it) ``a``;
    relative imports are resolved against the module's package."""
    package = module if is_package else module.rpartition(".")[0]
    edges = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            edges |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            for alias in node.names:
                submodule = f"{base}.{alias.name}"
                edges.add(submodule if canonical(submodule) in known else base)
    return {canonical(name) for name in edges if ours(name)}


def import_edges() -> list[tuple[str, str]]:
    """(importer, imported) for every import of one module of ours by another."""
    files = module_files()
    known = set(files)
    edges = []
    for module, path in files.items():
        for target in sorted(imported(module, path.read_text(encoding="utf-8"), path.name == "__init__.py", known)):
            if target != module:
                edges.append((module, target))
    return edges


def test_every_module_is_in_a_layer() -> None:
    for module in module_files():
        layer_of(module)


def test_no_module_imports_from_a_layer_above_its_own() -> None:
    upward = [
        f"{importer} ({LAYERS[layer_of(importer)][0]}) imports {target} ({LAYERS[layer_of(target)][0]})"
        for importer, target in import_edges()
        if layer_of(target) > layer_of(importer)
    ]
    assert upward == []


def test_base_types_import_only_base_types() -> None:
    base = [(i, t) for i, t in import_edges() if layer_of(i) == 0 and layer_of(t) != 0]
    assert base == []


def test_migrations_import_nothing_of_ours() -> None:
    frozen = [(i, t) for i, t in import_edges() if i.startswith(MIGRATIONS + ".")]
    assert frozen == []


def test_the_stack_is_checked_on_a_real_edge() -> None:
    """The edge finder sees the imports the stack is about (so an empty violation list means something)."""
    edges = set(import_edges())
    assert ("pipeline.ingest", "models.store") in edges
    assert ("models.store", "normalizers.agencies") in edges


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("import pipeline.ocr", {"pipeline.ocr"}),
        ("from models import store", {"models.store"}),
        ("from models.records import Task", {"models.records"}),
        ("from models import queries, no_such_module", {"models.queries", "models"}),
        ("def f():\n    import vnplan\n", {"vnplan"}),
        ("from . import layout", {"pipeline.layout"}),
        ("from ..models.document import Page", {"models.document"}),
        ("from vnplan.pipeline.read import kind_of", {"pipeline.read"}),
        ("import numpy\nfrom sqlalchemy import text", set()),
    ],
)
def test_imports_are_found_wherever_they_are_written(source: str, expected: set[str]) -> None:
    known = {"pipeline.ocr", "pipeline.layout", "models.store", "models.queries", "models.records", "pipeline.read"}
    assert imported("pipeline.reader", source, False, known) == expected


@pytest.mark.parametrize(
    ("module", "layer"),
    [
        ("models.errors", "base types"),
        ("vnplan.models.document", "base types"),
        ("normalizers.text", "normalizers"),
        ("models.store", "persistence"),
        ("models.migrations.versions.0004_search_and_views", "persistence"),
        ("vnplan.pipeline.ingest", "pipeline"),
        ("vnplan.review", "vnplan"),
        ("vnplan", "vnplan"),
    ],
)
def test_a_module_belongs_to_the_layer_of_its_longest_prefix(module: str, layer: str) -> None:
    assert LAYERS[layer_of(module)][0] == layer


def test_every_import_of_ours_names_the_vnplan_package() -> None:
    """Installed, the packages live only under ``vnplan`` (``vnplan/`` links the folders in): an import of
    ``pipeline.x`` would work in the checkout and fail everywhere else. Tests, benchmarks, scripts and the
    reviewer notebook too."""
    files = [*module_files().values()]
    files += [p for folder in ("tests", "benchmarks", "scripts", "samples") for p in sorted((ROOT / folder).rglob("*.py"))]
    sources = {path: path.read_text(encoding="utf-8") for path in files}
    for notebook in sorted((ROOT / "notebooks").glob("*.ipynb")):
        cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
        sources[notebook] = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
    bare = []
    for path, source in sources.items():
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and not node.level:
                names = [node.module or ""]
            else:
                continue
            bare += [f"{path.relative_to(ROOT)}: {n}" for n in names if n.partition(".")[0] in PACKAGES[:-1]]
    assert bare == []
