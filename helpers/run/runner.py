"""Run the notebook series for a client with papermill, into its own run folder.

A run writes into ``reports/<client>/<run-id>/`` and never touches an earlier run.
``reports/<client>/latest`` points at the newest run that succeeded and moves only after
every notebook ran and every deliverable was written (the HTML parts, ``report.html``, the
editable ``report.xlsx`` and ``report.pptx``, ``index.html``). A failing cell stops the run with
a message naming the notebook and the cell; the partial folder is kept and marked failed.
Whatever stops a run (a cell, a full disk, a crash, a signal), its ``run.json`` ends
``failed`` or ``interrupted`` with the reason, and its temporary files are removed
(:mod:`helpers.run.state`).
A run that succeeded adds its headline KPIs and goals to ``reports/<client>/history.csv``
(:mod:`helpers.run.history`); a failed or interrupted one adds nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import platform
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING

from helpers.client import snapshot
from helpers.client.loading import DataError, inspect_client, write_json
from helpers.client.snapshot import EmptyPeriodError
from helpers.config import CLIENTS_DIR, NOTEBOOKS, NOTEBOOKS_DIR, REPORTS_DIR, ROOT, check_client_name
from helpers.report.deck import write_deck
from helpers.report.export import PartInfo, make_exporter, part_title, render_part, write_index, write_report
from helpers.report.i18n import set_country
from helpers.report.workbook import write_workbook
from helpers.run import since as since_runs
from helpers.run import state
from helpers.run.artefacts import file_of
from helpers.run.kernel import ensure_kernel
from helpers.run.state import point_latest  # noqa: F401 (where it always was)

PACKAGES = (
    "social-workbook", "pandas", "numpy", "matplotlib", "seaborn", "papermill",
    "nbconvert", "nbclient", "ipykernel", "pydantic", "holidays", "icalendar",
)  # fmt: skip

if TYPE_CHECKING:
    from helpers.run.kernel import Kernel

Progress = Callable[[str], None]


class RunFailedError(RuntimeError):
    """A run stopped; the message names the notebook and the cell (or the file and why).

    ``run_dir`` is the run folder kept and marked ``status`` (failed), or None when the run could
    not start (its folder could not be made or written: nothing was left).
    """

    def __init__(self, message: str, run_dir: Path | None = None, status: str = "failed"):
        super().__init__(message)
        self.run_dir = run_dir
        self.status = status


@dataclass
class RunResult:
    client: str
    run_dir: Path
    status: str
    durations: dict[str, float] = field(default_factory=dict)
    error: str = ""


def _stderr(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def package_versions() -> dict[str, str]:
    versions = {"python": platform.python_version()}
    for name in PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions


def _source_position(executed: Path, cell: int) -> int:
    """Position (1-based) of a cell in the source notebook, ignoring the cell papermill injects."""
    try:
        cells = json.loads(executed.read_text(encoding="utf-8"))["cells"]
    except (OSError, ValueError, KeyError):
        return cell + 1
    injected = [
        i for i, c in enumerate(cells) if "injected-parameters" in c.get("metadata", {}).get("tags", [])
    ]
    return cell if injected and cell > injected[0] else cell + 1


def _describe_failure(name: str, exc: Exception, executed: Path) -> str:
    cell = getattr(exc, "cell_index", None)
    ename = getattr(exc, "ename", type(exc).__name__)
    evalue = getattr(exc, "evalue", str(exc))
    source = (getattr(exc, "source", "") or "").strip().splitlines()
    where = f"cell {_source_position(executed, cell)}" if isinstance(cell, int) else "a cell"
    first = f" [{source[0][:80]}]" if source else ""
    if isinstance(exc, OSError) and not hasattr(exc, "ename"):
        return f"{name}.ipynb could not be written: {state.describe_os_error(exc)}"
    full = " (the disk is full)" if "[Errno 28]" in str(evalue) else ""
    return f"{name}.ipynb failed at {where}{first}: {ename}: {evalue}{full}"


def run_client(
    client: str,
    *,
    clients_dir: str | Path | None = None,
    reports_dir: str | Path | None = None,
    lang: str | None = None,
    notebooks: tuple[str, ...] = NOTEBOOKS,
    notebooks_dir: str | Path | None = None,
    progress: Progress = _stderr,
    on_start: Callable[[Path], None] | None = None,
    shared_kernel: bool = True,
    kernel_ahead: Kernel | None = None,
    since: str | None = None,
) -> RunResult:
    """Run the series for one client and write its deliverables.

    Args:
        client: the client folder's name under ``clients_dir``.
        clients_dir: folder of client folders (default ``data/clients``).
        reports_dir: folder of run folders (default ``reports``).
        lang: ``fr`` or ``en`` to override the brief's language.
        notebooks: the notebooks to run, in order.
        notebooks_dir: folder of the notebooks (default: the project's ``notebooks/``).
        progress: called with one line per step.
        on_start: called with the run folder once it exists (batch runs open ``run.log`` there).
        shared_kernel: run the notebooks one after the other in one kernel (its namespace reset
            between notebooks), the default, or start one kernel per notebook (False): with one
            kernel the imports are paid once.
        kernel_ahead: a kernel started ahead (``Kernel(..., ahead=True)``), to run the first notebook
            (and the others with ``shared_kernel``); the run stops it, like its own kernels.
        since: the earlier run to compare with (:mod:`helpers.run.since`): None for the client's
            newest successful run, ``"none"`` for none, or a run id of the client.

    Returns:
        The finished run.

    Raises:
        ClientNameError: ``client`` is not a folder name (nothing is read or written).
        DataError: the brief or the data are invalid, or ``since`` names a run that cannot be
            compared with (nothing is run, no folder is made).
        ReportsDirError: the reports folder cannot hold run folders (nothing is written).
        RunFailedError: a notebook failed, or a file could not be written (a full disk); the
            folder is kept and marked failed (``run_dir`` None: the run could not start, nothing
            was left).
        KeyboardInterrupt: Ctrl-C or a stop signal (:class:`helpers.run.state.RunInterrupted`, with
            :func:`helpers.run.state.stop_on_signals`); the folder is kept and marked interrupted.
    """
    client = check_client_name(client)
    problems, inspected = inspect_client(client, clients_dir)
    if problems:
        raise DataError(f"client '{client}' cannot be run:\n" + "\n".join(f"- {p}" for p in problems))
    try:
        data, start, end = snapshot.load_period(client, clients_dir, inspected=inspected)
    except EmptyPeriodError as exc:
        raise DataError(f"client '{client}' cannot be run: {exc}") from None
    lang = lang or data.brief.client.lang
    set_country(data.brief.client.country)  # the deliverables' dates in the country's style
    reports = state.check_reports_dir(
        reports_dir if reports_dir is not None else REPORTS_DIR, clients_dir or CLIENTS_DIR
    )
    run_dir: Path | None = None
    previous = _previous_run(reports / client, client, since)
    result = RunResult(client, reports / client, state.RUNNING)
    status: dict = {}
    recorded = False
    try:
        with state.hold_signals():  # a stop signal waits until the folder says it is running
            client_reports, run_id, run_dir = _reserve(reports, client)
            result.run_dir = run_dir
            created = dt.datetime.now(dt.UTC).replace(microsecond=0)
            status.update(client=client, run_id=run_id, status=state.RUNNING, started=created.isoformat())
            status.update(state.process_record())
            state.write_status(run_dir, status)  # first: a run folder always says how it is
            recorded = True
        kernel = ensure_kernel()
        parameters = {
            "client": client,
            "clients_dir": str(data.folder.parent.resolve()),
            "run_dir": str(run_dir),
            "lang": lang,
            "period_start": "",
            "period_end": "",
            "since_dir": str(previous.resolve()) if previous is not None else since_runs.NONE,
        }
        inputs = {
            "client": client,
            "run_id": run_id,
            "created": created.isoformat(),
            "files": [s.as_dict(ROOT if s.path.is_relative_to(ROOT) else None) for s in data.sources],
            "parameters": parameters,
            "since": since_runs.describe(previous),
            "kernel": kernel,
            "versions": package_versions(),
        }
        snapshot.write(data, run_dir, start, end, origin="run")
        write_json(run_dir / file_of("inputs"), inputs)
        digest = hashlib.sha256((run_dir / file_of("inputs")).read_bytes()).hexdigest()
        if on_start is not None:
            on_start(run_dir)
        progress(f"{client}: run {run_id} → {run_dir}")
        source = Path(notebooks_dir) if notebooks_dir else NOTEBOOKS_DIR
        with _PartExports(run_dir, data.brief, lang, created.isoformat(), digest, notebooks) as exports:
            _execute_all(
                notebooks, source, run_dir, parameters, kernel, result, progress, shared_kernel, exports,
                kernel_ahead,
            )  # fmt: skip
            parts = exports.write()
        write_report(
            run_dir, data.brief, data.folder, lang, parts, "succeeded", created, digest, exports.exporter
        )
        write_workbook(run_dir, data.brief, lang)
        write_deck(run_dir, data.brief, data.folder, lang, created.date())
        write_index(run_dir, data.brief, data.folder, lang, parts, "succeeded", created)
        with state.hold_signals(reraise=False):  # the run is done: a stop now changes nothing
            status.update(status=state.SUCCEEDED, finished=_now(), durations=result.durations)
            state.write_status(run_dir, status)
            result.status = state.SUCCEEDED
            point_latest(client_reports, run_id)
    except KeyboardInterrupt as exc:
        if result.status == state.SUCCEEDED or run_dir is None:
            raise
        result.status = result.error = state.INTERRUPTED
        reason = str(exc) if isinstance(exc, state.RunInterrupted) else "stopped by Ctrl-C"
        _record_end(run_dir, status, state.INTERRUPTED, reason, result, progress, recorded)
        progress(f"{client}: INTERRUPTED ({reason}); 'latest' was not moved")
        raise
    except Exception as exc:
        if run_dir is None:
            raise
        if result.status == state.SUCCEEDED:  # moving 'latest' failed; the run itself is complete
            message = f"the run succeeded but 'latest' was not moved: {_reason(exc)}"
            raise RunFailedError(message, run_dir, state.SUCCEEDED) from exc
        result.status, result.error = state.FAILED, _reason(exc)
        _record_end(run_dir, status, state.FAILED, result.error, result, progress, recorded)
        progress(f"{client}: FAILED: {result.error}")
        raise RunFailedError(result.error, run_dir if recorded else None) from exc
    finally:
        if run_dir is not None:
            with state.hold_signals(reraise=False):
                state.clean_temporary(run_dir)
                _remove_if_empty(run_dir)
                _remove_if_empty(run_dir.parent)  # a client's first run, that could not start
    _record_history(client_reports, progress)
    progress(f"{client}: done in {sum(result.durations.values()):.1f} s → {client_reports / 'latest'}")
    return result


def _previous_run(client_reports: Path, client: str, since: str | None) -> Path | None:
    """The run this one compares with (:func:`helpers.run.since.resolve`), checked before anything
    is written.

    Raises:
        DataError: ``since`` names a run that cannot be compared with.
    """
    try:
        return since_runs.resolve(client_reports, client, since)
    except since_runs.SinceError as exc:
        raise DataError(f"client '{client}' cannot be run: {exc}") from None


def _record_history(client_reports: Path, progress: Progress) -> None:
    """Add the run that succeeded (and any earlier successful run missing there) to the client's
    ``history.csv`` (:mod:`helpers.run.history`). The run is complete already: a history that cannot
    be read or written is reported, never fatal, and the next run adds what is missing."""
    from helpers.run.history import HistoryError, record_runs

    with state.hold_signals(reraise=False):
        try:
            record_runs(client_reports)
        except HistoryError as exc:
            progress(f"warning: the history over runs was not updated: {exc}")
        except OSError as exc:
            progress(f"warning: the history over runs was not updated: {state.describe_os_error(exc)}")


def _reserve(reports: Path, client: str) -> tuple[Path, str, Path]:
    """The client's reports folder and a new run folder in it, both checked to lie in ``reports``.

    Raises:
        RunFailedError: they cannot be made (a read-only or full disk); nothing is left.
        ReportsDirError: the client's reports folder leads out of the reports folder.
    """
    client_reports = reports / client
    try:
        client_reports.mkdir(parents=True, exist_ok=True)
        state.check_inside(client_reports, reports)
        state.client_runs(client_reports)  # a run killed earlier is recorded interrupted first
        run_id, run_dir = state.reserve_run(client_reports)
    except OSError as exc:
        raise RunFailedError(
            f"cannot make the run folder in {client_reports}: {state.describe_os_error(exc)}"
        ) from None
    return client_reports, run_id, run_dir


def _reason(exc: BaseException) -> str:
    if isinstance(exc, OSError) and not isinstance(exc, RunFailedError):
        return state.describe_os_error(exc)
    return str(exc) or type(exc).__name__


def _record_end(
    run_dir: Path, status: dict, how: str, reason: str, result: RunResult, progress: Progress, recorded: bool
) -> None:
    """Record how a run ended in its ``run.json``. When even that cannot be written, a run that
    said it was running is found stale by the next command that reads it (and recorded
    ``interrupted``); one that could not say so is removed, empty, by the caller."""
    status.update(status=how, error=reason, finished=_now(), durations=result.durations)
    with state.hold_signals(reraise=False):
        try:
            state.write_status(run_dir, status)
        except OSError as exc:
            if recorded:
                progress(f"warning: the end of the run could not be recorded: {state.describe_os_error(exc)}")


def _remove_if_empty(folder: Path) -> None:
    """Remove a folder left empty (a run that could not write its first file)."""
    try:
        folder.rmdir()
    except OSError:
        pass  # not empty: it is kept


def _now() -> str:
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()


class _PartExports:
    """The client HTML of each part, rendered while the next notebook runs, written once all ran.

    The kernel does the work while a notebook runs; this process only waits for its messages, so
    the part before is rendered meanwhile, in one thread, with one exporter for the whole run
    (:func:`helpers.report.export.render_part`). Nothing is written before every notebook ran: a
    failed run has no HTML, as before.
    """

    def __init__(self, run_dir: Path, brief, lang: str, created: str, digest: str, names: tuple[str, ...]):
        from concurrent.futures import ThreadPoolExecutor

        self.run_dir, self.brief, self.lang, self.created, self.digest = run_dir, brief, lang, created, digest
        self.names = names
        self.exporter = make_exporter(lang)
        self.pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="export")
        self.rendered: dict = {}

    def __enter__(self) -> _PartExports:
        return self

    def __exit__(self, *exc) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)

    def submit(self, name: str) -> None:
        """Render the part of ``name``, a notebook that ran."""
        notebook = self.run_dir / f"{name}.ipynb"
        args = (notebook, self.brief, self.lang, self.created, self.digest, self.names, self.exporter)
        self.rendered[name] = self.pool.submit(render_part, *args)

    def write(self) -> list[PartInfo]:
        """Write every part's HTML next to its notebook; a part that could not be rendered raises."""
        parts = []
        for name, future in self.rendered.items():
            (self.run_dir / f"{name}.html").write_text(future.result(), encoding="utf-8")
            parts.append(PartInfo(name, part_title(name, self.lang), f"{name}.html"))
        return parts


def _execute_all(
    notebooks: tuple[str, ...],
    source: Path,
    run_dir: Path,
    parameters: dict,
    kernel: str,
    result: RunResult,
    progress: Progress,
    shared_kernel: bool = True,
    exports: _PartExports | None = None,
    kernel_ahead: Kernel | None = None,
) -> None:
    """Run the notebooks in order, in one kernel emptied between them or in a kernel each; hand each
    notebook that ran to ``exports``."""
    from helpers.run.kernel import Kernel

    if kernel_ahead is not None and not notebooks:
        kernel_ahead.shutdown()

    options = {
        "parameters": parameters,
        "kernel_name": kernel,
        "cwd": str(run_dir),
        "progress_bar": sys.stderr.isatty(),
        "log_output": False,
    }
    current = None
    try:
        for i, name in enumerate(notebooks, 1):
            if current is None and kernel_ahead is not None:
                current = kernel_ahead
                current.reset(str(run_dir))  # forgets the warm-up, moves into the run folder
            elif current is not None and shared_kernel:
                current.reset()
            else:
                if current is not None:
                    current.shutdown()
                current = Kernel(kernel, str(run_dir))
            _execute_one(current, f"{i}/{len(notebooks)}", name, source, run_dir, options, result, progress)
            if exports is not None:
                exports.submit(name)
    finally:
        if current is not None:
            current.shutdown()


def _execute_one(
    kernel,
    position: str,
    name: str,
    source: Path,
    run_dir: Path,
    options: dict,
    result: RunResult,
    progress: Progress,
) -> None:
    progress(f"  [{position}] {name} …")
    started = time.perf_counter()
    try:
        kernel.execute(str(source / f"{name}.ipynb"), str(run_dir / f"{name}.ipynb"), **options)
    except Exception as exc:
        result.durations[name] = round(time.perf_counter() - started, 2)
        raise RunFailedError(_describe_failure(name, exc, run_dir / f"{name}.ipynb"), run_dir) from exc
    result.durations[name] = round(time.perf_counter() - started, 2)
    progress(f"  [{position}] {name} ok ({result.durations[name]:.1f} s)")
