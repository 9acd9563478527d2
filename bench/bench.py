"""Benchmark: wall time and peak memory of the workbook's heavy steps, printed as a table.

    python bench/bench.py                 # everything, up to 1,000,000 posts / 5,000,000 mentions
    python bench/bench.py --sizes 10000:50000 --clients 4
    python bench/bench.py --no-runs       # only the big-input steps
    python bench/bench.py --only report   # only the warm report against the naive series

Inputs are generated with a fixed seed into a temporary folder (nothing big is written to the
repository) and removed at the end. Each step runs in a child process; its wall time and peak
resident memory are measured from outside: the largest process (``wait4``'s ``ru_maxrss``,
which covers the processes it waited for, kernels included) and the whole process tree
(sampled every 0.2 s, so a batch's concurrent workers and kernels add up).

Steps, per input size: generate the template CSVs (posts, mentions, followers), import them
into a typed DuckDB database (checked like ``read_table``), compute the observation KPIs in
SQL, and, up to ``--pandas-max`` posts, the same KPIs with pandas (``helpers.kpis``, the
notebooks' path). Then, on copies of the demo client: one full run (``workbook run``) and a
batch of ``--clients`` clients with 1 worker and with 2 workers (``workbook batch``).

The report comparison times ``workbook run demo`` (``make report``) warm, i.e. a second run
after a first one in the same environment, against the naive series: for each notebook, the
``papermill`` command then ``jupyter nbconvert --to html``, each a process of its own; it prints
both, their ratio, and each notebook's time both ways (the run's from its ``run.json``).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "data" / "clients" / "demo"
SEED = 20261123
GIB = 1024**3
LIMIT_BYTES = 4 * GIB
SPEEDUP_TARGET = 0.6
REPORT_TARGET_SECONDS = 15.0
REPORT_TARGET_RATIO = 0.35


@dataclass
class Row:
    step: str
    size: str
    seconds: float
    largest: int  # bytes
    tree: int  # bytes
    ok: bool = True


# --------------------------------------------------------------------------- measuring
def _tree_rss(pid: int) -> int:
    import psutil

    try:
        root = psutil.Process(pid)
        procs = [root, *root.children(recursive=True)]
    except psutil.NoSuchProcess:
        return 0
    total = 0
    for proc in procs:
        try:
            total += proc.memory_info().rss
        except psutil.NoSuchProcess:
            continue
    return total


def measure(command: list[str], log: Path, env: dict | None = None) -> tuple[float, int, int, bool]:
    """Run ``command``; its wall time, peak RSS of its largest process and of its whole tree."""
    started = time.perf_counter()
    with log.open("ab") as out:
        proc = subprocess.Popen(command, cwd=ROOT, stdout=out, stderr=out, env=env)
        peak = [0]
        done = threading.Event()

        def sample() -> None:
            while not done.is_set():
                peak[0] = max(peak[0], _tree_rss(proc.pid))
                done.wait(0.2)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        _, status, usage = os.wait4(proc.pid, 0)
        done.set()
        sampler.join()
        proc.returncode = os.waitstatus_to_exitcode(status)
    largest = usage.ru_maxrss * 1024  # kilobytes on Linux
    return time.perf_counter() - started, largest, max(peak[0], largest), proc.returncode == 0


def _gib(value: int) -> str:
    return f"{value / GIB:.2f} GiB" if value >= GIB / 4 else f"{value / 1024**2:.0f} MiB"


def _wall(seconds: float) -> str:
    return f"{seconds:.1f} s" if seconds < 120 else f"{int(seconds // 60)} min {seconds % 60:04.1f} s"


def table(rows: list[Row]) -> str:
    head = ("step", "input", "wall", "peak RSS (largest process)", "peak RSS (all processes)")
    body = [
        (r.step + ("" if r.ok else "  FAILED"), r.size, _wall(r.seconds), _gib(r.largest), _gib(r.tree))
        for r in rows
    ]
    widths = [max(len(x[i]) for x in [head, *body]) for i in range(5)]

    def line(cells: tuple[str, ...]) -> str:
        pairs = enumerate(zip(cells, widths, strict=True))
        return "  ".join(f"{c:<{w}}" if i < 2 else f"{c:>{w}}" for i, (c, w) in pairs)

    lines = [line(x) for x in [head, *body]]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


# --------------------------------------------------------------------------- child steps
def child(argv: list[str]) -> int:
    """What a measured child process does: ``import FOLDER DB``, ``kpis FOLDER DB``, ``pandas FOLDER``."""
    from helpers.client.brief import load_brief
    from helpers.kpis import big as bigdata

    step, folder = argv[0], Path(argv[1])
    brief = load_brief(folder / "brief.yaml")
    args = (brief.kpi, brief.period.start, brief.period.end, brief.client.timezone)
    if step == "import":
        con = bigdata.connect(argv[2], temp_directory=Path(argv[2]).parent / "spill")
        print(bigdata.import_client(folder, con))
        con.close()
    elif step == "kpis":
        con = bigdata.connect(argv[2], temp_directory=Path(argv[2]).parent / "spill")
        print(bigdata.observation_kpis_sql(con, *args).totals.to_string())
        con.close()
    elif step == "pandas":
        from helpers.client.loading import read_table

        tables = {
            n: read_table(folder / "tables" / f"{n}.csv", n) for n in ("posts", "mentions", "followers")
        }
        print(bigdata.observation_kpis_pandas(tables, *args).totals.to_string())
    return 0


def _python(*args: str) -> list[str]:
    return [sys.executable, *args]


# --------------------------------------------------------------------------- the benchmark
def big_inputs(work: Path, sizes: list[tuple[int, int]], pandas_max: int, log: Path, show) -> list[Row]:
    from bench.synthetic import write_synthetic_tables

    rows = []
    for posts, mentions in sizes:
        label = f"{posts:,} posts / {mentions:,} mentions"
        folder = work / f"big-{posts}" / "bench"
        (folder / "tables").mkdir(parents=True)
        shutil.copy(DEMO / "brief.yaml", folder / "brief.yaml")
        started = time.perf_counter()
        write_synthetic_tables(folder / "tables", posts, mentions, seed=SEED)
        size = sum(p.stat().st_size for p in (folder / "tables").iterdir())
        show(f"generated {label} ({size / 1024**2:,.0f} MiB of CSV) in {time.perf_counter() - started:.1f} s")
        database = folder.parent / "tables.duckdb"
        me = str(Path(__file__).resolve())
        steps = [
            ("import (DuckDB)", _python(me, "--child", "import", str(folder), str(database))),
            ("KPIs (DuckDB)", _python(me, "--child", "kpis", str(folder), str(database))),
        ]
        if posts <= pandas_max:
            steps.append(("KPIs (pandas, as the notebooks)", _python(me, "--child", "pandas", str(folder))))
        for step, command in steps:
            rows.append(Row(step, label, *measure(command, log)))
            show(table(rows[-1:]).splitlines()[-1])
        shutil.rmtree(folder.parent, ignore_errors=True)
    return rows


def client_runs(work: Path, clients: int, log: Path, show) -> list[Row]:
    base = work / "clients"
    names = [f"client{i:02d}" for i in range(1, clients + 1)]
    for name in ["demo", *names]:
        shutil.copytree(DEMO, base / name)
    rows = []
    command = _python(
        "-m", "helpers", "run", "demo", "--clients-dir", str(base), "--reports-dir", str(work / "r0")
    )
    rows.append(Row("workbook run", "demo client", *measure(command, log)))
    show(table(rows[-1:]).splitlines()[-1])
    for workers in (1, 2):
        command = _python(
            "-m", "helpers", "batch", *names, "--workers", str(workers),
            "--clients-dir", str(base), "--reports-dir", str(work / f"r{workers}"),
        )  # fmt: skip
        step = f"workbook batch, {workers} worker{'s' if workers > 1 else ''}"
        rows.append(Row(step, f"{clients} × demo client", *measure(command, log)))
        show(table(rows[-1:]).splitlines()[-1])
    return rows


def _script(name: str) -> list[str]:
    """A console script of this environment (``papermill``, ``jupyter``), as a user types it."""
    path = Path(sys.executable).with_name(name)
    return [str(path)] if path.exists() else _python("-m", name)


@dataclass
class ReportTimes:
    """The warm ``workbook run`` against the naive series, in total and per notebook."""

    warm: Row
    naive: Row
    run_durations: dict[str, float]  # each notebook in the warm run (run.json)
    opening: dict[str, float]  # of which its cell that opens the client's data (``open_run``)
    naive_steps: dict[str, tuple[float, float]]  # each notebook: papermill, nbconvert


def report_speed(work: Path, log: Path, show) -> ReportTimes:
    """``workbook run demo`` twice (the first warms the environment up), then the naive series."""
    from helpers.config import KERNEL_NAME, NOTEBOOKS, NOTEBOOKS_DIR

    clients = work / "report-clients"
    shutil.copytree(DEMO, clients / "demo")
    command = _python(
        "-m", "helpers", "run", "demo", "--clients-dir", str(clients), "--reports-dir", str(work / "report")
    )  # fmt: skip
    measure(command, log)  # warm-up: the same run, its time not counted
    warm = Row("workbook run (make report), warm", "demo client", *measure(command, log))
    show(table([warm]).splitlines()[-1])
    latest = (work / "report" / "demo" / "latest").resolve()
    durations = json.loads((latest / "run.json").read_text(encoding="utf-8")).get("durations", {})
    opening = {name: _opening_seconds(latest / f"{name}.ipynb") for name in NOTEBOOKS}

    run_dir = work / "naive" / "demo"
    run_dir.mkdir(parents=True)
    steps: dict[str, tuple[float, float]] = {}
    total, largest, tree, ok = 0.0, 0, 0, True
    for name in NOTEBOOKS:
        executed = run_dir / f"{name}.ipynb"
        papermill = _script("papermill") + [
            str(NOTEBOOKS_DIR / f"{name}.ipynb"), str(executed), "-k", KERNEL_NAME, "--cwd", str(run_dir),
            "-p", "client", "demo", "-p", "clients_dir", str(clients), "-p", "run_dir", str(run_dir),
            "-p", "lang", "fr", "--no-progress-bar",
        ]  # fmt: skip
        nbconvert = _script("jupyter") + ["nbconvert", "--to", "html", str(executed)]
        times = []
        for command in (papermill, nbconvert):
            seconds, big, whole, done = measure(command, log)
            times.append(seconds)
            total, largest, tree, ok = total + seconds, max(largest, big), max(tree, whole), ok and done
        steps[name] = (times[0], times[1])
    naive = Row(
        "naive series: papermill, then nbconvert, each notebook", "demo client", total, largest, tree, ok
    )
    show(table([naive]).splitlines()[-1])
    return ReportTimes(warm, naive, durations, opening, steps)


def _opening_seconds(executed: Path) -> float:
    """How long the cell calling ``open_run`` (the client's data read for the notebook) took."""
    try:
        cells = json.loads(executed.read_text(encoding="utf-8"))["cells"]
    except (OSError, ValueError, KeyError):
        return float("nan")
    for cell in cells:
        if cell.get("cell_type") == "code" and "open_run(" in "".join(cell.get("source", "")):
            return float(cell.get("metadata", {}).get("papermill", {}).get("duration") or "nan")
    return float("nan")


def report_lines(times: ReportTimes) -> tuple[list[str], bool]:
    """Per-notebook times, the warm report against the naive series, and whether it meets the targets."""
    head = ("notebook", "warm run", "its open_run cell", "naive papermill", "naive nbconvert")
    nan = float("nan")
    body = [
        (
            name, f"{times.run_durations.get(name, nan):.1f} s", f"{times.opening.get(name, nan):.1f} s",
            f"{pm:.1f} s", f"{nb:.1f} s",
        )
        for name, (pm, nb) in times.naive_steps.items()
    ]  # fmt: skip
    body.append(
        (
            "all", f"{sum(times.run_durations.values()):.1f} s", f"{sum(times.opening.values()):.1f} s",
            f"{sum(pm for pm, _ in times.naive_steps.values()):.1f} s",
            f"{sum(nb for _, nb in times.naive_steps.values()):.1f} s",
        )
    )  # fmt: skip
    widths = [max(len(x[i]) for x in [head, *body]) for i in range(5)]

    def line(cells: tuple[str, ...]) -> str:
        pairs = enumerate(zip(cells, widths, strict=True))
        return "  ".join(f"{c:<{w}}" if i == 0 else f"{c:>{w}}" for i, (c, w) in pairs)

    lines = [line(x) for x in [head, *body]]
    lines.insert(1, "  ".join("-" * w for w in widths))
    lines.insert(len(lines) - 1, lines[1])
    warm, naive = times.warm.seconds, times.naive.seconds
    ratio = warm / naive if naive else float("inf")
    met = times.warm.ok and times.naive.ok and warm <= REPORT_TARGET_SECONDS and ratio <= REPORT_TARGET_RATIO
    lines += [
        f"warm report (workbook run demo, after a first run): {warm:.1f} s "
        f"(target ≤ {REPORT_TARGET_SECONDS:.0f} s) {'ok' if warm <= REPORT_TARGET_SECONDS else 'MISSED'}",
        f"naive series (papermill + nbconvert per notebook, 14 processes): {naive:.1f} s",
        f"warm report / naive series: {ratio:.2f} "
        f"(target ≤ {REPORT_TARGET_RATIO}) {'ok' if ratio <= REPORT_TARGET_RATIO else 'MISSED'}",
    ]
    return lines, not met


def parse_sizes(text: str) -> list[tuple[int, int]]:
    sizes = []
    for part in text.split(","):
        posts, _, mentions = part.partition(":")
        sizes.append((int(posts.replace("_", "")), int(mentions.replace("_", ""))))
    return sizes


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--child"]:
        return child(argv[1:])
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--sizes",
        default="10000:50000,100000:500000,1000000:5000000",
        help="posts:mentions pairs, comma-separated (default: up to 1M posts / 5M mentions)",
    )
    parser.add_argument(
        "--pandas-max", type=int, default=100_000, help="largest posts count for the pandas path"
    )
    parser.add_argument(
        "--clients", type=int, default=8, help="clients in each batch (copies of the demo client)"
    )
    parser.add_argument("--no-runs", action="store_true", help="skip the client run and the batches")
    parser.add_argument("--no-big", action="store_true", help="skip the big-input steps")
    parser.add_argument(
        "--only",
        choices=("report", "big", "runs"),
        help="one part alone: report (warm workbook run against the naive series), big, or runs",
    )
    args = parser.parse_args(argv)
    parts = (
        {args.only}
        if args.only
        else {"report", "big", "runs"}
        - {part for part, skip in (("big", args.no_big), ("runs", args.no_runs)) if skip}
    )

    def show(line: str) -> None:
        print(line, file=sys.stderr, flush=True)

    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="workbook-bench-") as tmp:
        work = Path(tmp)
        log = work / "bench.log"
        show(f"benchmark in {work} on {os.cpu_count()} cores; child output in {log}")
        rows, speed = [], None
        if "report" in parts:
            speed = report_speed(work, log, show)
            rows += [speed.warm, speed.naive]
        if "big" in parts:
            rows += big_inputs(work, parse_sizes(args.sizes), args.pandas_max, log, show)
        if "runs" in parts:
            rows += client_runs(work, args.clients, log, show)
        failed = [r for r in rows if not r.ok]
        if failed:
            show(log.read_text(encoding="utf-8", errors="replace")[-4000:])
    print(table(rows))
    missed = 0
    if speed is not None:
        lines, missed = report_lines(speed)
        print("\n".join(lines))
    return report(rows, time.perf_counter() - started, failed) or int(missed)


def report(rows: list[Row], seconds: float, failed: list[Row]) -> int:
    """The acceptance figures under the table; non-zero when a step failed or a target is missed."""
    print(f"total benchmark time: {_wall(seconds)}")
    missed = bool(failed)
    one = next((r for r in rows if r.step == "workbook batch, 1 worker"), None)
    two = next((r for r in rows if r.step == "workbook batch, 2 workers"), None)
    if one and two:
        ratio = two.seconds / one.seconds
        verdict = "ok" if ratio <= SPEEDUP_TARGET else "MISSED"
        print(f"batch, 2 workers / 1 worker: {ratio:.2f} (target ≤ {SPEEDUP_TARGET}) {verdict}")
        missed |= ratio > SPEEDUP_TARGET
    big = [r for r in rows if r.size.startswith("1,000,000 posts") and "DuckDB" in r.step]
    if big:
        peak = max(r.tree for r in big)
        verdict = "ok" if peak < LIMIT_BYTES else "MISSED"
        print(f"1M posts / 5M mentions, import and KPIs: peak {_gib(peak)} (limit 4 GiB) {verdict}")
        missed |= peak >= LIMIT_BYTES
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
