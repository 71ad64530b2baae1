"""Stubs and reference agree: the same functions, classes, arguments and docstrings."""
import ast

import pytest

from conftest import EXERCISES, REFERENCE

DAYS = range(1, 8)


def outline(path):
    """Module docstring, imports, and every def/class with its arguments and docstring."""
    tree = ast.parse(path.read_text())
    items = [("module", ast.get_docstring(tree))]
    nodes = tree.body + [n for c in tree.body if isinstance(c, ast.ClassDef) for n in c.body]
    for node in nodes:
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            items.append(("import", ast.unparse(node)))
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            args = ast.unparse(node.args) if isinstance(node, ast.FunctionDef) else ""
            items.append((node.name, args, ast.get_docstring(node)))
    return items


def todo_functions(path):
    """{function name: its TODO task} for every stub body that raises NotImplementedError."""
    found = {}
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.FunctionDef):
            for stmt in node.body:
                if isinstance(stmt, ast.Raise) and "NotImplementedError" in ast.unparse(stmt):
                    found[node.name] = ast.unparse(stmt)
    return found


@pytest.mark.parametrize("day", DAYS)
def test_stub_and_reference_have_the_same_outline(day):
    assert outline(EXERCISES / f"day{day}.py") == outline(REFERENCE / f"day{day}.py")


@pytest.mark.parametrize("day", DAYS)
def test_every_stub_raises_a_numbered_todo_and_the_reference_none(day):
    stubs = todo_functions(EXERCISES / f"day{day}.py")
    assert stubs and all(f"TODO({day}." in r for r in stubs.values()), stubs
    assert not todo_functions(REFERENCE / f"day{day}.py")


@pytest.mark.parametrize("day", DAYS)
def test_the_module_docstring_lists_the_tasks_and_the_grade_command(day):
    doc = ast.get_docstring(ast.parse((EXERCISES / f"day{day}.py").read_text()))
    assert doc.startswith(f"Day {day}: ") and f"Task {day}.1" in doc
    assert f"make grade DAY={day}" in doc
