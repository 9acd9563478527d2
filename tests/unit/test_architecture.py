"""The house rules of the package: concerns in their folders, no import circle, a project that
stands alone, and a run folder whose files are all declared in one manifest."""

from __future__ import annotations

import ast
import json
import math
import re
from pathlib import Path

import pandas as pd
import pytest

from helpers.client.brief import load_brief
from helpers.client.loading import ClientData
from helpers.config import NOTEBOOKS, ROOT
from helpers.run import artefacts
from helpers.run.context import ManifestError, MissingStepError, Run
from tests.conftest import DEMO

PACKAGE = ROOT / "helpers"


def _modules() -> dict[str, Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        name = ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        found[name] = path
    return found


def _imports(path: Path, modules: dict[str, Path]) -> set[str]:
    """The package's modules that a module imports (anywhere in it, TYPE_CHECKING blocks aside)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            node.body = []
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("helpers"):
            for alias in node.names:
                full = f"{node.module}.{alias.name}"
                out.add(full if full in modules else node.module)
        elif isinstance(node, ast.Import):
            out |= {a.name for a in node.names if a.name.startswith("helpers")}
    return {m for m in out if m in modules}


def _cycle(graph: dict[str, set[str]]) -> list[str]:
    """One import circle of the graph, or []."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str]:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                return stack[stack.index(nxt):] + [nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        stack.pop()
        state[node] = 2
        return []

    for start in sorted(graph):
        if start not in state and (found := visit(start)):
            return found
    return []


def test_no_import_circle_in_the_package():
    modules = _modules()
    graph = {name: _imports(path, modules) - {name} for name, path in modules.items()}
    assert _cycle(graph) == []
    # The check can fail: a circle added to a copy of the graph is found.
    graph["helpers.client.brief"] = graph["helpers.client.brief"] | {"helpers.run.runner"}
    assert _cycle(graph)


def test_the_package_is_cut_by_concern():
    folders = {p.name for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").is_file()}
    assert {"client", "kpis", "method", "run", "report"} <= folders
    flat = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert flat == ["__init__.py", "__main__.py", "config.py"]
    method = {p.stem for p in (PACKAGE / "method").glob("*.py")}
    assert {"observation", "synthesis", "goals", "strategy", "planning", "tracking"} <= method
    assert not list(PACKAGE.rglob("demo*.py")), "the demo generator lives in tools/demo"


def test_the_project_cites_only_its_own_files():
    pattern = re.compile(r"DOMAIN\.md|EXPORTS\.md|\bshared/")
    suffixes = {".py", ".md", ".yaml", ".yml", ".toml", ".j2", ".ipynb", ".cfg", ".txt"}
    offenders = []
    for path in ROOT.rglob("*"):
        rel = path.relative_to(ROOT)
        if rel.parts[0] in {".git", ".venv", "reports", "node_modules"} or not path.is_file():
            continue
        if path.suffix in suffixes or path.name == "Makefile":
            text = path.read_text(encoding="utf-8", errors="replace")
            offenders += [f"{rel}: {m.group(0)}" for m in pattern.finditer(text)]
    offenders = [o for o in offenders if not o.startswith("tests/unit/test_architecture.py")]
    assert offenders == []


# --------------------------------------------------------------------------- the run manifest
def _order(step: str) -> int:
    if step == artefacts.LOAD:
        return -1
    return NOTEBOOKS.index(step) if step in NOTEBOOKS else len(NOTEBOOKS)


def test_every_artefact_is_read_later_or_delivered():
    delivered = {artefacts.REPORT, artefacts.PORTFOLIO, artefacts.CLIENT}
    for item in artefacts.ARTEFACTS.values():
        assert item.kind in artefacts.KINDS, item.name
        assert item.readers, f"{item.file} is written and read by nobody"
        for reader in item.readers:
            assert reader in delivered or _order(reader) > _order(item.writer), (item.file, reader)


def test_pages_and_steps_name_no_run_folder_file():
    """File names of the run folder are typed once, in the manifest."""
    names = artefacts.files()
    offenders = []
    for folder in ("method", "report/pages", "run"):
        for path in (PACKAGE / folder).rglob("*.py"):
            if path.name == "artefacts.py":
                continue
            for literal in re.findall(r"[\"']([\w.-]+\.(?:csv|json|ics))[\"']", path.read_text("utf-8")):
                if literal in names:
                    offenders.append(f"{path.relative_to(ROOT)}: {literal}")
    assert offenders == []


def _run(tmp_path: Path, step: str) -> Run:
    brief = load_brief(DEMO / "brief.yaml")
    data = ClientData("demo", DEMO, brief, {})
    return Run(data=data, lang="en", run_dir=tmp_path, start=brief.period.start, end=brief.period.end, step=step)


def test_a_step_saves_and_loads_only_what_the_manifest_gives_it(tmp_path):
    observation, synthesis = _run(tmp_path, "01_observation"), _run(tmp_path, "02_synthesis")
    with pytest.raises(MissingStepError, match="run 01_observation first"):
        synthesis.load("audit")
    observation.save("audit", pd.DataFrame({"channel": ["x"], "posts": [3]}))
    assert synthesis.load("audit").to_dict("records") == [{"channel": "x", "posts": 3}]
    with pytest.raises(ManifestError, match="02_synthesis cannot write 'audit.csv'"):
        synthesis.save("audit", pd.DataFrame())
    with pytest.raises(ManifestError, match="01_observation cannot read 'goals.json'"):
        observation.load("goals")
    with pytest.raises(KeyError, match="no artefact 'audit.xlsx'"):
        observation.save("audit.xlsx", pd.DataFrame())


def test_json_artefacts_are_strict_json(tmp_path):
    run = _run(tmp_path, "04_smart_goals")
    run.save("goals", [{"id": "g", "baseline": math.nan, "target": [1.0, float("inf")], "n": pd.NA}])
    text = (tmp_path / "goals.json").read_text(encoding="utf-8")
    assert "NaN" not in text and "Infinity" not in text
    assert json.loads(text) == [{"id": "g", "baseline": None, "target": [1.0, None], "n": None}]


def test_pages_note_the_glossary_and_the_save_cell_writes_it(tmp_path):
    from helpers import kpis

    run = _run(tmp_path, "02_synthesis")
    run.record_kpi(kpis.KPIS["share_of_voice"])
    assert not (tmp_path / "glossary.json").exists()  # a page writes nothing
    run.add_summary("findings", ["one"])
    run.save_notes()
    glossary = json.loads((tmp_path / "glossary.json").read_text(encoding="utf-8"))
    assert glossary == {"share_of_voice": {"id": "share_of_voice", "objective": "awareness", "unit": "percent"}}
    summary = json.loads((tmp_path / "summary.json").read_text(encoding="utf-8"))
    assert summary["findings"] == ["one"]
    later = _run(tmp_path, "07_tracking")
    later.add_summary("findings", ["two"])
    later.save_notes()
    summary = json.loads((tmp_path / "summary.json").read_text(encoding="utf-8"))
    assert summary["findings"] == ["one", "two"]  # each step keeps its own lines


def test_computations_import_no_words():
    """client/, kpis/ and method/ compute numbers and ids: they import nothing from report/ (words,
    charts, pages) or run/ (notebook context)."""
    modules = _modules()
    lower = [m for m in modules if m.startswith(("helpers.client", "helpers.kpis", "helpers.method"))]
    offenders = {
        m: sorted(d for d in _imports(modules[m], modules) if d.startswith(("helpers.report", "helpers.run")))
        for m in lower
    }
    assert {m: d for m, d in offenders.items() if d} == {}
