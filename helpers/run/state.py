"""How a run ends, always in a known state: its id, its ``run.json``, ``latest``, and runs that stopped
without saying so.

* **Run ids** are reserved atomically: the run folder is created exclusively, and a run started in
  the same second as another gets ``-2``, ``-3``... (:func:`reserve_run`).
* **Status.** ``run.json`` says ``running`` from the moment the folder exists, then ``succeeded``,
  ``failed`` or ``interrupted``, with the reason. It is replaced atomically; when the disk is full it
  is rewritten in place, in the space the file already holds (:func:`write_status`).
* **Signals.** Within :func:`stop_on_signals`, SIGTERM, SIGINT and SIGHUP raise
  :class:`RunInterrupted`, so a run stopped by ``kill``, Ctrl-C or a closed terminal records
  ``interrupted`` and cleans up like any other ending; :func:`hold_signals` delays them while a
  status or ``latest`` is being written.
* **Runs that stopped unseen** (SIGKILL, a machine that stopped): ``run.json`` records the process
  (pid, its start, the host). A ``running`` run whose process is gone, or, on another host, that
  started more than :data:`STALE_AFTER` ago, is stale: the next command that reads it
  (:func:`settle`: ``workbook runs``, the portfolio, the next run of the client) records it
  ``interrupted`` and removes its temporary files.
* **latest** points at the successful run that started last (the highest run id), even when runs
  finish out of order: it is swapped atomically, under a lock, and only forward (:func:`point_latest`).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import json
import os
import re
import shutil
import signal
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from helpers.client.loading import strict_json, write_json
from helpers.client.snapshot import SNAPSHOT_DIR
from helpers.run.artefacts import file_of

#: The states of ``run.json``.
RUNNING, SUCCEEDED, FAILED, INTERRUPTED = "running", "succeeded", "failed", "interrupted"
STATES = (RUNNING, SUCCEEDED, FAILED, INTERRUPTED)
#: A ``running`` run of another host (whose process cannot be asked) is stale after this long.
STALE_AFTER = dt.timedelta(hours=24)
#: The signals that stop a run cleanly (a closed terminal sends SIGHUP).
STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)

_RUN_ID = re.compile(r"^(\d{8}-\d{6})(?:-(\d+))?$")


class RunInterrupted(KeyboardInterrupt):
    """A run was asked to stop by a signal (SIGTERM, SIGINT, SIGHUP)."""

    def __init__(self, signum: int):
        self.signum = signum
        self.name = signal.Signals(signum).name
        super().__init__(f"stopped by {self.name}")

    @property
    def exit_code(self) -> int:
        return 128 + self.signum


class ReportsDirError(ValueError):
    """The reports folder given cannot hold run folders (a file, inside the clients folder...)."""


# --------------------------------------------------------------------------- run ids and latest
def run_key(run_id: str) -> tuple[str, int]:
    """Sort key of a run id: ``20261202-101500`` < ``20261202-101500-2`` < ``20261202-101500-10``.
    Names that are not run ids sort first."""
    match = _RUN_ID.match(run_id)
    if not match:
        return ("", 0)
    return (match.group(1), int(match.group(2) or 1))


def reserve_run(client_reports: Path, now: dt.datetime | None = None) -> tuple[str, Path]:
    """Create the folder of a new run, exclusively: ``YYYYMMDD-HHMMSS`` in UTC, else ``-2``, ``-3``...

    Two runs started together never get the same folder: the one whose ``mkdir`` comes second
    takes the next suffix, so the run id also orders runs by the time they started.
    """
    now = now or dt.datetime.now(dt.UTC)
    base = now.strftime("%Y%m%d-%H%M%S")
    n = 1
    while True:
        run_id = base if n == 1 else f"{base}-{n}"
        path = client_reports / run_id
        try:
            path.mkdir()
        except FileExistsError:
            n += 1
            continue
        except FileNotFoundError:  # the client's folder was just removed (a run that could not start)
            client_reports.mkdir(parents=True, exist_ok=True)
            continue
        return run_id, path


@contextlib.contextmanager
def _locked(folder: Path) -> Iterator[None]:
    """An exclusive lock on ``folder`` (``flock`` on the folder itself: no lock file to leave)."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover (not POSIX)
        yield
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # releases the lock


def read_status(run_dir: Path) -> dict | None:
    """A run's ``run.json``, or None when it is missing or unreadable."""
    try:
        record = json.loads((run_dir / file_of("status")).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return record if isinstance(record, dict) else None


def point_latest(client_reports: Path, run_id: str) -> bool:
    """Point ``latest`` at ``run_id`` unless it points at a successful run that started later.

    The symlink is swapped with ``os.replace`` (a reader sees the old or the new target, never
    none), under a lock on the client's reports folder, so two runs finishing together cannot
    leave it on the older one.

    Returns:
        Whether ``latest`` moved.
    """
    latest = client_reports / "latest"
    with _locked(client_reports):
        if latest.is_symlink():
            current = client_reports / latest.readlink()
            record = read_status(current)
            if record and record.get("status") == SUCCEEDED and run_key(current.name) > run_key(run_id):
                return False
        tmp = client_reports / f".latest-{os.getpid()}"
        try:
            if tmp.is_symlink() or tmp.exists():
                tmp.unlink()
            tmp.symlink_to(run_id, target_is_directory=True)
            tmp.replace(latest)
        finally:
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()
    return True


# --------------------------------------------------------------------------- status
def _process_start(pid: int) -> str | None:
    """When process ``pid`` started (clock ticks since boot, from ``/proc``): with the pid, it names
    one process, even after the pid is reused. None where ``/proc`` is not there."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = stat[stat.rfind(")") + 2 :].split()
    return fields[19] if len(fields) > 19 else None


def _process_state(pid: int) -> str | None:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return stat[stat.rfind(")") + 2 :][:1]


def process_record() -> dict[str, Any]:
    """What ``run.json`` records of the process running a run, to tell later whether it still runs."""
    return {"pid": os.getpid(), "pid_start": _process_start(os.getpid()), "host": socket.gethostname()}


def process_alive(pid: int, started: str | None = None) -> bool:
    """Whether process ``pid`` of this host still runs (a zombie does not; with ``started``, a pid
    reused by another process does not)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # someone else's process: it exists
    if _process_state(pid) in ("Z", "X"):
        return False
    return not (started and _process_start(pid) not in (None, started))


def _when(value: Any) -> dt.datetime | None:
    try:
        when = dt.datetime.fromisoformat(str(value))
    except ValueError:
        return None
    return when if when.tzinfo else when.replace(tzinfo=dt.UTC)


def stale_reason(record: dict, now: dt.datetime | None = None) -> str:
    """Why a ``running`` run is known to have stopped without saying so, or ``""``."""
    if record.get("status") != RUNNING:
        return ""
    pid, host = record.get("pid"), record.get("host")
    if isinstance(pid, int) and host == socket.gethostname():
        if process_alive(pid, record.get("pid_start")):
            return ""
        return (
            f"its process ({pid}) ended without recording the end of the run "
            "(killed, or the machine stopped)"
        )
    started = _when(record.get("started"))
    now = now or dt.datetime.now(dt.UTC)
    if started is not None and now - started > STALE_AFTER:
        where = f"on {host}" if host else "on a machine that did not record its process"
        hours = STALE_AFTER.total_seconds() / 3600
        return f"still marked running {where} more than {hours:.0f} h after it started"
    return ""


def write_status(run_dir: Path, record: dict) -> Path:
    """Write ``run.json`` atomically; when the disk is full, rewrite it in place instead.

    The file written when the run started holds a block of the disk: the final status (compact,
    with a long reason shortened) is written there, so a run that fills the disk still ends
    ``failed`` with its reason.

    Raises:
        OSError: it could not be written at all.
    """
    path = run_dir / file_of("status")
    try:
        return write_json(path, record)
    except OSError as exc:
        if exc.errno != errno.ENOSPC or not path.is_file():
            raise
        shown = dict(record)
        data = b""
        for limit in (2000, 400, 80):
            shown["error"] = str(record.get("error", ""))[:limit]
            text = json.dumps(strict_json(shown), ensure_ascii=False, default=str, allow_nan=False)
            data = (text + "\n").encode("utf-8")
            if len(data) <= max(path.stat().st_blocks * 512, path.stat().st_size):
                break
        else:
            raise
        with path.open("r+b") as handle:
            handle.write(data)
            handle.truncate(len(data))
        return path


def clean_temporary(folder: Path) -> list[Path]:
    """Remove what an unfinished write leaves in a run folder: ``*.tmp`` files and staging folders
    (``.tables-<pid>``). Returns what was removed."""
    removed = []
    if not folder.is_dir():
        return removed
    for path in folder.iterdir():
        name = path.name
        staging = name.startswith(f".{SNAPSHOT_DIR}-") and path.is_dir() and not path.is_symlink()
        if not (name.endswith(".tmp") or staging):
            continue
        with contextlib.suppress(OSError):
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path)
            else:
                path.unlink()
            removed.append(path)
    return removed


_PID_NAMED = re.compile(r"^\.(?:latest-(\d+)|.+\.(\d+)\.tmp)$")


def clean_dead_temporary(folder: Path) -> list[Path]:
    """Remove the temporary files of processes that are gone from a folder several processes write
    (a client's reports folder, the reports folder): ``.latest-<pid>`` (a run killed while it
    swapped ``latest``) and ``.<file>.<pid>.tmp`` (a file being replaced). Returns what was removed."""
    removed = []
    if not folder.is_dir():
        return removed
    for path in folder.glob(".*"):
        match = _PID_NAMED.match(path.name)
        pid = match and (match.group(1) or match.group(2))
        if pid and (path.is_symlink() or not path.is_dir()) and not process_alive(int(pid)):
            with contextlib.suppress(OSError):
                path.unlink()
                removed.append(path)
    return removed


def settle(run_dir: Path, now: dt.datetime | None = None) -> dict | None:
    """A run's status as it really is: a stale ``running`` run is recorded ``interrupted`` (with
    why) and its temporary files removed. Returns the record (None when there is no readable one).
    A run folder that cannot be written keeps its file; the record returned says ``interrupted``."""
    record = read_status(run_dir)
    if record is None or record.get("status") != RUNNING:
        return record
    reason = stale_reason(record, now)
    if not reason:
        return record
    record = read_status(run_dir) or record  # its process is gone: this is its last word
    if record.get("status") != RUNNING:
        return record
    now = now or dt.datetime.now(dt.UTC)
    record.update(status=INTERRUPTED, error=reason)
    record["detected"] = now.replace(microsecond=0).isoformat()
    with contextlib.suppress(OSError):
        write_status(run_dir, record)
    clean_temporary(run_dir)
    return record


def client_runs(client_reports: Path) -> list[tuple[Path, dict]]:
    """Every run folder of a client's reports folder with its (settled) status, oldest first."""
    runs = []
    if not client_reports.is_dir():
        return runs
    clean_dead_temporary(client_reports)
    for path in client_reports.iterdir():
        if path.is_dir() and not path.is_symlink() and (path / file_of("status")).is_file():
            record = settle(path)
            if record is not None:
                runs.append((path, record))
    return sorted(runs, key=lambda item: (run_key(item[0].name), item[0].name))


# --------------------------------------------------------------------------- signals
_held: list[int] = []  # one item per hold_signals being in force
_pending: list[int] = []  # signals that came meanwhile


def _on_signal(signum: int, frame: Any) -> None:
    if _held:
        _pending.append(signum)
        return
    raise RunInterrupted(signum)


@contextlib.contextmanager
def stop_on_signals(signals: tuple[int, ...] = STOP_SIGNALS) -> Iterator[None]:
    """Within, SIGTERM, SIGINT and SIGHUP raise :class:`RunInterrupted` (where Python runs: in the
    main thread). The previous handlers come back on exit."""
    previous = {}
    for sig in signals:
        with contextlib.suppress(ValueError, OSError):  # not the main thread
            previous[sig] = signal.signal(sig, _on_signal)
    _pending.clear()
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


@contextlib.contextmanager
def hold_signals(reraise: bool = True) -> Iterator[None]:
    """Delay a stop signal while a status, ``latest`` or the clean-up is written, so none is left half
    done; on exit the signal is raised (``reraise``), or dropped when the run is ending anyway."""
    _held.append(1)
    try:
        yield
    finally:
        _held.pop()
        if not _held and _pending:
            signum = _pending[0]
            _pending.clear()
            if reraise:
                raise RunInterrupted(signum)


# --------------------------------------------------------------------------- folders
def describe_os_error(exc: OSError) -> str:
    """An OSError in the words of a user: what happened and to which file."""
    where = f" ({exc.filename})" if exc.filename else ""
    if exc.errno == errno.ENOSPC:
        return f"the disk is full: no space left on device{where}"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return f"permission denied{where}"
    if exc.errno == errno.EROFS:
        return f"the file system is read-only{where}"
    return f"{exc.strerror or exc}{where}"


def check_reports_dir(reports: str | Path, clients: str | Path | None = None) -> Path:
    """The reports folder, resolved, when it can hold run folders.

    Raises:
        ReportsDirError: it is empty (``--reports-dir ""``, which would be the current folder), a
            file, or inside the clients folder (the workbook never writes among a client's inputs).
    """
    if not str(reports).strip():
        raise ReportsDirError("the reports folder is empty: give a folder, e.g. --reports-dir reports")
    resolved = Path(reports).expanduser().resolve()
    if resolved.exists() and not resolved.is_dir():
        raise ReportsDirError(f"{reports} is not a folder: the reports folder must be a folder")
    if clients is not None and str(clients).strip():
        inputs = Path(clients).expanduser().resolve()
        if resolved == inputs or resolved.is_relative_to(inputs):
            raise ReportsDirError(
                f"{reports} is inside the clients folder {clients}: run folders are never written "
                "among the clients' inputs; choose a reports folder outside it"
            )
    return resolved


def check_inside(path: Path, reports: Path) -> Path:
    """``path``, resolved, when it lies inside the (resolved) reports folder.

    Raises:
        ReportsDirError: it leads elsewhere (e.g. a client's reports folder that is a link out).
    """
    resolved = path.resolve()
    if not resolved.is_relative_to(reports):
        raise ReportsDirError(f"{path} leads to {resolved}, outside the reports folder {reports}")
    return resolved
