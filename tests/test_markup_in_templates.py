"""Markup lives in templates: no module of productions/ writes HTML in Python
strings or marks a string safe (the row and stage builders, rows.py and
stage_parts.py, are gone)."""

import ast
import re
from pathlib import Path

PRODUCTIONS = Path(__file__).resolve().parent.parent / "productions"
TAG = re.compile(r"<(li|div|span|option|button|input|form|a|ul|select|label|section|textarea|br)\b")


def modules():
    return [p for p in PRODUCTIONS.rglob("*.py") if "migrations" not in p.parts]


def docstrings(tree):
    for node in ast.walk(tree):
        scope = ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef
        if isinstance(node, scope) and node.body and isinstance(node.body[0], ast.Expr):
            yield node.body[0].value


def test_no_module_writes_html_in_strings():
    found = []
    for path in modules():
        tree = ast.parse(path.read_text())
        skip = {id(node) for node in docstrings(tree)}
        for node in ast.walk(tree):
            text = node.value if isinstance(node, ast.Constant) else None
            if isinstance(text, str) and id(node) not in skip and TAG.search(text):
                found.append(f"{path.relative_to(PRODUCTIONS)}:{node.lineno}")
    assert found == []


def test_nothing_is_marked_safe_by_hand():
    for path in modules():
        text = path.read_text()
        assert "mark_safe" not in text, path
        assert "format_html" not in text, path


def test_the_python_builders_are_gone():
    assert not (PRODUCTIONS / "rows.py").exists()
    assert not (PRODUCTIONS / "stage_parts.py").exists()
