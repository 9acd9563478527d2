"""The ``workbook`` command: run the series for a client, or check its folder."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from helpers.client import limits
from helpers.client.brief import BriefError
from helpers.client.loading import DataError, inspect_client, notices
from helpers.config import CLIENTS_DIR, REPORTS_DIR, ClientNameError, check_client_name
from helpers.kpis.big import add_cli as add_kpis_cli
from helpers.run import skip_iri_grammar, state
from helpers.run.batch import add_cli as add_batch_cli
from helpers.run.batch import refresh_portfolio


def _cmd_run(args: argparse.Namespace) -> int:
    """``workbook run``: 0 done, 1 the run failed (or could not start), 2 a usage error or an invalid
    client, 128 + the signal's number when stopped (130 Ctrl-C, 143 SIGTERM)."""
    with state.stop_on_signals():
        try:
            return _run(args)
        except KeyboardInterrupt as exc:
            with state.hold_signals(reraise=False):
                # the cell that was running is cut short: asyncio would print its task's traceback
                logging.getLogger("asyncio").setLevel(logging.CRITICAL)
                if isinstance(exc, state.RunInterrupted):
                    how, code = f"stopped by {exc.name}", exc.exit_code
                else:
                    how, code = "interrupted (Ctrl-C)", 130
                print(f"{args.client}: {how}; a run folder already made is marked interrupted, "
                      "'latest' was not moved.", file=sys.stderr)  # fmt: skip
                refresh_portfolio(args.reports_dir)
            return code


def _run(args: argparse.Namespace) -> int:
    ahead = _kernel_ahead()  # first: it has the most to do
    from helpers.report.export import PdfError, chromium_missing_message, find_chromium, write_pdf
    from helpers.run.runner import RunFailedError, run_client

    try:
        if getattr(args, "pdf", False) and find_chromium() is None:
            print(f"error: --pdf: {chromium_missing_message()}", file=sys.stderr)
            return 2
        result = run_client(
            args.client,
            clients_dir=args.clients_dir,
            reports_dir=args.reports_dir,
            lang=args.lang,
            shared_kernel=not args.kernel_per_notebook,
            kernel_ahead=ahead,
            since=args.since,
        )
    except (DataError, BriefError, ClientNameError, state.ReportsDirError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except RunFailedError as exc:
        if exc.run_dir is None:
            print(f"error: {exc}\nNothing was written.", file=sys.stderr)
            return 1
        kept = "The partial run is kept" if exc.status == state.FAILED else "The run is kept"
        print(
            f"error: {exc}\n{kept} in {exc.run_dir} (marked {exc.status}); 'latest' was not moved.",
            file=sys.stderr,
        )
        refresh_portfolio(args.reports_dir)
        return 1
    finally:
        if ahead is not None:
            ahead.shutdown()  # when the run did not get to it (a run stops its kernels itself)
    if getattr(args, "pdf", False):
        try:
            pdf = write_pdf(result.run_dir)
        except PdfError as exc:
            print(f"error: the run succeeded but its PDF failed: {exc}", file=sys.stderr)
            return 1
        print(f"PDF of the full report: {pdf}", file=sys.stderr)
    refresh_portfolio(args.reports_dir)
    print(result.run_dir / "index.html")
    return 0


def _kernel_ahead():
    """The run's kernel, started now: it imports what the notebooks need on another core while the
    client's data are checked and read (a client refused stops it). None if it cannot start."""
    from helpers.config import ROOT
    from helpers.run.kernel import Kernel, ensure_kernel

    try:
        return Kernel(ensure_kernel(), str(ROOT), ahead=True)
    except Exception:  # the run starts its own kernel, and reports what stops it
        return None


def _cmd_check(args: argparse.Namespace) -> int:
    problems, found = inspect_client(args.client, args.clients_dir)
    if not problems:
        print(f"{args.client}: brief and data are valid")
        for line in notices(found):
            print(f"note: {line}")
        return 0
    print(f"{args.client}: {len(problems)} problem(s)", file=sys.stderr)
    for problem in problems:
        print(f"- {problem}", file=sys.stderr)
    return 1


def _cmd_runs(args: argparse.Namespace) -> int:
    """``workbook runs CLIENT``: every run of a client, oldest first, with its state and why it
    ended; a run killed without recording its end is found and recorded ``interrupted`` here."""
    reports = Path(args.reports_dir) if args.reports_dir is not None else REPORTS_DIR
    client_reports = reports / args.client
    runs = state.client_runs(client_reports)
    if not runs:
        print(f"{args.client}: no run in {client_reports}", file=sys.stderr)
        return 1
    latest = client_reports / "latest"
    target = latest.resolve().name if latest.is_symlink() else ""
    rows = [("run", "status", "started", "finished", "")]
    for path, record in runs:
        rows.append((
            path.name,
            str(record.get("status", "?")),
            str(record.get("started", "")),
            str(record.get("finished", "")),
            "latest" if path.name == target else "",
        ))  # fmt: skip
    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    for (run, status, started, finished, mark), (_, record) in zip(rows, [(None, {})] + runs, strict=True):
        line = f"{run:<{widths[0]}}  {status:<{widths[1]}}  {started:<{widths[2]}}  {finished:<{widths[3]}}"
        print(f"{line}  {mark}".rstrip())
        error = " ".join(str(record.get("error") or "").split())
        if error and record.get("status") != state.SUCCEEDED:
            print(f"    {error[:300]}")
    return 0


def _print_report(report) -> None:
    """One line per sheet read: its format and table, recognised but not used, or skipped (stderr)."""
    if report.format and report.table:
        note = f" ({report.note})" if report.note else ""
        print(f"{report.source}: {report.format} → {report.table}, {report.rows} rows{note}")
    elif report.format:
        print(f"{report.source}: {report.format}, {report.rows} rows, {report.note}")
    else:
        print(f"warning: {report.source}: {report.note}", file=sys.stderr)


def _cmd_import(args: argparse.Namespace) -> int:
    import shutil
    import tempfile

    from helpers.client.imports import MERGED, ExportError, import_paths
    from helpers.client.loading import write_csv, write_table

    try:
        result = import_paths(args.paths, tz=args.tz)
    except ExportError as exc:
        print(f"error: {exc}\nNothing was written.", file=sys.stderr)
        return 1
    for report in result.files:
        _print_report(report)
    if not result.tables:
        print("error: no file of a known export format was found: nothing was written.", file=sys.stderr)
        return 1
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=out) as staging:
        written = []
        for name, table in sorted(result.tables.items()):
            written.append(write_table(table, Path(staging) / f"{name}.csv", name))
        if len(result.flags):
            written.append(write_csv(result.flags, Path(staging) / "flags.csv"))
        for path in written:
            shutil.move(str(path), out / path.name)
    for name, dropped in sorted(result.duplicates.items()):
        if dropped:
            how = "merged by day" if name in MERGED else "repeated across overlapping exports"
            print(f"{name}: {dropped} rows {how}, the newest value kept")
    if len(result.flags):
        print(f"{len(result.flags)} suspicious values kept and listed in {out / 'flags.csv'}")
    print(f"wrote {', '.join(sorted(f'{n}.csv' for n in result.tables))} to {out}")
    return 0


def _size(text: str) -> int:
    try:
        return limits.parse_size(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _rows(text: str) -> int:
    try:
        return limits.parse_rows(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _zone(text: str) -> str:
    from zoneinfo import ZoneInfo

    try:
        ZoneInfo(text)
    except (ValueError, LookupError) as exc:
        raise argparse.ArgumentTypeError(f"unknown time zone {text!r} (expected e.g. Europe/Paris)") from exc
    return text


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="workbook",
        description="Social media strategy workbook: run the notebook series for a client.",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="run the whole series for a client into reports/CLIENT/RUN-ID/")
    run.add_argument("client", help="client folder name under data/clients/")
    run.add_argument("--lang", choices=("fr", "en"), help="override the brief's language")
    run.add_argument(
        "--pdf", action="store_true", help="also print the full report to report.pdf (needs Chromium)"
    )
    run.add_argument(
        "--kernel-per-notebook",
        action="store_true",
        help="start a kernel for each notebook (default: one kernel for the run, emptied between notebooks)",
    )
    run.add_argument(
        "--since",
        metavar="RUN-ID",
        help="the earlier run to compare with (default: the client's newest successful run; "
        "'none' for none); 'workbook runs CLIENT' lists them",
    )
    run.set_defaults(func=_cmd_run)
    check = sub.add_parser("check", help="validate a client's brief and data without running anything")
    check.add_argument("client")
    check.set_defaults(func=_cmd_check)
    imp = sub.add_parser("import", help="read export files into the canonical tables (CSV) of a folder")
    imp.add_argument("paths", nargs="+", help="export files or folders")
    imp.add_argument("--out", required=True, help="folder to write posts.csv, followers.csv, mentions.csv...")
    imp.add_argument(
        "--tz", default="Europe/Paris", type=_zone, help="time zone of timestamps written without one"
    )
    imp.set_defaults(func=_cmd_import)
    runs = sub.add_parser(
        "runs",
        help="list a client's runs and their state (succeeded, failed, interrupted, running)",
        description="List the run folders of a client, oldest first, with their state and why a run "
        "failed or was interrupted. A run whose process was killed without recording its end is "
        "found here and recorded 'interrupted'.",
    )
    runs.add_argument("client")
    runs.set_defaults(func=_cmd_runs)
    add_batch_cli(sub)
    add_kpis_cli(sub)
    for p in (run, check):
        p.add_argument("--clients-dir", help="folder holding client folders (default: data/clients)")
    for p in (run, check, imp):
        p.add_argument(
            "--max-bytes",
            type=_size,
            help="largest file, or zip member once decompressed, e.g. 2GB "
            f"(default {limits.shown(limits.DEFAULT_MAX_BYTES)}, or ${limits.BYTES_VARIABLE})",
        )
        p.add_argument(
            "--max-rows",
            type=_rows,
            help="most rows in one file or sheet "
            f"(default {limits.DEFAULT_MAX_ROWS:,}, or ${limits.ROWS_VARIABLE})",
        )
    for p in (run, runs):
        p.add_argument("--reports-dir", help="folder for run folders (default: reports)")
    return parser


def _check_arguments(args: argparse.Namespace) -> None:
    """Refuse, before anything runs, a client name that is not a folder name and a reports folder
    that cannot hold run folders (:class:`ClientNameError`, :class:`state.ReportsDirError`)."""
    names = [args.client] if isinstance(getattr(args, "client", None), str) else []
    names += list(getattr(args, "clients", None) or [])
    for name in names:
        check_client_name(name)
    if getattr(args, "reports_dir", None) is not None:
        state.check_reports_dir(args.reports_dir, getattr(args, "clients_dir", None) or CLIENTS_DIR)


def main(argv: list[str] | None = None) -> int:
    """The ``workbook`` command: a user's mistake is a message and an exit code, never a traceback."""
    skip_iri_grammar()
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        limits.configure(getattr(args, "max_bytes", None), getattr(args, "max_rows", None))
        limits.max_bytes() and limits.max_rows()  # an environment variable that is not a size stops here
    except ValueError as exc:  # a bad WORKBOOK_MAX_BYTES / WORKBOOK_MAX_ROWS
        parser.error(str(exc))
    try:
        _check_arguments(args)
    except (ClientNameError, state.ReportsDirError) as exc:
        print(f"workbook {args.command}: error: {exc}", file=sys.stderr)
        return 2
    try:
        return args.func(args)
    except KeyboardInterrupt:
        print(f"workbook {args.command}: interrupted", file=sys.stderr)
        return 130
    except OSError as exc:  # a folder that cannot be read or written (read-only, full disk)
        print(f"workbook {args.command}: error: {state.describe_os_error(exc)}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
