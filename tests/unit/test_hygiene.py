"""Project rules that a review would otherwise have to catch."""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
import sys
import tomllib

import nbformat
import papermill
import pytest
import yaml

from helpers.client.brief import Analysis
from helpers.config import KERNEL_NAME, NOTEBOOKS, NOTEBOOKS_DIR, ROOT

PARAMETERS = ("client", "clients_dir", "run_dir", "lang", "period_start", "period_end", "since_dir")


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_is_clean_and_parameterised(name):
    nb = nbformat.read(NOTEBOOKS_DIR / f"{name}.ipynb", as_version=4)
    nbformat.validate(nb)
    assert nb.metadata.kernelspec.name == KERNEL_NAME
    assert nb.metadata.kernelspec.language == "python"
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(not c.outputs and c.execution_count is None for c in code), "outputs committed"
    tagged = [c for c in code if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1, "exactly one cell tagged 'parameters'"
    names = [t.targets[0].id for t in ast.parse(tagged[0].source).body]
    assert tuple(names[: len(PARAMETERS)]) == PARAMETERS
    settings = names[len(PARAMETERS) :]
    assert set(settings) <= set(Analysis.model_fields), f"{settings}: not settings of the brief's analysis"
    for line in tagged[0].source.splitlines():
        common = re.fullmatch(r'\w+ = "[^"]*"  # .+', line)
        setting = re.fullmatch(r"\w+ = None  # .+; None for the brief's .+", line)
        assert common or setting, f"parameter without a literal and a comment: {line}"
    inspected = papermill.inspect_notebook(str(NOTEBOOKS_DIR / f"{name}.ipynb"))
    assert tuple(inspected) == tuple(names), "papermill must read every parameter"
    assert all(p["help"] for p in inspected.values()), "each parameter needs its comment"
    for cell in code:
        assert len(cell.source.splitlines()) <= 15, f"a cell of {name} is longer than 15 lines"


def test_environment_yml_matches_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wanted = set(project["dependencies"]) | set(project["optional-dependencies"]["dev"])
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))

    def interpreter(d: str) -> bool:  # python>=3.11 or pip, not python-dateutil
        return re.fullmatch(r"(python|pip)([<>=!~].*)?", d) is not None

    conda = {d for d in env["dependencies"] if isinstance(d, str) and not interpreter(d)}
    assert conda == wanted, f"only in pyproject: {wanted - conda}; only in environment.yml: {conda - wanted}"
    pip = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    assert '-e ".[dev]"' in pip
    python = next(d for d in env["dependencies"] if isinstance(d, str) and re.match(r"python[<>=]", d))
    assert python == "python" + project["requires-python"]


def test_ruff_is_clean():
    ruff = shutil.which("ruff", path=str(ROOT / ".venv" / "bin")) or shutil.which("ruff")
    if ruff is None:
        ruff = [sys.executable, "-m", "ruff"]
    command = ruff if isinstance(ruff, list) else [ruff]
    done = subprocess.run([*command, "check", str(ROOT)], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stdout + done.stderr


def test_reports_and_environment_are_ignored():
    ignored = (ROOT / ".gitignore").read_text(encoding="utf-8")
    for pattern in (".venv/", "reports/*", "!reports/README.md", ".ipynb_checkpoints/"):
        assert pattern in ignored


def test_header_only_templates_match_the_schemas():
    from helpers.client.schemas import TABLES

    folder = ROOT / "data" / "templates"
    for spec in TABLES.values():
        lines = (folder / spec.filename).read_text(encoding="utf-8").splitlines()
        assert lines == [",".join(spec.column_names)], spec.filename


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_strategist_notes_carry_both_languages(name):
    nb = nbformat.read(NOTEBOOKS_DIR / f"{name}.ipynb", as_version=4)
    markdown = [c for c in nb.cells if c.cell_type == "markdown"]
    notes = [c for c in markdown if "strategist-note" in c.metadata.get("tags", [])]
    assert notes, f"{name} has no strategist note"
    # every markdown cell is the strategist's (bilingual, left out of the client report): what the
    # client reads comes from the pages, in one language
    untagged = [c.id for c in markdown if c not in notes]
    assert not untagged, f"{name}: markdown cells without the strategist-note tag: {untagged}"
    for cell in notes:
        english, marker, french = cell.source.partition("*FR —*")
        assert marker, f"{cell.id}: no French version after '*FR —*'"
        assert english.strip(), f"{cell.id}: the English text must come before the French one"
        assert len(french.strip()) >= 20, f"{cell.id}: the French version is missing or too short"
