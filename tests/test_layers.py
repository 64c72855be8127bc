"""The apps stay layered: a module imports only from its own layer and those below it, never from an app above.

Layers, low to high: the core (`ssn4psi/`: settings aside, the shared vocabulary, sections, fields...), members,
solutions, matchmaking, workshops, search, and on top the modules that put the site together (URLs, settings,
the catalogue's importer and exporter, the home page, site set-up, their commands). A lower app that needs
something from a higher one offers a hook (ssn4psi.sections) and the higher app registers into it.

Every import counts, the ones inside functions too: an import moved into a function to break a cycle at start-up
still makes the cycle. Each module is read with `ast`, never imported."""

import ast
import fnmatch
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

#: Each app's layer, low to high.
APP_LAYERS = {"ssn4psi": 0, "members": 1, "solutions": 2, "matchmaking": 3, "workshops": 4, "search": 5}
#: The modules that sit on top of every app (patterns of dotted names); `network` is the app they move to.
TOP_LAYER = ("ssn4psi.urls", "ssn4psi.settings", "ssn4psi.settings.*", "network", "network.*", "opendata", "opendata.*")
TOP = max(APP_LAYERS.values()) + 1


def layer_of(module):
    """The layer of a dotted module name, or None for a module outside the apps (Django, Wagtail...)."""
    if any(fnmatch.fnmatchcase(module, pattern) for pattern in TOP_LAYER):
        return TOP
    return APP_LAYERS.get(module.split(".")[0])


def app_modules():
    """(dotted name, path) of every module of the apps and of `network`, migrations and tests left out."""
    for package in (*APP_LAYERS, "network", "opendata"):
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            if "migrations" in parts or "tests" in parts:
                continue
            if parts[-1] == "__init__":
                parts = parts[:-1]
            yield ".".join(parts), path


def is_module(dotted):
    """Whether `dotted` names a module or package of this repository."""
    path = ROOT.joinpath(*dotted.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def imports_of(module, path):
    """The dotted names `module` imports, at the top of the file or inside functions: for `from package import
    name`, package.name when that is a module, else the package."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: from the module's package, one level up per extra dot
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            for alias in node.names:
                candidate = f"{base}.{alias.name}"
                yield candidate if is_module(candidate) else base


def violations():
    """{(module, imported, module's layer, imported's layer)} for every import of a higher layer."""
    found = set()
    for module, path in app_modules():
        own = layer_of(module)
        for imported in imports_of(module, path):
            theirs = layer_of(imported)
            if theirs is not None and theirs > own:
                found.add((module, imported, own, theirs))
    return found


def test_the_layers_are_known():
    assert {module.split(".")[0] for module, _path in app_modules()} >= set(APP_LAYERS)
    assert layer_of("ssn4psi.sections") == 0 and layer_of("network.catalogue.importer") == TOP
    assert layer_of("ssn4psi.urls") == TOP and layer_of("network.models") == TOP
    assert layer_of("workshops.records") == 4 and layer_of("django.db") is None


def test_no_module_imports_an_app_above_its_own():
    new = sorted((module, imported, own, theirs) for module, imported, own, theirs in violations())
    assert not new, "imports of a higher layer:\n" + "\n".join(
        f"  {module} (layer {own}) imports {imported} (layer {theirs})" for module, imported, own, theirs in new
    )


def test_an_import_inside_a_function_counts(tmp_path):
    path = tmp_path / "views.py"
    path.write_text("def view():\n    from workshops.records import WorkshopOutcome\n    from . import agenda\n")
    assert list(imports_of("matchmaking.views", path)) == ["workshops.records", "matchmaking"]
