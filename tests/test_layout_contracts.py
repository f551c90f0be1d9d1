"""The import-linter contracts in pyproject.toml hold on the tree, and break on the imports they forbid."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LINT = shutil.which("lint-imports", path=str(Path(sys.executable).parent)) or shutil.which("lint-imports")
pytestmark = pytest.mark.skipif(LINT is None, reason="import-linter is not installed (requirements-dev.txt)")


def lint(root: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(root)}
    return subprocess.run([LINT, "--config", str(root / "pyproject.toml"), "--no-cache"], cwd=root, env=env,
                          capture_output=True, text=True, timeout=120)


def tree_copy(tmp_path: Path) -> Path:
    for name in ("backend", "qr", "miniprogram_api", "sampling"):
        shutil.copytree(ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def append(path: Path, line: str) -> None:
    path.write_text(path.read_text() + "\n" + line + "\n")


def test_the_tree_keeps_every_contract():
    result = lint(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("module, line, contract", [
    ("qr/codes.py", "import flask  # noqa", "qr is a pure library"),
    ("backend/credit/records.py", "from backend.credit import views  # noqa", "views are entry points"),
    ("backend/platform/crypto.py", "from backend.credit import models  # noqa", "features form a DAG"),
    ("backend/credit/lists.py", "from backend.scanning import rules  # noqa", "features form a DAG"),
    ("backend/scanning/rules.py", "import sqlalchemy  # noqa", "stay pure"),
    ("backend/merchants/pages.py", "from backend import models  # noqa", "table registry"),
])
def test_a_forbidden_import_breaks_its_contract(tmp_path, module, line, contract):
    root = tree_copy(tmp_path)
    append(root / module, line)
    result = lint(root)
    assert result.returncode != 0
    broken = result.stdout[result.stdout.index("Broken contracts"):]
    assert contract in broken, result.stdout
