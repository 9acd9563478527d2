"""Batch runs: parallel clients, failure isolation, atomic outputs, interruption, Dask.

The end-to-end tests copy the demo client into a temporary clients folder; a client made to
fail does so at the start of ``01_observation`` (a planted cell in a copy of the notebooks) or
before anything runs (a broken data file), so they cost about two full runs in parallel.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import nbformat
import pytest

from helpers.config import CLIENTS_DIR, NOTEBOOKS, NOTEBOOKS_DIR, ROOT
from helpers.run import batch
from helpers.run.history import read_history

DEMO = CLIENTS_DIR / "demo"
PLANTED = 'if client == "broken":\n    raise RuntimeError("planted failure for the batch test")'


# --------------------------------------------------------------------------- helpers
def copy_demo(clients: Path, *names: str) -> None:
    for name in names:
        shutil.copytree(DEMO, clients / name)


def previous_run(reports: Path, client: str) -> Path:
    """A finished earlier run of ``client`` that ``latest`` points at."""
    run = reports / client / "20200101-000000"
    run.mkdir(parents=True)
    (run / "index.html").write_text("<p>the deliverable of January</p>", encoding="utf-8")
    (run / "run.json").write_text(json.dumps({"client": client, "status": "succeeded"}), encoding="utf-8")
    (reports / client / "latest").symlink_to(run.name, target_is_directory=True)
    return run


def planted_notebooks(folder: Path) -> Path:
    """The series, with a first cell in 01 that fails for the client named ``broken``."""
    shutil.copytree(NOTEBOOKS_DIR, folder)
    path = folder / "01_observation.ipynb"
    nb = nbformat.read(path, as_version=4)
    at = next(i for i, c in enumerate(nb.cells) if "parameters" in c.metadata.get("tags", []))
    nb.cells.insert(at + 1, nbformat.v4.new_code_cell(PLANTED))
    nbformat.write(nb, path)
    return folder


def workbook(*args: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "helpers", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=900,
        **kwargs,
    )


# --------------------------------------------------------------------------- fast checks
def test_dask_is_not_imported_without_the_option():
    code = (
        "import sys, helpers.run.cli, helpers.run.batch, helpers.kpis.big\n"
        "helpers.run.cli.build_parser().parse_args(['batch', '--all'])\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('dask', 'distributed', 'duckdb'))\n"
        "assert not bad, bad\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr


def test_command_line_mistakes(tmp_path, capsys):
    from helpers.run.cli import main

    assert main(["batch"]) == 2
    assert main(["batch", "demo", "--all"]) == 2
    assert main(["batch", "demo", "--workers", "0"]) == 2
    assert main(["batch", "--all", "--clients-dir", str(tmp_path)]) == 2
    assert "no client to run" in capsys.readouterr().err


def test_discover_and_jobs(tmp_path):
    for name in ("b", "a", ".hidden", "_template", "no_brief"):
        (tmp_path / name).mkdir()
        if name != "no_brief":
            (tmp_path / name / "brief.yaml").write_text("client: {}\n")
    assert batch.discover_clients(tmp_path) == ["a", "b"]
    jobs = batch.make_jobs(["b", "a", "b"], clients_dir=tmp_path, reports_dir="rel")
    assert [(j.client, j.index, j.total) for j in jobs] == [("b", 1, 2), ("a", 2, 2)]
    assert Path(jobs[0].reports_dir).is_absolute() and jobs[0].prefix == "[client 1/2] b:"
    command = batch.worker_command(jobs[1])
    assert command[:4] == [sys.executable, "-m", "helpers.run.batch", "a"]
    assert batch.default_workers() >= 1


def test_summary_table_and_marking(tmp_path):
    run = tmp_path / "r1"
    run.mkdir()
    (run / "run.json").write_text(json.dumps({"status": "running"}))
    report = batch.BatchReport(
        [
            batch.Outcome("acme", "succeeded", 61.2, "/r/acme/1"),
            batch.Outcome("broken", "failed", 4.0, str(run), "01_observation.ipynb failed at cell 3:\nboom"),
            batch.Outcome("zed", "not run"),
        ],
        65.0,
        2,
    )
    table = batch.summary_table(report)
    assert re.search(r"^acme\s+succeeded\s+1 min 01 s\s+/r/acme/1$", table, re.M)
    assert re.search(r"^zed\s+not run\s+-\s+-$", table, re.M)
    assert "3 client(s): 1 succeeded, 1 failed, 1 not run in 1 min 05 s (2 workers)" in table
    assert "- broken: 01_observation.ipynb failed at cell 3: boom" in table
    batch._mark_run(run, "interrupted", "interrupted")
    assert json.loads((run / "run.json").read_text())["status"] == "interrupted"
    assert not report.ok


# --------------------------------------------------------------------------- end to end
@pytest.fixture(scope="module")
def four(tmp_path_factory) -> dict:
    """``workbook batch`` of four clients on two workers: two succeed, one fails in 01, one is invalid."""
    root = tmp_path_factory.mktemp("batch")
    clients, reports = root / "clients", root / "reports"
    copy_demo(clients, "acme", "bravo", "broken", "invalid")
    care = clients / "invalid" / "tables" / "care.csv"
    lines = care.read_text(encoding="utf-8").splitlines()
    lines[1] = lines[1].replace(",facebook,", ",myspace,", 1).replace(",instagram,", ",myspace,", 1)
    care.write_text("\n".join(lines) + "\n", encoding="utf-8")
    before = previous_run(reports, "broken")
    done = workbook(
        "batch", "broken", "invalid", "acme", "bravo", "--workers", "2",
        "--clients-dir", str(clients), "--reports-dir", str(reports),
        "--notebooks-dir", str(planted_notebooks(root / "notebooks")),
    )  # fmt: skip
    return {"done": done, "clients": clients, "reports": reports, "before": before}


@pytest.mark.e2e
def test_failing_clients_are_reported_and_the_others_go_on(four):
    done = four["done"]
    assert done.returncode == 1, done.stderr[-3000:]
    rows = {line.split()[0]: line.split()[1] for line in done.stdout.splitlines()[2:6]}
    assert rows == {"broken": "failed", "invalid": "invalid", "acme": "succeeded", "bravo": "succeeded"}
    assert "4 client(s): 1 failed, 1 invalid, 2 succeeded" in done.stdout
    assert "planted failure for the batch test" in done.stdout
    assert "- invalid: client 'invalid' cannot be run: - " in done.stdout and "care.csv" in done.stdout


@pytest.mark.e2e
def test_progress_lines_name_the_client_and_the_notebook(four):
    err = four["done"].stderr
    for i, name in enumerate(NOTEBOOKS, 1):
        assert re.search(rf"^\[client 3/4\] acme: \[{i}/7\] {name} ok \(\d+\.\d s\)$", err, re.M), name
    assert re.search(
        r"^\[client 1/4\] broken: FAILED after [\d.]+ s: 01_observation.ipynb failed at cell", err, re.M
    )
    assert re.search(r"^\[client 4/4\] bravo: succeeded in [\d.]+ s$", err, re.M)
    stray = [
        line for line in err.splitlines() if line.strip() and not line.startswith(("[client ", "portfolio:"))
    ]
    assert not stray


@pytest.mark.e2e
def test_outputs_are_atomic_and_logged(four):
    reports = four["reports"]
    for client in ("acme", "bravo"):
        latest = (reports / client / "latest").resolve()
        assert json.loads((latest / "run.json").read_text())["status"] == "succeeded"
        assert (latest / "index.html").is_file() and (latest / "07_tracking.html").is_file()
        log = (latest / "run.log").read_text(encoding="utf-8")
        assert f"{client}: [7/7] 07_tracking ok" in log and "result: succeeded" in log
        # each client wrote its own history, with its one successful run
        history = read_history(client, reports)
        assert set(history["run_id"]) == {latest.name} and (history["kind"] == "goal").any()
    # the failing client: a new folder marked failed, with its log; 'latest' untouched
    assert (reports / "broken" / "latest").resolve() == four["before"].resolve()
    assert (four["before"] / "index.html").read_text() == "<p>the deliverable of January</p>"
    failed = [
        p for p in (reports / "broken").iterdir() if p.is_dir() and not p.is_symlink() and p != four["before"]
    ]
    assert len(failed) == 1
    assert json.loads((failed[0] / "run.json").read_text())["status"] == "failed"
    assert "planted failure" in (failed[0] / "run.log").read_text(encoding="utf-8")
    assert not (reports / "invalid").exists() or not any((reports / "invalid").iterdir())
    assert not list(reports.rglob(".latest-*"))
    assert not (reports / "broken" / "history.csv").exists()  # a failed run adds nothing


@pytest.mark.e2e
def test_portfolio_lists_every_client(four):
    page = (four["reports"] / "index.html").read_text(encoding="utf-8")
    for client in ("acme", "bravo", "broken"):
        assert f'href="{client}/latest/index.html"' in page
    assert "dernière tentative en échec" in page  # broken's new run failed, its January run stays
    assert "en bonne voie" in page or "à risque" in page


def _descendants(pid: int) -> list:
    import psutil

    try:
        return psutil.Process(pid).children(recursive=True)
    except psutil.NoSuchProcess:
        return []


class Lines:
    """Collects the lines a process writes, for waiting on them."""

    def __init__(self, stream):
        self.lines: list[str] = []
        self._thread = threading.Thread(target=self._read, args=(stream,), daemon=True)
        self._thread.start()

    def _read(self, stream) -> None:
        for line in stream:
            self.lines.append(line.rstrip("\n"))

    def wait_for(self, pattern: str, timeout: float = 240) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if any(re.search(pattern, line) for line in self.lines):
                return
            time.sleep(0.2)
        raise AssertionError(f"no line matching {pattern!r} in:\n" + "\n".join(self.lines[-30:]))


@pytest.mark.e2e
def test_killed_worker_and_ctrl_c_leave_no_partial_latest(tmp_path):
    import psutil

    clients, reports = tmp_path / "clients", tmp_path / "reports"
    copy_demo(clients, "one", "two")
    before = previous_run(reports, "one")
    proc = subprocess.Popen(
        [sys.executable, "-m", "helpers", "batch", "one", "two", "--workers", "2",
         "--clients-dir", str(clients), "--reports-dir", str(reports)],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    err, out = Lines(proc.stderr), Lines(proc.stdout)
    try:
        err.wait_for(r"^\[client 1/2\] one: \[1/7\] 01_observation …")
        err.wait_for(r"^\[client 2/2\] two: \[1/7\] 01_observation …")
        time.sleep(2)  # both kernels are running a notebook
        family = _descendants(proc.pid)
        worker = next(p for p in family if "helpers.run.batch" in " ".join(p.cmdline()) and "two" in p.cmdline())
        worker.kill()  # a worker dies: its client fails, the batch goes on
        err.wait_for(r"^\[client 2/2\] two: FAILED after .*signal SIGKILL", timeout=60)
        assert proc.poll() is None
        proc.send_signal(signal.SIGINT)  # Ctrl-C: the running client stops, the summary is printed
        assert proc.wait(timeout=90) == 130
    finally:
        if proc.poll() is None:
            proc.kill()
    _, alive = psutil.wait_procs(family, timeout=20)
    assert not alive, f"processes left behind: {[p.cmdline() for p in alive]}"
    time.sleep(0.5)
    summary = "\n".join(out.lines)
    assert re.search(r"^one\s+interrupted\s", summary, re.M) and re.search(r"^two\s+failed\s", summary, re.M)
    assert any("interrupted: stopping the running clients" in line for line in err.lines)
    # no partial 'latest': one still points at its January run, two has none
    assert (reports / "one" / "latest").resolve() == before.resolve()
    assert not (reports / "two" / "latest").exists() and not (reports / "two" / "latest").is_symlink()
    statuses = {
        p.parent.parent.name: json.loads(p.read_text())["status"]
        for p in reports.glob("*/2*/run.json")
        if p.parent != before
    }
    assert statuses == {"one": "interrupted", "two": "failed"}
    assert not list(reports.rglob(".latest-*"))
    assert (reports / "index.html").is_file()


@pytest.mark.e2e
def test_dask_cluster_runs_the_clients(tmp_path):
    from distributed import LocalCluster

    clients, reports = tmp_path / "clients", tmp_path / "reports"
    copy_demo(clients, "alpha", "beta")
    shown: list[str] = []
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        report = batch.run_batch(
            ["alpha", "beta"],
            clients_dir=clients,
            reports_dir=reports,
            dask=cluster.scheduler_address,
            notebooks=("01_observation",),
            show=shown.append,
        )
    assert report.ok, batch.summary_table(report)
    assert report.workers == 2 and [o.status for o in report.outcomes] == ["succeeded", "succeeded"]
    for i, client in enumerate(("alpha", "beta"), 1):
        latest = reports / client / "latest"
        assert (latest / "01_observation.html").is_file() and (latest / "run.log").is_file()
        assert any(line.startswith(f"[client {i}/2] {client}: [1/1] 01_observation ok") for line in shown)
    table = batch.summary_table(report)
    assert "2 client(s): 2 succeeded" in table and str(reports / "alpha") in table
    assert os.environ.get("DASK_SCHEDULER_ADDRESS") is None  # nothing leaked into the environment
