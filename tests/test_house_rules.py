"""House rules the layout relies on that import-linter cannot express, checked by walking the code.

1. Only use cases commit: `db.session.commit()` appears only inside a function marked @use_case
   (and in platform/db.py, which defines it).
2. No module imports another module's _private name.
3. A feature uses another feature through its package (its public API, `__all__`) or its pure
   `vocab` module, never its inner modules (schemas may use other schemas: they describe views).
4. Only request-level platform code (platform.web, platform.observability) touches flask.request or flask.g.
5. Savepoints go through platform.db.savepoint(): a bare begin_nested() commits on its own on SQLite.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PROJECT = ("backend", "miniprogram_api", "qr", "sampling")
FEATURES = {"banks", "cards", "console", "credit", "keys", "scanning", "merchants", "accounts", "operators",
            "system", "supervision", "notifications", "objections", "repair",
            "disclosure"}
# Entry points that serve several features call those features' use-case modules, as each feature's own views do.
ENTRY_POINTS = ("backend.console.views",)


def sources(*tops: str) -> list[Path]:
    return sorted(p for top in tops for p in (ROOT / top).rglob("*.py") if "__pycache__" not in p.parts)


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def is_use_case(fn: ast.FunctionDef) -> bool:
    return any((isinstance(d, ast.Name) and d.id == "use_case") or (isinstance(d, ast.Attribute) and d.attr == "use_case")
               for d in fn.decorator_list)


def commits_outside_use_cases(tree: ast.AST) -> list[int]:
    """Line numbers of session.commit() calls not lexically inside a @use_case function."""
    found: list[int] = []

    def walk(node: ast.AST, inside: bool) -> None:
        for child in ast.iter_child_nodes(node):
            here = inside or (isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef) and is_use_case(child))
            if (isinstance(child, ast.Call) and isinstance(child.func, ast.Attribute) and child.func.attr == "commit"
                    and ast.unparse(child.func.value).endswith("session") and not here):
                found.append(child.lineno)
            walk(child, here)

    walk(tree, False)
    return found


def test_only_use_cases_commit():
    offenders = []
    for path in sources("backend", "miniprogram_api"):
        if path == ROOT / "backend" / "platform" / "db.py":
            continue
        offenders += [f"{path.relative_to(ROOT)}:{line}" for line in commits_outside_use_cases(ast.parse(path.read_text()))]
    assert not offenders, "commit() outside a @use_case function (see backend/platform/db.py): " + ", ".join(offenders)


def test_the_commit_rule_catches_a_commit_in_a_plain_function():
    tree = ast.parse("@use_case\ndef a():\n    db.session.commit()\n\ndef b():\n    db.session.commit()\n")
    assert commits_outside_use_cases(tree) == [6]


def private_imports(path: Path) -> list[str]:
    """`from project.module import _name` of a project module, and `module._name` on an imported module."""
    tree, found, aliases = ast.parse(path.read_text()), [], set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] in (*PROJECT, "tests"):
            for alias in node.names:
                if alias.name.startswith("_") and not alias.name.startswith("__"):
                    found.append(f"{node.lineno}: from {node.module} import {alias.name}")
                aliases.add(alias.asname or alias.name)
        elif isinstance(node, ast.Import):
            aliases.update((a.asname or a.name).split(".")[0] for a in node.names if a.name.split(".")[0] in PROJECT)
    for node in ast.walk(tree):
        if (isinstance(node, ast.Attribute) and node.attr.startswith("_") and not node.attr.startswith("__")
                and isinstance(node.value, ast.Name) and node.value.id in aliases):
            found.append(f"{node.lineno}: {node.value.id}.{node.attr}")
    return found


def test_no_module_imports_another_modules_private_names():
    offenders = [f"{p.relative_to(ROOT)}:{hit}" for p in sources(*PROJECT, "tests", "bench") for hit in private_imports(p)]
    assert not offenders, "\n".join(offenders)


def cross_feature_reaches(path: Path) -> list[str]:
    """Imports of another feature's inner modules (other than vocab; schemas may import schemas)."""
    mod = module_name(path)
    feature = mod.split(".")[1] if mod.startswith("backend.") and mod.count(".") >= 1 else None
    if feature not in FEATURES or mod.startswith(ENTRY_POINTS):
        return []
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if not isinstance(node, ast.ImportFrom) or not node.module or not node.module.startswith("backend."):
            continue
        parts = node.module.split(".")
        other, inner = parts[1], parts[2] if len(parts) > 2 else None
        schemas_to_schemas = inner == "schemas" and mod.endswith(".schemas")
        if other in FEATURES and other != feature and inner not in (None, "vocab") and not schemas_to_schemas:
            found.append(f"{node.lineno}: from {node.module} import …")
    return found


def test_features_use_each_other_through_their_packages():
    offenders = [f"{p.relative_to(ROOT)}:{hit}" for p in sources("backend") for hit in cross_feature_reaches(p)]
    assert not offenders, "import the feature's package (its __all__) instead:\n" + "\n".join(offenders)


@pytest.mark.parametrize("feature", sorted(FEATURES - {"system"}))
def test_each_feature_package_exports_what_it_names(feature):
    package = __import__(f"backend.{feature}", fromlist=["__all__"])
    assert all(hasattr(package, name) for name in getattr(package, "__all__", []))


def touches_request_or_g(path: Path) -> list[str]:
    return [f"{n.lineno}: from flask import {a.name}" for n in ast.walk(ast.parse(path.read_text()))
            if isinstance(n, ast.ImportFrom) and n.module == "flask" for a in n.names if a.name in ("request", "g")]


def test_only_request_level_platform_code_touches_request_and_g():
    allowed = (ROOT / "backend" / "platform" / "web", ROOT / "backend" / "platform" / "observability")
    offenders = [f"{p.relative_to(ROOT)}:{hit}" for p in sources("backend/platform")
                 if not p.is_relative_to(allowed[0]) and not p.is_relative_to(allowed[1])
                 for hit in touches_request_or_g(p)]
    assert not offenders, "\n".join(offenders)


def test_savepoints_go_through_the_platform_helper():
    offenders = [f"{p.relative_to(ROOT)}:{n.lineno}" for p in sources(*PROJECT) if p != ROOT / "backend/platform/db.py"
                 for n in ast.walk(ast.parse(p.read_text(encoding="utf-8")))
                 if isinstance(n, ast.Attribute) and n.attr == "begin_nested"]
    assert not offenders, "use backend.platform.db.savepoint() instead of begin_nested(): " + ", ".join(offenders)
