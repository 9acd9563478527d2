"""Run the notebook series for a client with papermill, into its own run folder.

A run writes into ``reports/<client>/<run-id>/`` and never touches an earlier run.
``reports/<client>/latest`` points at the newest run that succeeded and moves only after
every notebook ran and every deliverable was written. A failing cell stops the run with
a message naming the notebook and the cell; the partial folder is kept and marked failed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
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
from helpers.config import NOTEBOOKS, NOTEBOOKS_DIR, REPORTS_DIR, ROOT
from helpers.report.export import PartInfo, make_exporter, part_title, render_part, write_index, write_report
from helpers.run.artefacts import file_of
from helpers.run.kernel import ensure_kernel

PACKAGES = (
    "social-workbook", "pandas", "numpy", "matplotlib", "seaborn", "papermill",
    "nbconvert", "nbclient", "ipykernel", "pydantic", "holidays", "icalendar",
)  # fmt: skip

if TYPE_CHECKING:
    from helpers.run.kernel import Kernel

Progress = Callable[[str], None]


class RunFailedError(RuntimeError):
    """A run stopped; the message names the notebook and the cell."""

    def __init__(self, message: str, run_dir: Path | None = None):
        super().__init__(message)
        self.run_dir = run_dir


@dataclass
class RunResult:
    client: str
    run_dir: Path
    status: str
    durations: dict[str, float] = field(default_factory=dict)
    error: str = ""


def _stderr(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def new_run_id(reports_dir: Path, client: str, now: dt.datetime | None = None) -> str:
    """A sortable, unique run id: ``YYYYMMDD-HHMMSS`` in UTC, suffixed if taken."""
    now = now or dt.datetime.now(dt.UTC)
    base = now.strftime("%Y%m%d-%H%M%S")
    run_id, n = base, 2
    while (reports_dir / client / run_id).exists():
        run_id, n = f"{base}-{n}", n + 1
    return run_id


def package_versions() -> dict[str, str]:
    versions = {"python": platform.python_version()}
    for name in PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions


def point_latest(client_reports: Path, run_id: str) -> None:
    """Move ``latest`` to ``run_id`` atomically (a symlink swapped with ``os.replace``)."""
    tmp = client_reports / f".latest-{os.getpid()}"
    if tmp.is_symlink() or tmp.exists():
        tmp.unlink()
    tmp.symlink_to(run_id, target_is_directory=True)
    tmp.replace(client_reports / "latest")


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
    return f"{name}.ipynb failed at {where}{first}: {ename}: {evalue}"


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

    Returns:
        The finished run.

    Raises:
        DataError: the brief or the data are invalid (nothing is run, no folder is made).
        RunFailedError: a notebook failed; the folder is kept and marked failed.
    """
    problems, inspected = inspect_client(client, clients_dir)
    if problems:
        raise DataError(f"client '{client}' cannot be run:\n" + "\n".join(f"- {p}" for p in problems))
    try:
        data, start, end = snapshot.load_period(client, clients_dir, inspected=inspected)
    except EmptyPeriodError as exc:
        raise DataError(f"client '{client}' cannot be run: {exc}") from None
    lang = lang or data.brief.client.lang
    reports = Path(reports_dir) if reports_dir else REPORTS_DIR
    client_reports = reports / client
    client_reports.mkdir(parents=True, exist_ok=True)
    run_id = new_run_id(reports, client)
    run_dir = client_reports / run_id
    run_dir.mkdir()
    created = dt.datetime.now(dt.UTC).replace(microsecond=0)
    kernel = ensure_kernel()
    parameters = {
        "client": client,
        "clients_dir": str(data.folder.parent.resolve()),
        "run_dir": str(run_dir.resolve()),
        "lang": lang,
        "period_start": "",
        "period_end": "",
    }
    inputs = {
        "client": client,
        "run_id": run_id,
        "created": created.isoformat(),
        "files": [s.as_dict(ROOT if s.path.is_relative_to(ROOT) else None) for s in data.sources],
        "parameters": parameters,
        "kernel": kernel,
        "versions": package_versions(),
    }
    snapshot.write(data, run_dir, start, end, origin="run")
    write_json(run_dir / file_of("inputs"), inputs)
    digest = hashlib.sha256((run_dir / file_of("inputs")).read_bytes()).hexdigest()
    status = {"client": client, "run_id": run_id, "status": "running", "started": created.isoformat()}
    write_json(run_dir / file_of("status"), status)
    if on_start is not None:
        on_start(run_dir)
    progress(f"{client}: run {run_id} → {run_dir}")
    result = RunResult(client, run_dir, "running")
    try:
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
        write_index(run_dir, data.brief, data.folder, lang, parts, "succeeded", created)
    except KeyboardInterrupt:
        result.status = "interrupted"
        status.update(status="interrupted", error="interrupted", finished=_now(), durations=result.durations)
        write_json(run_dir / file_of("status"), status)
        progress(f"{client}: INTERRUPTED; 'latest' was not moved")
        raise
    except Exception as exc:
        result.status, result.error = "failed", str(exc)
        status.update(status="failed", error=str(exc), finished=_now(), durations=result.durations)
        write_json(run_dir / file_of("status"), status)
        progress(f"{client}: FAILED: {exc}")
        raise RunFailedError(str(exc), run_dir) from exc
    result.status = "succeeded"
    status.update(status="succeeded", finished=_now(), durations=result.durations)
    write_json(run_dir / file_of("status"), status)
    point_latest(client_reports, run_id)
    progress(f"{client}: done in {sum(result.durations.values()):.1f} s → {client_reports / 'latest'}")
    return result


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
