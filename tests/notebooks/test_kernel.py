"""The run's kernel: its start-up notices stay out of the terminal and of run.log, its real errors
do not; one kernel is emptied between notebooks; papermill runs on the run's own client."""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from helpers.config import CLIENTS_DIR, KERNEL_NAME, ROOT
from helpers.run.kernel import WARM_UP_MODULES, Kernel, StderrFilter

TCP_NOTICE = "Kernel is running over TCP without encryption"
NOTICE_LINE = (
    b"[IPKernelApp] WARNING | Kernel is running over TCP without encryption. All communication "
    b"(including code and outputs) is sent in plain text and is susceptible to eavesdropping.\n"
)


def test_the_filter_drops_the_tcp_notice_and_passes_everything_else():
    read_end, write_end = os.pipe()
    out_read, out_write = os.pipe()
    lines = [
        NOTICE_LINE,
        b"[IPKernelApp] ERROR | Exception in message handler:\n",
        b"Traceback (most recent call last):\n",
        b"[IPKernelApp] WARNING | Kernel is running over TCP, said a notebook\n",
        b"no newline at the end",
    ]
    stream = os.fdopen(read_end, "rb")
    thread = StderrFilter(stream, fd=out_write)
    thread.start()
    with os.fdopen(write_end, "wb") as kernel_side:
        for line in lines:
            kernel_side.write(line)
    thread.join(timeout=10)
    os.close(out_write)
    with os.fdopen(out_read, "rb") as copied:
        assert copied.read() == b"".join(lines[1:])


def _notebook(path: Path, *sources: str) -> Path:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": KERNEL_NAME, "display_name": KERNEL_NAME, "language": "python"}
    nb.cells = [nbformat.v4.new_code_cell(source) for source in sources]
    nbformat.write(nb, path)
    return path


def test_one_kernel_runs_notebooks_emptied_between_them_and_keeps_its_real_errors(tmp_path, capfd):
    first = _notebook(tmp_path / "first.ipynb", "x = 41", "import os\nos.write(2, b'a real problem\\n')")
    second = _notebook(tmp_path / "second.ipynb", "'x' in dir()", "import os\nos.getpid()")
    kernel = Kernel(KERNEL_NAME, str(tmp_path))
    try:
        kernel.execute(str(first), str(tmp_path / "out1.ipynb"), kernel_name=KERNEL_NAME, progress_bar=False)
        pid = kernel.km.provisioner.process.pid
        kernel.reset()
        kernel.execute(str(second), str(tmp_path / "out2.ipynb"), kernel_name=KERNEL_NAME, progress_bar=False)
    finally:
        kernel.shutdown()
    done = nbformat.read(tmp_path / "out2.ipynb", as_version=4)
    assert done.cells[0].outputs[0]["data"]["text/plain"] == "False"  # the namespace was emptied
    assert done.cells[1].outputs[0]["data"]["text/plain"] == str(pid)  # in the same kernel
    assert [c.execution_count for c in done.cells] == [1, 2]  # counted from 1 again
    err = capfd.readouterr().err
    assert "a real problem" in err
    assert TCP_NOTICE not in err


def test_papermill_uses_the_runs_client_and_leaves_none_behind(tmp_path, monkeypatch):
    made = []
    original = Kernel.__init__

    def count_clients(self, *args, **kwargs):
        original(self, *args, **kwargs)
        client = self.km.client

        def counted():
            made.append(1)
            return client()

        monkeypatch.setattr(self.km, "client", counted)

    monkeypatch.setattr(Kernel, "__init__", count_clients)
    path = _notebook(tmp_path / "nb.ipynb", "1 + 1")
    kernel = Kernel(KERNEL_NAME, str(tmp_path))
    try:
        for i in range(3):
            kernel.execute(
                str(path), str(tmp_path / f"out{i}.ipynb"), kernel_name=KERNEL_NAME, progress_bar=False
            )
            kernel.reset()
    finally:
        kernel.shutdown()
    assert made == []  # papermill connected no client of its own


@pytest.mark.e2e
def test_a_small_run_prints_no_kernel_notice(tmp_path):
    """One client, one notebook, through the batch worker's command line: what reaches its
    stderr and its run.log is progress, with no kernel start-up notice."""
    done = subprocess.run(
        [
            sys.executable, "-m", "helpers.run.batch", "demo", "--notebooks", "01_observation",
            "--clients-dir", str(CLIENTS_DIR), "--reports-dir", str(tmp_path / "reports"),
        ],
        capture_output=True, text=True, cwd=ROOT, timeout=600,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    log = next((tmp_path / "reports" / "demo").glob("*/run.log")).read_text(encoding="utf-8")
    assert "[1/1] 01_observation ok" in log
    for where in (done.stderr, done.stdout, log):
        assert TCP_NOTICE not in where
        assert "WARNING" not in where


@pytest.mark.skipif(importlib.util.find_spec("rfc3987_syntax") is None, reason="rfc3987-syntax not installed")
def test_the_command_leaves_the_iri_grammar_uncompiled():
    """nbformat imports jsonschema, which compiles rfc3987-syntax's grammar when it can (1.5 s);
    the workbook command's processes never check IRIs and skip it."""
    code = (
        "import sys\n"
        "from helpers.run.cli import main\n"
        "main(['check', 'demo'])\n"
        "import helpers.run.runner, nbformat, jsonschema\n"
        "print(sys.modules.get('rfc3987_syntax'))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "None"


def test_the_notebooks_imports_are_warmed_up():
    imported = set()
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        for cell in nbformat.read(path, as_version=4).cells:
            if cell.cell_type == "code":
                imported |= set(re.findall(r"^from (helpers[\w.]*) import (\w+)", cell.source, re.M))
    modules = {
        f"{package}.{name}" if f"{package}.{name}" in WARM_UP_MODULES else package
        for package, name in imported
    }
    assert modules and modules <= set(WARM_UP_MODULES)


def test_a_kernel_started_ahead_has_imported_and_forgets_it_when_the_run_takes_it(tmp_path):
    path = _notebook(
        tmp_path / "nb.ipynb",
        "import sys\nsorted(m for m in sys.modules if m.startswith('helpers.report.pages.'))",
        "import os\n(os.getcwd(), 'importlib' in dir())",
    )
    kernel = Kernel(KERNEL_NAME, str(ROOT), ahead=True)
    try:
        kernel.reset(str(tmp_path))
        kernel.execute(str(path), str(tmp_path / "out.ipynb"), kernel_name=KERNEL_NAME, progress_bar=False)
    finally:
        kernel.shutdown()
        kernel.shutdown()  # twice is no error (the command stops what the run did not)
    cells = nbformat.read(tmp_path / "out.ipynb", as_version=4).cells
    pages = cells[0].outputs[0]["data"]["text/plain"]
    assert "helpers.report.pages.observation" in pages and "helpers.report.pages.tracking" in pages
    assert cells[1].outputs[0]["data"]["text/plain"] == repr((str(tmp_path), False))
    assert [c.execution_count for c in cells] == [1, 2]
