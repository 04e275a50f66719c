"""The shape of the code: no view module imports another (shared code lives
in productions/queries.py, productions/pages.py or views/common.py), and
nothing is left of the hand-made query planning (precompiled, prepared)."""

import ast
from pathlib import Path

import pytest

PRODUCTIONS = Path(__file__).resolve().parent.parent / "productions"
VIEWS = PRODUCTIONS / "views"
HELPERS = {"common"}  # views/common.py: small helpers, not views
VIEW_MODULES = sorted(
    path.stem for path in VIEWS.glob("*.py") if path.stem not in {"__init__", *HELPERS}
)


def imported_modules(path):
    """The modules `path` imports, relative ones as written (".live", "..x")."""
    tree = ast.parse(path.read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            yield "." * node.level + (node.module or "")
            for alias in node.names:
                yield "." * node.level + (node.module or "") + "." + alias.name
        elif isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)


@pytest.mark.parametrize("module", VIEW_MODULES)
def test_no_view_module_imports_another(module):
    siblings = {f".{other}" for other in VIEW_MODULES} | {
        f"productions.views.{other}" for other in VIEW_MODULES
    }
    siblings |= {f"..views.{other}" for other in VIEW_MODULES}
    imported = set(imported_modules(VIEWS / f"{module}.py"))
    assert not imported & siblings


@pytest.mark.parametrize("module", ["queries", "pages"])
def test_shared_modules_import_no_view_module(module):
    imported = set(imported_modules(PRODUCTIONS / f"{module}.py"))
    assert not {name for name in imported if ".views" in name or name.startswith(".views")}


def test_the_hand_made_query_planning_is_gone():
    for name in ("precompiled.py", "prepared.py", "session_user.py"):
        assert not (PRODUCTIONS / name).exists()
