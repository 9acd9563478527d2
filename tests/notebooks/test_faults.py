"""Runs that go wrong, for real: stopped (SIGTERM), killed (SIGKILL), on a full disk, and two runs of
one client started together. Each ends in a known state (``run.json`` says ``succeeded``,
``failed`` or ``interrupted``, and why), leaves ``latest`` and every earlier run as they were, and
no temporary file.

The client is the demo with hostile text planted where the issue found it unescaped: a competitor
named ``@SUM(1+1)*cmd|' /C calc'!A0``, a CRM region ``=HYPERLINK(...)``, a pillar ``=1+1`` and a
goal label starting with ``+``; the two runs started together are its baseline, and their
deliverables show the text guarded. The stopped and killed runs stop early (during the first
notebook), so the file costs about two full runs in parallel and two short ones.
"""

from __future__ import annotations

import csv
import errno
import hashlib
import json
import re
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from helpers.config import CLIENTS_DIR, ROOT
from helpers.run.state import run_key

pytestmark = pytest.mark.e2e

DEMO = CLIENTS_DIR / "demo"
COMPETITOR = "@SUM(1+1)*cmd|' /C calc'!A0"
REGION = '=HYPERLINK("http://evil.example/?leak","Bretagne")'
PILLAR = "=1+1"
GOAL_LABEL = "+8 % de communauté Instagram"
PLANTED = {COMPETITOR, REGION, PILLAR, GOAL_LABEL}
TEMPORARY = re.compile(r"(\.tmp$|^\.latest-|^\.tables-)")


# --------------------------------------------------------------------------- helpers
def hostile_demo(clients: Path) -> Path:
    """The demo client with hostile text in its brief, its tables and its listening export."""
    folder = clients / "demo"
    shutil.copytree(DEMO, folder)
    brief = folder / "brief.yaml"
    text = brief.read_text(encoding="utf-8")
    for old, new in (
        ("- name: Herbier Moderne", f"- name: {json.dumps(COMPETITOR)}"),
        ("    - Coulisses de l'atelier", f"    - {json.dumps(PILLAR)}"),
        ("label: Communauté Instagram +8 %", f"label: {json.dumps(GOAL_LABEL, ensure_ascii=False)}"),
    ):
        assert old in text, old
        text = text.replace(old, new)
    brief.write_text(text, encoding="utf-8")
    for path in [folder / "tables" / "competitors.csv", *sorted((folder / "exports").glob("brandwatch*.csv"))]:
        path.write_text(path.read_text(encoding="utf-8").replace("Herbier Moderne", COMPETITOR), encoding="utf-8")
    customers = folder / "tables" / "customers.csv"
    with customers.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    column = rows[0].index("region")
    for row in rows[1:]:
        row[column] = REGION if row[column] == "Bretagne" else row[column]
    with customers.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)
    return folder


def hashes(*folders: Path) -> dict[str, str]:
    return {
        str(p): hashlib.sha256(p.read_bytes()).hexdigest()
        for folder in folders
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def temporary_files(reports: Path) -> list[Path]:
    return [p for p in reports.rglob("*") if TEMPORARY.search(p.name)]


def command(*args: str) -> list[str]:
    return [sys.executable, "-m", "helpers", *args]


class Run:
    """``workbook run`` started in the background, its stderr collected."""

    def __init__(self, clients: Path, reports: Path):
        self.reports = reports
        self.before = set(self.folders())
        self.proc = subprocess.Popen(
            command("run", "demo", "--clients-dir", str(clients), "--reports-dir", str(reports)),
            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        self.lines: list[str] = []
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        for line in self.proc.stderr:
            self.lines.append(line.rstrip("\n"))

    def folders(self) -> list[Path]:
        client = self.reports / "demo"
        return [p for p in client.iterdir() if p.is_dir() and not p.is_symlink()] if client.is_dir() else []

    def wait_running(self, timeout: float = 120) -> Path:
        """The run's folder once its ``run.json`` says running and its first notebook started."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.proc.poll() is None, "\n".join(self.lines)
            new = [p for p in self.folders() if p not in self.before]
            if new and any("[1/7] 01_observation …" in line for line in self.lines):
                record = json.loads((new[0] / "run.json").read_text(encoding="utf-8"))
                assert record["status"] == "running"
                return new[0]
            time.sleep(0.1)
        raise AssertionError("the run did not start:\n" + "\n".join(self.lines))

    def family(self) -> list:
        import psutil

        try:
            return [psutil.Process(self.proc.pid), *psutil.Process(self.proc.pid).children(recursive=True)]
        except psutil.NoSuchProcess:
            return []

    def stderr(self) -> str:
        self.reader.join(10)
        return "\n".join(self.lines)


def _reap(processes: list) -> None:
    """Wait for ``processes`` to end (a kernel whose run was killed ends on its own), kill the rest."""
    import psutil

    _, alive = psutil.wait_procs(processes, timeout=15)
    for proc in alive:
        proc.kill()
    assert not alive, f"processes left behind: {alive}"


# --------------------------------------------------------------------------- two runs at once
@pytest.fixture(scope="module")
def together(tmp_path_factory) -> dict:
    """Two runs of the hostile demo started at the same moment; both must succeed."""
    root = tmp_path_factory.mktemp("faults")
    clients, reports = root / "clients", root / "reports"
    hostile_demo(clients)
    procs = [
        subprocess.Popen(
            command("run", "demo", "--clients-dir", str(clients), "--reports-dir", str(reports)),
            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        for _ in range(2)
    ]  # fmt: skip
    outputs = [proc.communicate(timeout=600) for proc in procs]
    for proc, (_, err) in zip(procs, outputs, strict=True):
        assert proc.returncode == 0, err[-3000:]
    runs = [Path(out.strip()).parent for out, _ in outputs]
    return {"clients": clients, "reports": reports, "runs": runs}


def test_two_runs_started_together_both_succeed_in_their_own_folders(together):
    first, second = together["runs"]
    assert first != second and first.parent == second.parent == together["reports"] / "demo"
    records = [json.loads((run / "run.json").read_text(encoding="utf-8")) for run in (first, second)]
    assert [r["status"] for r in records] == ["succeeded", "succeeded"]
    newer = max((first, second), key=lambda p: run_key(p.name))  # reserved last: started last
    older = first if newer == second else second
    started = {run: json.loads((run / "run.json").read_text())["started"] for run in (first, second)}
    assert started[newer] >= started[older]
    latest = together["reports"] / "demo" / "latest"
    assert latest.is_symlink() and latest.resolve() == newer.resolve()
    assert temporary_files(together["reports"]) == []


def _cells(path: Path) -> list[str]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [cell for row in csv.reader(handle) for cell in row]


def test_hostile_text_is_guarded_in_the_calendar_and_nothing_else_changes(together):
    run = together["reports"] / "demo" / "latest"
    assert "'" + PILLAR in _cells(run / "calendar.csv") and PILLAR not in _cells(run / "calendar.csv")
    ics = (run / "calendar.ics").read_text(encoding="utf-8")
    assert "\nSUMMARY:=" not in ics and "\nDESCRIPTION:=" not in ics
    # the guard touched the planted text only: no other cell of any deliverable starts with a quote
    # (a cell that lists names, such as the competitors an influencer mentions, may start with one)
    guarded = tuple("'" + text for text in PLANTED)
    for path in run.glob("*.csv"):
        quoted = {cell for cell in _cells(path) if cell.startswith("'")}
        assert all(cell.startswith(guarded) for cell in quoted), (path.name, quoted)


def test_hostile_text_is_guarded_in_the_tables_of_the_steps(together):
    run = together["reports"] / "demo" / "latest"
    cells = {name: _cells(run / f"{name}.csv") for name in ("benchmark", "kpis", "personas", "tracking")}
    assert "'" + COMPETITOR in cells["benchmark"] and "'" + COMPETITOR in cells["kpis"]
    assert "'" + REGION in cells["personas"] and "'" + GOAL_LABEL in cells["tracking"]
    for name, found in cells.items():
        assert not PLANTED & set(found), name


# --------------------------------------------------------------------------- stopped, killed
def test_sigterm_ends_the_run_interrupted_and_leaves_everything_else(together):
    reports = together["reports"]
    latest = (reports / "demo" / "latest").resolve()
    before = hashes(*together["runs"])
    run = Run(together["clients"], reports)
    folder = run.wait_running()
    family = run.family()
    time.sleep(1)  # the first notebook's cells are running
    run.proc.terminate()
    assert run.proc.wait(timeout=90) == 143
    said = run.stderr()
    assert "stopped by SIGTERM" in said and "Traceback" not in said, said
    record = json.loads((folder / "run.json").read_text(encoding="utf-8"))
    assert record["status"] == "interrupted" and record["error"] == "stopped by SIGTERM"
    assert (reports / "demo" / "latest").resolve() == latest
    assert hashes(*together["runs"]) == before
    assert temporary_files(reports) == []
    _reap(family)


def test_sigkill_is_found_by_the_next_command_and_cleaned(together):
    reports = together["reports"]
    latest = (reports / "demo" / "latest").resolve()
    before = hashes(*together["runs"])
    run = Run(together["clients"], reports)
    folder = run.wait_running()
    family = run.family()
    run.proc.kill()
    run.proc.wait(timeout=30)
    assert json.loads((folder / "run.json").read_text(encoding="utf-8"))["status"] == "running"
    # what a kill in the middle of a write leaves (a status being replaced, a table being saved)
    (folder / f".run.json.{run.proc.pid}.tmp").write_text('{"status": "suc', encoding="utf-8")
    (folder / ".audit.csv.tmp").write_text("channel,posts\nfaceb", encoding="utf-8")
    (reports / "demo" / f".latest-{run.proc.pid}").symlink_to(folder.name)
    _reap(family)

    listed = subprocess.run(
        command("runs", "demo", "--reports-dir", str(reports)), capture_output=True, text=True, cwd=ROOT, timeout=120
    )  # fmt: skip
    assert listed.returncode == 0, listed.stderr
    line = next(line for line in listed.stdout.splitlines() if line.startswith(folder.name))
    assert "interrupted" in line
    assert f"its process ({run.proc.pid}) ended without recording the end of the run" in listed.stdout
    record = json.loads((folder / "run.json").read_text(encoding="utf-8"))
    assert record["status"] == "interrupted" and "detected" in record
    assert temporary_files(reports) == []
    assert (reports / "demo" / "latest").resolve() == latest
    assert hashes(*together["runs"]) == before


# --------------------------------------------------------------------------- full disk
@pytest.fixture
def small_disk(tmp_path):
    """A 1.2 MB file system (tmpfs) for the reports, where the system lets this user mount one;
    None elsewhere (the test then fills the disk with a patched writer)."""
    mount = tmp_path / "small"
    mount.mkdir()
    try:
        done = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "size=1200k", "tmpfs", str(mount)], capture_output=True, timeout=20
        )
    except (OSError, subprocess.SubprocessError):
        done = None
    if done is None or done.returncode != 0:
        yield None
        return
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], capture_output=True, timeout=20)


def test_a_full_disk_ends_the_run_failed_with_the_reason(small_disk, tmp_path, monkeypatch, capsys):
    clients = tmp_path / "clients"
    shutil.copytree(DEMO, clients / "demo")
    reports = small_disk or tmp_path / "reports"
    earlier = reports / "demo" / "20200101-000000"
    earlier.mkdir(parents=True)
    (earlier / "index.html").write_text("<p>the deliverable of January</p>", encoding="utf-8")
    (earlier / "run.json").write_text(json.dumps({"client": "demo", "status": "succeeded"}), encoding="utf-8")
    (reports / "demo" / "latest").symlink_to(earlier.name, target_is_directory=True)
    before = hashes(earlier)
    if small_disk is not None:  # a real full disk: the snapshot and the first notebook fill it
        done = subprocess.run(
            command("run", "demo", "--clients-dir", str(clients), "--reports-dir", str(reports)),
            capture_output=True, text=True, cwd=ROOT, timeout=300,
        )  # fmt: skip
        code, said = done.returncode, done.stderr
    else:  # no tmpfs here: the first notebook's output cannot be written
        from helpers.run import cli
        from helpers.run.kernel import Kernel

        def full(self, source, output, **options):
            raise OSError(errno.ENOSPC, "No space left on device", output)

        monkeypatch.setattr(Kernel, "execute", full)
        monkeypatch.setattr(cli, "_kernel_ahead", lambda: None)
        code = cli.main(["run", "demo", "--clients-dir", str(clients), "--reports-dir", str(reports)])
        said = capsys.readouterr().err
    assert code == 1, said
    assert "the disk is full" in said and "marked failed" in said and "Traceback" not in said
    (run,) = [p for p in (reports / "demo").iterdir() if p.is_dir() and not p.is_symlink() and p != earlier]
    record = json.loads((run / "run.json").read_text(encoding="utf-8"))
    assert record["status"] == "failed" and "the disk is full" in record["error"], record
    print(f"full disk ({'tmpfs' if small_disk else 'patched writer'}): {record['error']}")
    assert (reports / "demo" / "latest").resolve() == earlier.resolve()
    assert hashes(earlier) == before
    assert temporary_files(reports) == []
