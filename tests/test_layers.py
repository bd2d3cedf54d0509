"""The layers are a contract (pyproject's [tool.importlinter], drawn in docs/ARCHITECTURE.md), checked here.

- the contract holds for the code as it is;
- every data module is classified, so a new one cannot slip past the writer rule unnoticed;
- the contract would catch the two mistakes it exists for: a page reaching for the engine, and a writer
  importing a page's queries (each planted in a copy of the code, which `lint-imports` must then refuse).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _contracts() -> dict[str, dict[str, list[str]]]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    return {c["name"]: c for c in config["tool"]["importlinter"]["contracts"]}


def _lint(cwd: Path) -> subprocess.CompletedProcess[str]:
    if not LINT_IMPORTS.exists():
        pytest.skip("import-linter is not installed (pip install -e '.[test]')")
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"], cwd=cwd, capture_output=True, text=True, timeout=120, check=False
    )


def test_the_code_keeps_its_layers() -> None:
    result = _lint(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_every_data_module_is_classified_as_writer_or_query() -> None:
    contracts = _contracts()
    core = next(c for c in contracts.values() if c.get("source_modules") == ["data_access.core"])
    writers = next(c for name, c in contracts.items() if name.startswith("Writers"))
    modules = {
        f"data_access.{p.stem}"
        for p in (ROOT / "data_access").iterdir()
        if (p.suffix == ".py" and p.stem != "__init__") or (p.is_dir() and (p / "__init__.py").exists())
    } - {"data_access.core"}
    assert set(core["forbidden_modules"]) == modules, "name a new data module in the core contract"
    sources, queries = set(writers["source_modules"]), set(writers["forbidden_modules"])
    assert not sources & queries
    assert sources | queries == modules, "say whether a new data module writes (source) or serves pages (forbidden)"


def _copy(tmp_path: Path) -> Path:
    for name in ("pages", "components", "data_access"):
        shutil.copytree(ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


@pytest.mark.parametrize(
    ("module", "line", "refusal"),
    [
        ("pages/overview.py", "from data_access.core.db import make_engine", "pages is not allowed to import"),
        ("data_access/council_records.py", "import data_access.elevators", "is not allowed to import"),
        ("data_access/rollup_refresh.py", "from data_access.funds import funds_page_data", "is not allowed to import"),
        ("data_access/core/rules.py", "import data_access.users", "data_access.core is not allowed to import"),
    ],
)
def test_the_contract_refuses_a_planted_violation(tmp_path: Path, module: str, line: str, refusal: str) -> None:
    copy = _copy(tmp_path)
    target = copy / module
    target.write_text(target.read_text() + f"\n{line}  # noqa\n")
    result = _lint(copy)
    assert result.returncode != 0
    assert refusal in result.stdout, result.stdout
    assert module.removesuffix(".py").replace("/", ".") in result.stdout  # the planted import is the one named


def test_only_the_facts_registry_chooses_the_reader() -> None:
    """Which reader (raw or pre-aggregated) serves a session is decided in one place, data_access.facts; page
    assemblers and subject readers never branch on it. Only the core (where the decision is kept) and the rollup
    maintenance (which renews it after a refresh) may name it besides."""
    allowed = {"data_access/facts.py", "data_access/core/dataset.py", "data_access/rollup_refresh.py"}
    offenders = []
    for folder in ("data_access", "components", "pages"):
        for path in (ROOT / folder).rglob("*.py"):
            relative = path.relative_to(ROOT).as_posix()
            code = "\n".join(line.split("#")[0] for line in path.read_text(encoding="utf-8").splitlines())
            if relative not in allowed and "rollups_ready(" in code:
                offenders.append(relative)
    assert offenders == [], f"branching on the reader outside data_access.facts: {offenders}"
