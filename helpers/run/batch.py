"""Batch runs: the notebook series for many clients, in parallel, one process per client.

Each client runs in its own worker process (``python -m helpers.run.batch CLIENT ...``), which calls
:func:`helpers.run.runner.run_client` with one kernel for its whole run. The parent starts up to
``workers`` of them at once, prints their progress lines (each prefixed ``[client i/n] name:``,
written whole, so lines of several clients interleave readably), and ends with a summary
table. A client that fails is reported and the others go on. Each run writes ``run.log`` (its
progress and everything its process wrote on stderr) into its own run folder.

Outputs stay atomic: a run writes only into its own folder and ``latest`` moves only when the
whole run succeeded (see :mod:`helpers.run.runner`). Ctrl-C (or SIGTERM) stops the batch: the
parent asks each worker to stop (SIGINT, which shuts its kernel down), waits for them, kills
those still there after a grace period, marks their runs ``interrupted`` and prints the summary;
clients not started are listed as ``not run``.

With ``dask=ADDRESS`` the same worker processes are started by tasks of an existing
``dask.distributed`` cluster (one task per client) instead of local slots; Dask is imported only
then. The clients and reports folders must then be on a file system every Dask worker sees at
the same path.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from helpers.client.loading import write_json
from helpers.config import CLIENTS_DIR, REPORTS_DIR
from helpers.run.artefacts import file_of

#: How a worker process reports back: lines starting with this marker, then a JSON document.
MARK = "@@workbook "
#: Seconds a worker gets to stop after it was asked to, before it is killed.
GRACE_SECONDS = 30.0
#: Environment variables that cap the threads of numerical libraries in each worker.
THREAD_VARS = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMEXPR_NUM_THREADS")

Show = Callable[[str], None]


@dataclass(frozen=True)
class Job:
    """One client of a batch, its place in the batch, and how to run it."""

    client: str
    index: int
    total: int
    clients_dir: str
    reports_dir: str
    lang: str | None = None
    notebooks: tuple[str, ...] | None = None
    shared_kernel: bool = True
    threads: int = 1
    notebooks_dir: str | None = None

    @property
    def prefix(self) -> str:
        return f"[client {self.index}/{self.total}] {self.client}:"


@dataclass
class Outcome:
    """How one client's run ended.

    ``status`` is ``succeeded``, ``failed`` (a notebook failed, or the worker died),
    ``invalid`` (the brief or the data are invalid: nothing ran), ``interrupted`` or
    ``not run`` (the batch was stopped before the client started).
    """

    client: str
    status: str
    seconds: float = 0.0
    run_dir: str = ""
    error: str = ""
    durations: dict[str, float] = field(default_factory=dict)


@dataclass
class BatchReport:
    """Every client's outcome, in the order given, and the batch's wall time."""

    outcomes: list[Outcome]
    seconds: float
    workers: int
    interrupted: bool = False

    @property
    def ok(self) -> bool:
        return not self.interrupted and all(o.status == "succeeded" for o in self.outcomes)


def discover_clients(clients_dir: str | Path | None = None) -> list[str]:
    """Every client folder (a folder holding ``brief.yaml``) under ``clients_dir``, sorted."""
    base = Path(clients_dir) if clients_dir else CLIENTS_DIR
    if not base.is_dir():
        return []
    return sorted(
        p.name
        for p in base.iterdir()
        if p.is_dir() and not p.name.startswith((".", "_")) and (p / "brief.yaml").is_file()
    )


def default_workers() -> int:
    """The cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover (not Linux)
        return max(1, os.cpu_count() or 1)


# --------------------------------------------------------------------------- one worker
def worker_command(job: Job) -> list[str]:
    """The command line of the worker process that runs one client."""
    command = [sys.executable, "-m", "helpers.run.batch", job.client]
    command += ["--index", str(job.index), "--total", str(job.total)]
    command += ["--clients-dir", job.clients_dir, "--reports-dir", job.reports_dir]
    if job.lang:
        command += ["--lang", job.lang]
    if job.notebooks:
        command += ["--notebooks", ",".join(job.notebooks)]
    if job.notebooks_dir:
        command += ["--notebooks-dir", job.notebooks_dir]
    if not job.shared_kernel:
        command.append("--kernel-per-notebook")
    return command


def _worker_env(job: Job) -> dict[str, str]:
    env = dict(os.environ)
    for name in THREAD_VARS:
        env.setdefault(name, str(job.threads))
    env["PYTHONUNBUFFERED"] = "1"
    return env


def _signal_group(proc: subprocess.Popen, sig: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, sig)


class _Reader:
    """Reads a worker's output: progress lines are shown, marker lines kept."""

    def __init__(self, proc: subprocess.Popen, show: Show):
        self.proc, self.show = proc, show
        self.run_dir = ""
        self.result: dict | None = None
        self.stderr: deque[str] = deque(maxlen=40)
        self._err = threading.Thread(target=self._read_err, daemon=True)
        self._out = threading.Thread(target=self._read_out, daemon=True)
        self._err.start()
        self._out.start()

    def _read_err(self) -> None:
        for line in self.proc.stderr:
            self.stderr.append(line.rstrip("\n"))

    def _read_out(self) -> None:
        for line in self.proc.stdout:
            line = line.rstrip("\n")
            if line.startswith(MARK):
                kind, _, payload = line[len(MARK) :].partition(" ")
                with contextlib.suppress(ValueError):
                    data = json.loads(payload)
                    if kind == "start":
                        self.run_dir = data.get("run_dir", "")
                    elif kind == "result":
                        self.result = data
            elif line.strip():
                self.show(line)

    def join(self) -> None:
        self._out.join(10)
        self._err.join(10)


def supervise(job: Job, show: Show, stop: threading.Event | Any) -> dict:
    """Run one client in a worker process and wait for it; returns its :class:`Outcome` as a dict.

    Args:
        job: the client and how to run it.
        show: called with each progress line of the worker.
        stop: anything with ``is_set()`` (a ``threading.Event``, a ``distributed.Event``): once
            set, the worker is asked to stop (SIGINT), then killed after :data:`GRACE_SECONDS`.
    """
    if stop.is_set():
        return asdict(Outcome(job.client, "not run"))
    started = time.perf_counter()
    proc = subprocess.Popen(
        worker_command(job),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
        errors="replace",
        bufsize=1,
        env=_worker_env(job),
        start_new_session=True,  # a Ctrl-C in the terminal reaches the parent only
    )
    reader = _Reader(proc, show)
    asked = None
    while True:
        try:
            returncode = proc.wait(timeout=0.5)
            break
        except subprocess.TimeoutExpired:
            pass
        if asked is None and stop.is_set():
            asked = time.perf_counter()
            _signal_group(proc, signal.SIGINT)
        elif asked is not None and time.perf_counter() - asked > GRACE_SECONDS:
            _signal_group(proc, signal.SIGKILL)
    reader.join()
    outcome = _outcome(job, reader, returncode, asked is not None, time.perf_counter() - started)
    return asdict(outcome)


def _outcome(job: Job, reader: _Reader, returncode: int, stopped: bool, seconds: float) -> Outcome:
    result = reader.result or {}
    outcome = Outcome(
        job.client,
        result.get("status", "failed"),
        round(seconds, 1),
        result.get("run_dir") or reader.run_dir,
        result.get("error", ""),
        result.get("durations", {}),
    )
    if not reader.result:
        tail = " | ".join(line for line in list(reader.stderr)[-3:] if line.strip())
        how = f"signal {signal.Signals(-returncode).name}" if returncode < 0 else f"exit code {returncode}"
        outcome.error = f"the worker process ended ({how}) without a result" + (f": {tail}" if tail else "")
    if stopped and outcome.status != "succeeded":
        outcome.status, outcome.error = "interrupted", "interrupted"
    if outcome.run_dir and outcome.status != "succeeded":
        _mark_run(Path(outcome.run_dir), outcome.status, outcome.error)
    return outcome


def _mark_run(run_dir: Path, status: str, error: str) -> None:
    """Record in ``run.json`` how a run ended when its worker could not (killed, interrupted)."""
    path = run_dir / file_of("status")
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return
    if record.get("status") == "succeeded" or (record.get("status") == status == "failed"):
        return
    record.update(status=status, error=error or record.get("error", ""))
    record.setdefault("finished", dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat())
    write_json(path, record)


# --------------------------------------------------------------------------- the batch
def make_jobs(
    clients: Iterable[str],
    *,
    clients_dir: str | Path | None = None,
    reports_dir: str | Path | None = None,
    lang: str | None = None,
    notebooks: tuple[str, ...] | None = None,
    shared_kernel: bool = True,
    threads: int = 1,
    notebooks_dir: str | Path | None = None,
) -> list[Job]:
    """One job per distinct client, with absolute folders (workers may run elsewhere)."""
    names = list(dict.fromkeys(clients))
    base = str((Path(clients_dir) if clients_dir else CLIENTS_DIR).resolve())
    reports = str((Path(reports_dir) if reports_dir else REPORTS_DIR).resolve())
    source = str(Path(notebooks_dir).resolve()) if notebooks_dir else None
    return [
        Job(name, i, len(names), base, reports, lang, notebooks, shared_kernel, threads, source)
        for i, name in enumerate(names, 1)
    ]


def run_batch(
    clients: Iterable[str],
    *,
    clients_dir: str | Path | None = None,
    reports_dir: str | Path | None = None,
    lang: str | None = None,
    workers: int | None = None,
    dask: str | None = None,
    notebooks: tuple[str, ...] | None = None,
    notebooks_dir: str | Path | None = None,
    shared_kernel: bool = True,
    show: Show | None = None,
) -> BatchReport:
    """Run the series for several clients, each in its own process, and report every outcome.

    Args:
        clients: client folder names (repeats are run once).
        clients_dir: folder of client folders (default ``data/clients``).
        reports_dir: folder of run folders (default ``reports``).
        lang: ``fr`` or ``en`` to override every brief's language.
        workers: clients run at once (default: the machine's cores); ignored with ``dask``.
        dask: address of a ``dask.distributed`` scheduler to hand the runs to.
        notebooks: the notebooks to run (default: the whole series).
        notebooks_dir: folder of the notebooks (default: the project's ``notebooks/``).
        shared_kernel: one kernel per client run (True) or one per notebook.
        show: called with each progress line (default: printed on stderr).

    Returns:
        The batch's report; Ctrl-C during the batch returns it with ``interrupted`` set.
    """
    show = show or _print_err
    workers = max(1, workers or default_workers())
    threads = max(1, default_workers() // workers) if not dask else 1
    jobs = make_jobs(
        clients,
        clients_dir=clients_dir,
        reports_dir=reports_dir,
        lang=lang,
        notebooks=notebooks,
        shared_kernel=shared_kernel,
        threads=threads,
        notebooks_dir=notebooks_dir,
    )
    started = time.perf_counter()
    if dask:
        outcomes, interrupted, workers = _run_dask(jobs, dask, show)
    else:
        outcomes, interrupted = _run_local(jobs, min(workers, max(1, len(jobs))), show)
    return BatchReport(outcomes, round(time.perf_counter() - started, 1), workers, interrupted)


def _print_err(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def _announce(job: Job, outcome: Outcome, show: Show) -> None:
    if outcome.status == "succeeded":
        show(f"{job.prefix} succeeded in {outcome.seconds:.1f} s")
    elif outcome.status != "not run":
        first, *rest = (outcome.error or "-").splitlines()
        show(f"{job.prefix} {outcome.status.upper()} after {outcome.seconds:.1f} s: {first}")
        for line in rest:
            show(f"{job.prefix}   {line}")


def _run_local(jobs: list[Job], workers: int, show: Show) -> tuple[list[Outcome], bool]:
    from concurrent.futures import ThreadPoolExecutor, as_completed

    stop = threading.Event()
    lock = threading.Lock()

    def safe_show(line: str) -> None:
        with lock:
            show(line)

    pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="workbook-batch")
    futures = {pool.submit(supervise, job, safe_show, stop): job for job in jobs}

    def outcome(job: Job, future, stopping: bool) -> Outcome:
        return Outcome(**(_wait_ignoring_interrupts(future) if stopping else future.result()))

    try:
        return _collect(jobs, futures, as_completed, outcome, stop, safe_show)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _collect(
    jobs: list[Job], futures: dict, completed: Callable, outcome: Callable, stop: Any, show: Show
) -> tuple[list[Outcome], bool]:
    """Each client's outcome as its run ends, announced; on Ctrl-C, ``stop`` is set and the runs
    still going are waited for (``outcome(job, future, stopping=True)``).

    Returns:
        The outcomes in the jobs' order, and whether the batch was interrupted.
    """
    outcomes: dict[str, Outcome] = {}
    interrupted = False
    try:
        for future in completed(futures):
            job = futures[future]
            outcomes[job.client] = outcome(job, future, False)
            _announce(job, outcomes[job.client], show)
    except KeyboardInterrupt:
        interrupted = True
        stop.set()
        show(f"interrupted: stopping the running clients (up to {GRACE_SECONDS:.0f} s)…")
        for future, job in futures.items():
            if job.client not in outcomes:
                outcomes[job.client] = outcome(job, future, True)
    return [outcomes[job.client] for job in jobs], interrupted


def _wait_ignoring_interrupts(future) -> dict:
    """A future's result; a second Ctrl-C does not abandon the workers being stopped."""
    while True:
        try:
            return future.result()
        except KeyboardInterrupt:
            continue


# --------------------------------------------------------------------------- Dask
def dask_task(job: Job, topic: str, stop_name: str) -> dict:
    """What a Dask worker runs for one client: the same worker process as a local batch.

    Progress lines are sent back to the submitting client as events of ``topic``; the batch
    asks the runs to stop by setting the ``distributed.Event`` named ``stop_name``.
    """
    from distributed import Event, get_worker

    worker = get_worker()
    return supervise(job, lambda line: worker.log_event(topic, line), Event(stop_name))


def _run_dask(jobs: list[Job], address: str, show: Show) -> tuple[list[Outcome], bool, int]:
    from distributed import Client, Event, as_completed

    token = uuid.uuid4().hex[:12]
    topic, stop_name = f"workbook-progress-{token}", f"workbook-stop-{token}"
    with Client(address, timeout="30s") as client:
        workers = sum(w.get("nthreads", 1) for w in client.scheduler_info().get("workers", {}).values())
        show(f"dask: {address}, {len(jobs)} client(s) on {workers} worker thread(s)")
        client.subscribe_topic(
            topic, lambda event: show(event[1] if isinstance(event, tuple) else str(event))
        )
        stop = Event(stop_name, client=client)
        futures = {
            client.submit(
                dask_task, job, topic, stop_name, key=f"workbook-{job.client}-{token}", pure=False
            ): job
            for job in jobs
        }
        ordered, interrupted = _collect(jobs, futures, as_completed, _dask_outcome, stop, show)
        time.sleep(0.5)  # let the last progress events arrive
        client.unsubscribe_topic(topic)
    return ordered, interrupted, workers


def _dask_outcome(job: Job, future, stopping: bool) -> Outcome:
    timeout = GRACE_SECONDS + 30 if stopping else None
    try:
        return Outcome(**future.result(timeout=timeout))
    except KeyboardInterrupt:
        raise
    except Exception as exc:  # a lost worker, a timeout: the client failed, the batch goes on
        with contextlib.suppress(Exception):
            future.cancel()
        status = "interrupted" if timeout is not None else "failed"
        return Outcome(job.client, status, error=f"dask: {type(exc).__name__}: {exc}")


# --------------------------------------------------------------------------- summary
def _duration(seconds: float) -> str:
    if seconds < 60:
        return f"{seconds:.1f} s"
    minutes, rest = divmod(int(round(seconds)), 60)
    return f"{minutes} min {rest:02d} s"


def summary_table(report: BatchReport) -> str:
    """The batch's summary: one row per client (client, status, duration, output folder)."""
    rows = [("client", "status", "duration", "output folder")]
    for o in report.outcomes:
        folder = o.run_dir or "-"
        rows.append((o.client, o.status, _duration(o.seconds) if o.seconds else "-", folder))
    widths = [max(len(r[i]) for r in rows) for i in range(3)]
    lines = [f"{r[0]:<{widths[0]}}  {r[1]:<{widths[1]}}  {r[2]:>{widths[2]}}  {r[3]}" for r in rows]
    lines.insert(1, "  ".join("-" * w for w in widths) + "  " + "-" * 13)
    counts: dict[str, int] = {}
    for o in report.outcomes:
        counts[o.status] = counts.get(o.status, 0) + 1
    told = ", ".join(f"{n} {status}" for status, n in counts.items())
    how = f"{report.workers} worker{'s' if report.workers > 1 else ''}"
    lines.append(f"{len(report.outcomes)} client(s): {told} in {_duration(report.seconds)} ({how})")
    failed = [o for o in report.outcomes if o.status in ("failed", "invalid") and o.error]
    for o in failed:
        lines.append(f"- {o.client}: {' '.join(o.error.split())[:400]}")
    return "\n".join(lines)


# --------------------------------------------------------------------------- command line
def add_cli(sub: argparse._SubParsersAction) -> None:
    """Add ``workbook batch`` to the ``workbook`` command's subparsers."""
    batch = sub.add_parser(
        "batch",
        help="run the series for several clients (or --all) in parallel, then print a summary",
        description="Run the series for several clients, one process (and kernel) per client, "
        "several at once; a failing client is reported and the others go on.",
    )
    batch.add_argument("clients", nargs="*", help="client folder names under data/clients/")
    batch.add_argument("--all", action="store_true", help="every client folder (with a brief.yaml)")
    batch.add_argument("--workers", type=int, help="clients run at once (default: the machine's cores)")
    batch.add_argument("--dask", metavar="ADDRESS", help="hand the runs to this dask.distributed scheduler")
    batch.add_argument("--lang", choices=("fr", "en"), help="override every brief's language")
    batch.add_argument("--clients-dir", help="folder holding client folders (default: data/clients)")
    batch.add_argument("--reports-dir", help="folder for run folders (default: reports)")
    batch.add_argument("--notebooks-dir", help="folder of the notebooks (default: the project's notebooks/)")
    batch.add_argument(
        "--kernel-per-notebook",
        action="store_true",
        help="start a kernel for each notebook (default: one kernel per client run)",
    )
    batch.set_defaults(func=cli_batch)


def _raise_interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


def cli_batch(args: argparse.Namespace) -> int:
    """``workbook batch``: 0 when every client succeeded, 1 when one failed, 130 when interrupted."""
    if args.all and args.clients:
        print("error: name clients or give --all, not both", file=sys.stderr)
        return 2
    clients = discover_clients(args.clients_dir) if args.all else args.clients
    if not clients:
        where = args.clients_dir or CLIENTS_DIR
        print(
            f"error: no client to run (name some, or --all to run every folder of {where})", file=sys.stderr
        )
        return 2
    if args.workers is not None and args.workers < 1:
        print("error: --workers must be at least 1", file=sys.stderr)
        return 2
    # Ctrl-C and SIGTERM stop the batch cleanly, even when started where SIGINT is ignored (`cmd &`).
    previous = (
        signal.signal(signal.SIGTERM, _raise_interrupt),
        signal.signal(signal.SIGINT, signal.default_int_handler),
    )
    try:
        report = run_batch(
            clients,
            clients_dir=args.clients_dir,
            reports_dir=args.reports_dir,
            lang=args.lang,
            workers=args.workers,
            dask=args.dask,
            notebooks_dir=args.notebooks_dir,
            shared_kernel=not args.kernel_per_notebook,
        )
    finally:
        signal.signal(signal.SIGTERM, previous[0])
        signal.signal(signal.SIGINT, previous[1])
    print(summary_table(report), flush=True)
    refresh_portfolio(args.reports_dir, args.lang)
    if report.interrupted:
        return 130
    return 0 if report.ok else 1


def refresh_portfolio(reports_dir: str | Path | None, lang: str | None = None) -> None:
    """Rewrite ``reports/index.html``; a problem there is reported, never fatal to the runs."""
    from helpers.run.portfolio import write_portfolio

    try:
        path = write_portfolio(reports_dir, lang)
    except Exception as exc:  # the runs are done and safe; the page can be rebuilt by the next run
        print(f"warning: portfolio page not written: {type(exc).__name__}: {exc}", file=sys.stderr)
        return
    print(f"portfolio: {path}", file=sys.stderr)


# --------------------------------------------------------------------------- the worker process
def _parse_worker_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m helpers.run.batch", description="run one client of a batch"
    )
    parser.add_argument("client")
    parser.add_argument("--index", type=int, default=1)
    parser.add_argument("--total", type=int, default=1)
    parser.add_argument("--clients-dir")
    parser.add_argument("--reports-dir")
    parser.add_argument("--lang", choices=("fr", "en"))
    parser.add_argument("--notebooks", help="comma-separated notebook names (default: the series)")
    parser.add_argument("--notebooks-dir", help="folder of the notebooks (default: notebooks/)")
    parser.add_argument("--kernel-per-notebook", action="store_true")
    return parser.parse_args(argv)


class _WorkerLog:
    """Progress lines for the parent and for the run folder's ``run.log``.

    The parent reads this process's stdout. To keep that channel for progress and results only,
    the messages go to a private copy of it, and file descriptor 1 is pointed at stderr (then at
    ``run.log``): whatever else this process or its kernel writes lands in the log, and a kernel
    outliving a killed worker never holds the parent's pipe open.
    """

    def __init__(self, job_prefix: str, client: str):
        self.prefix, self.client = job_prefix, client
        self.handle = None
        sys.stdout.flush()
        self.channel = os.fdopen(os.dup(1), "w", encoding="utf-8", buffering=1)
        os.dup2(2, 1)

    def send(self, text: str) -> None:
        self.channel.write(text + "\n")
        self.channel.flush()

    def line(self, text: str) -> None:
        """Show one progress message, each of its lines prefixed with the client."""
        text = text.strip()
        if text.startswith(f"{self.client}: "):
            text = text[len(self.client) + 2 :]
        for part in text.splitlines() or [""]:
            out = f"{self.prefix} {part.rstrip()}"
            self.send(out)
            self.write(out)

    def write(self, text: str) -> None:
        if self.handle is not None:
            stamp = dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M:%S")
            self.handle.write(f"{stamp} {text}\n")
            self.handle.flush()

    def open(self, run_dir: Path) -> None:
        """Open ``run.log`` and send this process's stderr (and its kernels') there too."""
        self.handle = (run_dir / "run.log").open("a", encoding="utf-8", buffering=1)
        sys.stdout.flush()
        sys.stderr.flush()
        os.dup2(self.handle.fileno(), 1)
        os.dup2(self.handle.fileno(), 2)
        self.send(f"{MARK}start {json.dumps({'run_dir': str(run_dir)})}")


def worker_main(argv: list[str] | None = None) -> int:
    """Run one client (the worker side of a batch); prints progress, then a result line."""
    args = _parse_worker_args(argv)
    from helpers.run.state import stop_on_signals

    with stop_on_signals():  # the batch stops a worker with SIGINT; SIGTERM stops it the same way
        return _worker(args)


def _worker(args: argparse.Namespace) -> int:
    from helpers.run import skip_iri_grammar

    skip_iri_grammar()
    from helpers.client.brief import BriefError
    from helpers.client.loading import DataError
    from helpers.run.runner import RunFailedError, run_client

    log = _WorkerLog(f"[client {args.index}/{args.total}] {args.client}:", args.client)
    started = time.perf_counter()
    outcome = Outcome(args.client, "failed")
    options = {}
    if args.notebooks:
        options["notebooks"] = tuple(n.strip() for n in args.notebooks.split(",") if n.strip())
    if args.notebooks_dir:
        options["notebooks_dir"] = args.notebooks_dir
    try:
        result = run_client(
            args.client,
            clients_dir=args.clients_dir,
            reports_dir=args.reports_dir,
            lang=args.lang,
            progress=log.line,
            on_start=log.open,
            shared_kernel=not args.kernel_per_notebook,
            **options,
        )
        outcome = Outcome(args.client, "succeeded", run_dir=str(result.run_dir), durations=result.durations)
    except (DataError, BriefError) as exc:
        outcome = Outcome(args.client, "invalid", error=str(exc))
        log.line(f"INVALID: {exc}")
    except RunFailedError as exc:
        outcome = Outcome(args.client, "failed", run_dir=str(exc.run_dir or ""), error=str(exc))
    except KeyboardInterrupt:
        outcome = Outcome(args.client, "interrupted", error="interrupted")
    except Exception as exc:  # anything else: reported, with its traceback in run.log
        import traceback

        log.write(traceback.format_exc())
        outcome = Outcome(args.client, "failed", error=f"{type(exc).__name__}: {exc}")
    outcome.seconds = round(time.perf_counter() - started, 1)
    outcome.run_dir = outcome.run_dir or _log_dir(log)
    log.write(f"result: {outcome.status}")
    log.send(f"{MARK}result {json.dumps(asdict(outcome), ensure_ascii=False)}")
    return 0 if outcome.status == "succeeded" else 1


def _log_dir(log: _WorkerLog) -> str:
    return str(Path(log.handle.name).parent) if log.handle is not None else ""


if __name__ == "__main__":
    sys.exit(worker_main())
