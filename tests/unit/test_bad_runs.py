"""Bad runs: client names that are paths, reports folders that cannot hold runs, a read-only or full
disk, and the states a run ends in (run ids, ``latest``, stale runs, signals); safe CSV outputs.

The catalogue (``CASES``) goes through the ``workbook`` command as a user types it: each case gets
its exit code, a message naming what is wrong, no traceback and nothing written. The companion
catalogue of bad *inputs* (exports, tables, briefs) is ``test_bad_inputs.py``; the same faults on
real runs of the notebooks (SIGTERM, SIGKILL, a full disk, two runs at once) are in
``tests/notebooks/test_faults.py``.
"""

from __future__ import annotations

import datetime as dt
import errno
import hashlib
import io
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import icalendar
import pandas as pd
import pytest

from helpers.client import loading
from helpers.client.loading import (
    guard_cell,
    read_csv,
    read_table,
    safe_cells,
    unguard_cell,
    write_csv,
    write_json,
    write_table,
)
from helpers.config import ROOT, ClientNameError, check_client_name, client_dir
from helpers.run import cli, portfolio, state
from tests.conftest import DEMO

INJECTED = "@SUM(1+1)*cmd|' /C calc'!A0"


# --------------------------------------------------------------------------- helpers
def files_under(*folders: Path) -> dict[str, str]:
    """Every file (and link) under ``folders`` with its SHA-256: what a case must leave unchanged."""
    found = {}
    for folder in folders:
        for path in sorted(folder.rglob("*")) if folder.exists() else []:
            if path.is_symlink():
                found[str(path)] = f"-> {path.readlink()}"
            elif path.is_file():
                found[str(path)] = hashlib.sha256(path.read_bytes()).hexdigest()
            elif path.is_dir() and not any(path.iterdir()):
                found[str(path)] = "empty folder"
    return found


def workbook(*argv: str) -> tuple[int, str]:
    """``workbook ARGV`` in this process: its exit code and everything it printed. An exception
    escaping the command (what a user would see as a traceback) fails the test."""
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        try:
            code = cli.main(list(argv))
        except SystemExit as exc:  # argparse's own usage errors
            code = exc.code
    return code, out.getvalue() + err.getvalue()


@pytest.fixture
def folders(tmp_path: Path, monkeypatch) -> dict[str, Path]:
    """A clients folder holding a copy of the demo, an empty reports folder, a file; no kernel started
    ahead, and no notebook run (these runs stop before: one that does not fails at once)."""
    clients, reports = tmp_path / "clients", tmp_path / "reports"
    shutil.copytree(DEMO, clients / "demo")
    reports.mkdir()
    (tmp_path / "a-file.txt").write_text("not a folder")
    monkeypatch.setattr(cli, "_kernel_ahead", lambda: None)
    monkeypatch.chdir(tmp_path)  # a relative path taken by mistake lands here
    from helpers.run import runner

    def no_notebook(*args, **kwargs):
        raise AssertionError("a case that should stop before the notebooks started them")

    monkeypatch.setattr(runner, "_execute_all", no_notebook)
    return {"tmp": tmp_path, "clients": clients, "reports": reports, "file": tmp_path / "a-file.txt"}


def _read_only(folders: dict, monkeypatch) -> None:
    """The reports folder made read-only; where chmod does not bite (root), every folder made under
    it is refused as the system would refuse it."""
    reports = folders["reports"]
    reports.chmod(0o555)
    probe = reports / ".probe"
    try:
        probe.mkdir()
    except PermissionError:
        return
    probe.rmdir()
    real = os.mkdir

    def refused(path, *args, **kwargs):
        if Path(path).is_relative_to(reports):
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real(path, *args, **kwargs)

    monkeypatch.setattr(os, "mkdir", refused)


def _full_disk(folders: dict, monkeypatch) -> None:
    """The disk fills up at the run's first write (its ``run.json``)."""

    def full(path, payload):
        raise OSError(errno.ENOSPC, "No space left on device", str(path))

    monkeypatch.setattr(state, "write_json", full)


def _args(folders: dict, *argv: str) -> list[str]:
    values = {"clients": str(folders["clients"]), "reports": str(folders["reports"]),
              "file": str(folders["file"]), "client_abs": str(folders["clients"] / "demo"),
              "inside": str(folders["clients"] / "demo" / "out")}  # fmt: skip
    return [a.format(**values) for a in argv]


RULE = "A client name is the name of a folder under the clients folder"
#: id: (argv, exit code, message parts, set-up)
CASES = {
    "run-absolute-path": (["run", "{client_abs}", "--clients-dir", "{clients}", "--reports-dir", "{reports}"],
                          2, ["is not a client name", "absolute path", RULE], None),
    "run-dot-dot-x": (["run", "../../../x", "--clients-dir", "{clients}", "--reports-dir", "{reports}"],
                      2, ["'../../../x' is not a client name", "separator", RULE], None),
    "run-separator": (["run", "demo/../demo", "--clients-dir", "{clients}", "--reports-dir", "{reports}"],
                      2, ["separator"], None),
    "run-backslash": (["run", "a\\b", "--clients-dir", "{clients}", "--reports-dir", "{reports}"],
                      2, ["separator"], None),
    "run-dot-dot": (["run", "..", "--clients-dir", "{clients}", "--reports-dir", "{reports}"],
                    2, ["'..' names a folder, not a client"], None),
    "run-dot": (["run", ".", "--clients-dir", "{clients}", "--reports-dir", "{reports}"],
                2, ["'.' names a folder"], None),
    "run-hidden-name": (["run", ".demo", "--clients-dir", "{clients}", "--reports-dir", "{reports}"],
                        2, ["starts with '.'"], None),
    "run-empty-name": (["run", "", "--clients-dir", "{clients}", "--reports-dir", "{reports}"],
                       2, ["is empty"], None),
    "run-control-character": (["run", "de\tmo", "--clients-dir", "{clients}", "--reports-dir", "{reports}"],
                              2, ["control character"], None),
    "check-dot-dot": (["check", "../clients/demo", "--clients-dir", "{clients}"], 2, ["separator", RULE], None),
    "batch-one-bad-name": (["batch", "demo", "/etc", "--clients-dir", "{clients}", "--reports-dir", "{reports}"],
                           2, ["'/etc' is not a client name"], None),
    "runs-absolute": (["runs", "/tmp", "--reports-dir", "{reports}"], 2, ["absolute path"], None),
    "kpis-dot-dot": (["kpis", "../demo", "--clients-dir", "{clients}", "--reports-dir", "{reports}"],
                     2, ["separator"], None),
    "reports-dir-is-a-file": (["run", "demo", "--clients-dir", "{clients}", "--reports-dir", "{file}"],
                              2, ["is not a folder"], None),
    "reports-dir-empty": (["run", "demo", "--clients-dir", "{clients}", "--reports-dir", ""],
                          2, ["the reports folder is empty"], None),
    "reports-dir-inside-the-clients": (["run", "demo", "--clients-dir", "{clients}", "--reports-dir", "{inside}"],
                                       2, ["inside the clients folder", "never written"], None),
    "batch-reports-dir-is-a-file": (["batch", "demo", "--clients-dir", "{clients}", "--reports-dir", "{file}"],
                                    2, ["is not a folder"], None),
    "read-only-reports": (["run", "demo", "--clients-dir", "{clients}", "--reports-dir", "{reports}"],
                          1, ["cannot make the run folder", "permission denied", "Nothing was written"],
                          _read_only),
    "full-disk-at-the-first-write": (["run", "demo", "--clients-dir", "{clients}", "--reports-dir", "{reports}"],
                                     1, ["the disk is full", "run.json", "Nothing was written"], _full_disk),
}  # fmt: skip


@pytest.mark.parametrize("case", list(CASES))
def test_catalogue_of_bad_runs(case, folders, monkeypatch):
    argv, expected, parts, setup = CASES[case]
    argv = _args(folders, *argv)
    escape = (folders["reports"] / "../../../x").resolve()
    if setup is not None:
        setup(folders, monkeypatch)
    before = files_under(folders["tmp"])
    try:
        code, said = workbook(*argv)
    finally:
        folders["reports"].chmod(0o755)
    assert code == expected, said
    for part in parts:
        assert part in said, f"{part!r} not in: {said}"
    assert "Traceback" not in said
    assert files_under(folders["tmp"]) == before, "something was written"
    assert not escape.exists()


@pytest.mark.parametrize(
    "argv",
    [["run", "../../../x", "--reports-dir", "{tmp}"], ["run", str(DEMO.resolve()), "--reports-dir", "{tmp}"],
     ["check", "/etc/passwd"], ["runs", "..", "--reports-dir", "{tmp}"]],
)  # fmt: skip
def test_the_real_command_refuses_a_path_without_a_traceback(argv, tmp_path):
    argv = [a.format(tmp=tmp_path) for a in argv]
    done = subprocess.run(
        [sys.executable, "-m", "helpers", *argv], capture_output=True, text=True, cwd=ROOT, timeout=120
    )
    assert done.returncode == 2, done.stderr
    assert "is not a client name" in done.stderr and RULE in done.stderr
    assert "Traceback" not in done.stderr
    assert list(tmp_path.iterdir()) == []
    assert not (DEMO / "latest").exists() and not list(DEMO.glob("2*-*"))


def test_client_names():
    for good in ("demo", "acme-2026", "Atelier Sève", "a.b", "x_y"):
        assert check_client_name(good) == good
    for bad in ("/abs", "a/b", "a\\b", "..", ".", ".x", "", "   ", "a\x00b"):
        with pytest.raises(ClientNameError):
            check_client_name(bad)
    with pytest.raises(ClientNameError):
        client_dir("../elsewhere")


# --------------------------------------------------------------------------- run ids and latest
def test_run_ids_are_reserved_atomically(tmp_path):
    """Many runs started in the same second: each gets its own folder (no FileExistsError)."""
    now = dt.datetime(2026, 12, 2, 10, 15, tzinfo=dt.UTC)
    got: list[str] = []
    errors: list[BaseException] = []
    barrier = threading.Barrier(8)

    def start() -> None:
        barrier.wait()
        try:
            for _ in range(25):
                got.append(state.reserve_run(tmp_path, now)[0])
        except BaseException as exc:  # noqa: BLE001 (the test reports any)
            errors.append(exc)

    threads = [threading.Thread(target=start) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(got) == len(set(got)) == 200
    assert sorted(got, key=state.run_key)[:3] == ["20261202-101500", "20261202-101500-2", "20261202-101500-3"]
    assert state.run_key("20261202-101500-10") > state.run_key("20261202-101500-9")
    assert state.run_key("20261202-101501") > state.run_key("20261202-101500-99")


def _succeeded(client_reports: Path, run_id: str, status: str = "succeeded") -> Path:
    run = client_reports / run_id
    run.mkdir(parents=True)
    write_json(run / "run.json", {"run_id": run_id, "status": status})
    return run


def test_latest_points_at_the_run_that_started_last_whatever_the_order_they_finish(tmp_path):
    older, newer = "20261202-101500", "20261202-101500-2"
    _succeeded(tmp_path, older)
    _succeeded(tmp_path, newer)
    assert state.point_latest(tmp_path, newer)  # the newer run finishes first
    assert not state.point_latest(tmp_path, older)  # the older one finishes later: latest stays
    assert (tmp_path / "latest").readlink() == Path(newer)
    later = "20261202-101502"
    _succeeded(tmp_path, later)
    assert state.point_latest(tmp_path, later)
    assert (tmp_path / "latest").readlink() == Path(later)
    # a latest on a run that is gone or not succeeded is replaced
    shutil.rmtree(tmp_path / later)
    assert state.point_latest(tmp_path, older)
    assert not list(tmp_path.glob(".latest-*"))


# --------------------------------------------------------------------------- stale runs
def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def _running(run: Path, **record) -> None:
    run.mkdir(parents=True)
    base = {"status": "running", "started": dt.datetime.now(dt.UTC).isoformat(), "host": socket.gethostname()}
    write_json(run / "run.json", {**base, **record})


def test_a_run_whose_process_is_gone_is_found_interrupted_and_cleaned(tmp_path):
    client = tmp_path / "demo"
    dead, alive = client / "20261202-101500", client / "20261202-101600"
    _running(dead, pid=_dead_pid(), pid_start="1")
    _running(alive, **state.process_record())
    (dead / ".run.json.123.tmp").write_text("{")
    (dead / ".audit.csv.tmp").write_text("half,a")
    (dead / ".tables-123").mkdir()
    (client / f".latest-{_dead_pid()}").symlink_to("20261202-101500")
    long_ago = (dt.datetime.now(dt.UTC) - dt.timedelta(days=3)).isoformat()
    _running(client / "20261101-000000", host="another-host", pid=1, started=long_ago)
    _running(client / "20261101-000001", host="another-host", pid=1)  # recent: may still run there
    _running(client / "20261101-000002", host=None, started=long_ago)  # recorded no process

    runs = {path.name: record for path, record in state.client_runs(client)}
    assert runs["20261202-101500"]["status"] == "interrupted"
    assert "its process" in runs["20261202-101500"]["error"] and "ended without recording" in runs[
        "20261202-101500"]["error"]  # fmt: skip
    assert runs["20261202-101600"]["status"] == "running"
    assert runs["20261101-000000"]["status"] == "interrupted" and "another-host" in runs["20261101-000000"]["error"]
    assert runs["20261101-000001"]["status"] == "running"
    assert runs["20261101-000002"]["status"] == "interrupted"
    assert json.loads((dead / "run.json").read_text())["status"] == "interrupted"  # recorded
    assert sorted(p.name for p in dead.iterdir()) == ["run.json"]
    assert not list(client.glob(".latest-*"))
    assert list(runs) == sorted(runs, key=state.run_key)


def test_the_portfolio_and_the_runs_command_report_a_killed_run(tmp_path, capsys):
    reports = tmp_path / "reports"
    good = _succeeded(reports / "acme", "20261201-090000")
    (reports / "acme" / "latest").symlink_to(good.name)
    _running(reports / "acme" / "20261202-090000", pid=_dead_pid())
    row = portfolio.collect(reports)[0]
    assert row.latest_run == good.name and row.attempt_status == "interrupted"
    code, said = workbook("runs", "acme", "--reports-dir", str(reports))
    assert code == 0
    lines = said.splitlines()
    assert lines[1].startswith("20261201-090000") and "succeeded" in lines[1] and lines[1].endswith("latest")
    assert lines[2].startswith("20261202-090000") and "interrupted" in lines[2]
    assert "ended without recording the end of the run" in lines[3]
    code, said = workbook("runs", "nobody", "--reports-dir", str(reports))
    assert code == 1 and "no run" in said


# --------------------------------------------------------------------------- status and signals
def test_a_full_disk_still_records_how_the_run_ended(tmp_path, monkeypatch):
    run = tmp_path / "20261202-101500"
    run.mkdir()
    state.write_status(run, {"status": "running", "started": "2026-12-02T10:15:00+00:00", "pid": 1})

    def full(path, payload):
        raise OSError(errno.ENOSPC, "No space left on device", str(path))

    monkeypatch.setattr(state, "write_json", full)
    record = {"status": "failed", "error": "01_observation.ipynb failed: disk full " + "x" * 5000}
    state.write_status(run, record)  # in place, in the file's own block
    written = json.loads((run / "run.json").read_text())
    assert written["status"] == "failed" and written["error"].startswith("01_observation.ipynb failed")
    assert list(run.iterdir()) == [run / "run.json"]


def test_writers_leave_no_temporary_file_when_the_disk_is_full(tmp_path, monkeypatch):
    def full(self, target):
        raise OSError(errno.ENOSPC, "No space left on device", str(self))

    monkeypatch.setattr(Path, "replace", full)
    with pytest.raises(OSError):
        write_json(tmp_path / "x.json", {"a": 1})
    with pytest.raises(OSError):
        write_csv(pd.DataFrame({"a": [1]}), tmp_path / "x.csv")
    assert list(tmp_path.iterdir()) == []


def test_a_stop_signal_waits_while_a_status_is_written():
    with pytest.raises(state.RunInterrupted) as stopped, state.stop_on_signals():
        with state.hold_signals():
            os.kill(os.getpid(), signal.SIGTERM)
            reached = True  # the signal did not cut the block
        pytest.fail("the signal was not raised after the block")
    assert reached and stopped.value.name == "SIGTERM" and stopped.value.exit_code == 143
    with state.stop_on_signals():
        with state.hold_signals(reraise=False):
            os.kill(os.getpid(), signal.SIGINT)
    assert signal.getsignal(signal.SIGTERM) is not state._on_signal  # handlers restored


def test_a_run_stopped_by_sigterm_ends_interrupted_and_clean(folders, monkeypatch):
    """The run command's handler: SIGTERM while the notebooks run (here, before the first one)."""
    from helpers.run import runner

    reports = folders["reports"]
    earlier = _succeeded(reports / "demo", "20200101-000000")
    (reports / "demo" / "latest").symlink_to(earlier.name)
    before = files_under(earlier)

    def stopped(*args, **kwargs):
        (args[2] / ".audit.csv.tmp").write_text("half")  # a table being written
        os.kill(os.getpid(), signal.SIGTERM)
        raise AssertionError("the signal should have stopped the run")

    monkeypatch.setattr(runner, "_execute_all", stopped)
    code, said = workbook("run", "demo", "--clients-dir", str(folders["clients"]), "--reports-dir", str(reports))
    assert code == 143, said
    assert "stopped by SIGTERM" in said and "Traceback" not in said
    (run,) = [p for p in (reports / "demo").iterdir() if not p.is_symlink() and p != earlier]
    record = json.loads((run / "run.json").read_text())
    assert record["status"] == "interrupted" and "SIGTERM" in record["error"]
    assert (reports / "demo" / "latest").readlink() == Path(earlier.name)
    assert files_under(earlier) == before
    assert not [p for p in reports.rglob("*") if p.name.endswith(".tmp") or p.name.startswith((".latest-", ".tables-"))]


def test_a_full_disk_during_the_run_ends_failed_with_the_reason(folders, monkeypatch):
    from helpers.run import runner

    reports = folders["reports"]

    def full(*args, **kwargs):
        (args[1] / ".tables-999").mkdir()  # the snapshot's staging folder, half written
        raise OSError(errno.ENOSPC, "No space left on device", str(args[1] / "tables" / "posts.parquet"))

    monkeypatch.setattr(runner.snapshot, "write", full)
    code, said = workbook("run", "demo", "--clients-dir", str(folders["clients"]), "--reports-dir", str(reports))
    assert code == 1 and "Traceback" not in said
    assert "the disk is full" in said and "marked failed" in said
    (run,) = [p for p in (reports / "demo").iterdir() if p.is_dir()]
    record = json.loads((run / "run.json").read_text())
    assert record["status"] == "failed" and "the disk is full" in record["error"] and "posts.parquet" in record["error"]
    assert sorted(p.name for p in run.iterdir()) == ["run.json"]
    assert not (reports / "demo" / "latest").exists()


# --------------------------------------------------------------------------- safe CSV
@pytest.mark.parametrize(
    ("cell", "written"),
    [
        ("=1+1", "'=1+1"),
        ("+33 6 12 34 56 78", "'+33 6 12 34 56 78"),
        ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"),
        (INJECTED, "'" + INJECTED),
        ('=HYPERLINK("http://evil.example","Bretagne")', '\'=HYPERLINK("http://evil.example","Bretagne")'),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("-", "'-"),
        ("'=already", "''=already"),  # one more quote: it reads back as it was
        ("-0.25", "-0.25"),  # a number written as text stays a number
        ("+33", "+33"),
        ("-12%", "-12%"),
        ("1e-05", "1e-05"),
        ("Maison Argile", "Maison Argile"),
        ("'quoted", "'quoted"),
        ("a=b", "a=b"),
        ("", ""),
    ],
)
def test_guard_cell(cell, written):
    assert guard_cell(cell) == written
    assert unguard_cell(written) == cell


def test_safe_cells_touch_text_only():
    frame = pd.DataFrame({
        "brand": [INJECTED, "Maison Argile", None],
        "gap": [-0.5, 1.0, float("nan")],
        "count": pd.array([-3, 4, None], dtype="Int64"),
        "label": pd.array(["+8 % communauté", "x", None], dtype="string"),
        "kind": pd.Categorical(["=a", "b", "b"]),
        "=col": [1, 2, 3],
    })  # fmt: skip
    safe = safe_cells(frame)
    assert safe["brand"].tolist()[:2] == ["'" + INJECTED, "Maison Argile"] and pd.isna(safe["brand"][2])
    assert safe["gap"].dtype == "float64" and safe["gap"][0] == -0.5
    assert str(safe["count"].dtype) == "Int64" and safe["count"][0] == -3
    assert safe["label"][0] == "'+8 % communauté" and safe["kind"][0] == "'=a"
    assert "'=col" in safe.columns
    assert frame["brand"][0] == INJECTED  # the frame given is not changed


def test_write_csv_round_trips_and_changes_nothing_else(tmp_path):
    frame = pd.DataFrame({
        "brand": [INJECTED, "Maison Argile", "-", "'=x", "\rline", None],
        "share": [0.1, -0.2, 0.3, -1e-9, 2.0, float("nan")],
        "posts": [1, -2, 3, 4, 5, 6],
    })  # fmt: skip
    path = write_csv(frame, tmp_path / "benchmark.csv")
    text = path.read_text(encoding="utf-8")
    assert "'@SUM" in text and "-0.2" in text and "'-0.2" not in text
    back = read_csv(path)
    pd.testing.assert_frame_equal(back, frame, check_dtype=False)
    assert back["share"].dtype == "float64" and back["posts"].dtype == "int64"
    # a table with nothing to guard is written as pandas writes it, byte for byte
    plain = pd.DataFrame({"channel": ["facebook", "x"], "change": [-0.31, 0.02], "posts": [12, 3]})
    write_csv(plain, tmp_path / "plain.csv")
    plain.to_csv(tmp_path / "pandas.csv", index=False, lineterminator="\n")
    assert (tmp_path / "plain.csv").read_bytes() == (tmp_path / "pandas.csv").read_bytes()
    assert not list(tmp_path.glob(".*.tmp"))


def test_imported_tables_are_guarded_and_read_back_as_they_were(tmp_path):
    table = pd.DataFrame({
        "date": pd.to_datetime(["2026-01-01", "2026-01-01"]),
        "brand": [INJECTED, "Maison Argile"],
        "channel": ["instagram", "instagram"],
        "followers": pd.array([10, 20], dtype="Int64"),
        "posts": pd.array([1, 2], dtype="Int64"),
        "interactions": pd.array([5, 6], dtype="Int64"),
    })  # fmt: skip
    path = write_table(table, tmp_path / "competitors.csv", "competitors")
    assert f"'{INJECTED}" in path.read_text(encoding="utf-8")
    assert read_table(path, "competitors")["brand"].tolist() == [INJECTED, "Maison Argile"]


def test_the_calendar_and_its_ics_are_guarded(tmp_path):
    from helpers.client.brief import Brief
    from helpers.method.planning import build_calendar, calendar_to_csv, calendar_to_ics, read_calendar_csv

    brief = Brief.model_validate({
        "client": {"name": "=HYPERLINK(\"http://evil.example\")", "country": "FR",
                   "timezone": "Europe/Paris", "lang": "fr"},
        "period": {"start": "2026-01-01", "end": "2026-12-31"},
        "horizon": {"start": "2027-02-01", "end": "2027-02-14"},
        "profiles": [{"channel": "linkedin", "account": "petite"}],
        "planning": {"frequency": {"linkedin": 3}, "pillars": ["=1+1", "@cmd", "Coulisses"]},
    })  # fmt: skip
    calendar = build_calendar(brief, None, None)
    assert {"=1+1", "@cmd"} <= set(calendar["pillar"])
    path = calendar_to_csv(calendar, tmp_path / "calendar.csv")
    cells = pd.read_csv(path, dtype=str, keep_default_na=False)
    assert {"'=1+1", "'@cmd"} <= set(cells["pillar"]) and "=1+1" not in set(cells["pillar"])
    pd.testing.assert_frame_equal(read_calendar_csv(path), calendar)
    ics = icalendar.Calendar.from_ical(calendar_to_ics(calendar, tmp_path / "calendar.ics", brief).read_bytes())
    assert str(ics["X-WR-CALNAME"]).startswith("'=HYPERLINK")
    for event in ics.walk("VEVENT"):
        assert not str(event["SUMMARY"]).startswith(("=", "+", "-", "@"))


def test_the_portfolio_reads_a_guarded_status(tmp_path):
    (tmp_path / "tracking.csv").write_text("id,label,status\ng,'+8 % x,on_track\n", encoding="utf-8")
    assert portfolio.goal_statuses(tmp_path)[0] == {"on_track": 1}


def test_tables_a_step_saves_are_guarded_and_load_back_as_they_were(tmp_path):
    from helpers.client.brief import load_brief
    from helpers.client.loading import ClientData
    from helpers.run.context import Run

    brief = load_brief(DEMO / "brief.yaml")
    data = ClientData("demo", DEMO, brief, {})
    observation = Run(data=data, lang="en", run_dir=tmp_path, start=brief.period.start, end=brief.period.end,
                      step="01_observation")  # fmt: skip
    synthesis = Run(data=data, lang="en", run_dir=tmp_path, start=brief.period.start, end=brief.period.end,
                    step="02_synthesis")  # fmt: skip
    table = pd.DataFrame({"brand": [INJECTED, "Maison Argile"], "share_of_voice": [-0.1, 0.4]})
    observation.save("benchmark", table)
    assert f"'{INJECTED}" in (tmp_path / "benchmark.csv").read_text(encoding="utf-8")
    pd.testing.assert_frame_equal(synthesis.load("benchmark"), table)


def test_the_guard_is_the_one_csv_writer_of_the_package():
    """No module writes a CSV with pandas' to_csv but the guarded writer."""
    offenders = []
    for path in (ROOT / "helpers").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        if ".to_csv(" in text and path.name != "loading.py":
            offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []
    assert loading.write_csv.__module__ == "helpers.client.loading"
