"""A notebook of the series opened in real JupyterLab, in headless Chromium, as a strategist opens it.

Not a test: the harness the Lab tests share.

- :func:`jupyter_lab` starts ``jupyter lab`` from this environment on a free port of 127.0.0.1, with a
  token, in a temporary root folder, with every ``JUPYTER_*`` folder of its own (the user's
  settings, workspaces and runtime files are never touched; the project's kernel
  ``social-workbook``, installed in the environment, stays visible), its kernels importing
  ``helpers`` from the project this file belongs to (a worktree included); it stops the server
  at the end (shut down through the API, then terminated, then killed).
- :func:`stage_notebook` copies a notebook into the server's folder with its parameters cell
  edited (``clients_dir``, ``run_dir``... as absolute paths), so a run never writes into the
  project's ``reports/``; :func:`start_preparing` runs the steps before it (``workbook run`` of
  those steps, in a process of its own) so the run folder holds what the notebook loads.
- :func:`run_notebook_in_lab` opens a notebook, waits for its kernel, runs every cell and waits
  until each has finished; :func:`error_outputs` lists the errors rendered,
  :func:`widget_failures` the widgets Lab could not display; :func:`screenshot` takes the
  notebook whole (or one element) at 1280 px; :func:`lab_page` opens a page that reaches the
  local server only.
- :func:`lab_workbook` puts them together: server, run folder and notebook copies, in one call.
"""

from __future__ import annotations

import ast
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import nbformat

#: The project these tests belong to (a worktree included): its ``helpers``, notebooks and data.
ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS_DIR = ROOT / "notebooks"
CLIENTS_DIR = ROOT / "data" / "clients"
KERNEL_NAME = "social-workbook"
KERNEL_DISPLAY_NAME = "Python (social workbook)"
WIDTH = 1280

#: Lines of the server's log that tell nothing (ipykernel's notice at every kernel start).
LOG_NOISE = ("Kernel is running over TCP without encryption",)

#: The settings of the server's own (temporary) user: no news to fetch, every cell in the page.
LAB_SETTINGS = {
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {
        "fetchNews": "false",
        "checkForUpdates": False,
    },
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
}
SERVER_CONFIG = {
    "ServerApp": {"terminals_enabled": False, "port_retries": 0},
    "LabApp": {
        "expose_app_in_browser": True,
        "news_url": None,
        "check_for_updates_class": "jupyterlab.NeverCheckForUpdate",
    },
}

#: What Lab renders for a traceback, a warning or anything else written to stderr.
ERROR_OUTPUTS = (
    '.jp-RenderedText[data-mime-type="application/vnd.jupyter.stderr"], '
    '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]'
)
#: What Lab shows in place of a widget it cannot display.
WIDGET_FAILURES = ("Loading widget", "Error displaying widget", "model not found")
#: The tallest screenshot taken (Chromium's limit is 16384 px).
MAX_HEIGHT = 16000


# --------------------------------------------------------------------------- the server
@dataclass
class LabServer:
    """A running ``jupyter lab``: where it listens, its token, its folder and its log."""

    port: int
    token: str
    root_dir: Path
    log: Path
    process: subprocess.Popen = field(repr=False)
    logger: threading.Thread | None = field(default=None, repr=False)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def url(self, path: str = "") -> str:
        """A page of the server, the token included (it logs the browser in)."""
        return f"{self.base}/{path.lstrip('/')}?token={self.token}"

    def api(self, path: str, method: str = "GET", timeout: float = 5) -> Any:
        request = urllib.request.Request(
            f"{self.base}/api/{path.lstrip('/')}",
            method=method,
            headers={"Authorization": f"token {self.token}"},
        )
        with urllib.request.urlopen(request, timeout=timeout) as response:
            body = response.read()
        return json.loads(body) if body else None

    def log_tail(self, chars: int = 4000) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")[-chars:] if self.log.is_file() else ""


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _python_path() -> str:
    """``PYTHONPATH`` with the project first: ``helpers`` comes from it, not from the environment."""
    return os.pathsep.join([str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])])


def lab_env(workdir: Path, token: str, extra: dict[str, str] | None = None) -> dict[str, str]:
    """This process's environment with Jupyter's folders moved to ``workdir`` (every ``JUPYTER_*``
    of the user dropped) and ``helpers`` taken from the project. The environment's own folders
    (``sys.prefix``: its kernels, its Lab) stay first, so ``social-workbook`` stays visible."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JUPYTER", "JPY_"))}
    env.pop("MPLBACKEND", None)  # the kernel draws inline, as in the strategist's Lab
    config = workdir / "config"
    env.update(
        JUPYTER_CONFIG_DIR=str(config),
        JUPYTER_DATA_DIR=str(workdir / "data"),
        JUPYTER_RUNTIME_DIR=str(workdir / "runtime"),
        JUPYTERLAB_SETTINGS_DIR=str(config / "lab" / "user-settings"),
        JUPYTERLAB_WORKSPACES_DIR=str(config / "lab" / "workspaces"),
        IPYTHONDIR=str(workdir / "ipython"),
        JUPYTER_TOKEN=token,
        PYTHONPATH=_python_path(),
        PYTHONUNBUFFERED="1",
        **(extra or {}),
    )
    return env


def write_settings(workdir: Path) -> None:
    """The server's configuration and Lab's user settings (:data:`SERVER_CONFIG`,
    :data:`LAB_SETTINGS`) in the folders :func:`lab_env` gives it."""
    config = workdir / "config"
    for name, values in LAB_SETTINGS.items():
        path = config / "lab" / "user-settings" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values), encoding="utf-8")
    (config / "jupyter_server_config.json").write_text(json.dumps(SERVER_CONFIG), encoding="utf-8")


def _copy_log(stream: IO[bytes], log: Path) -> threading.Thread:
    """The server's output into ``log``, less :data:`LOG_NOISE` (read on, so it never blocks)."""

    def copy() -> None:
        with stream, log.open("wb") as out:
            for line in iter(stream.readline, b""):
                if not any(noise.encode() in line for noise in LOG_NOISE):
                    out.write(line)
                    out.flush()

    thread = threading.Thread(target=copy, name="lab-log", daemon=True)
    thread.start()
    return thread


def _wait_ready(server: LabServer, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"jupyter lab exited ({server.process.returncode}):\n{server.log_tail()}")
        try:
            server.api("status", timeout=2)
            return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.2)
    raise TimeoutError(f"jupyter lab not ready after {timeout:.0f} s:\n{server.log_tail()}")


def _stop(server: LabServer) -> None:
    """Shut the server down through its API (it stops its kernels), else terminate, else kill."""
    process = server.process
    if process.poll() is None:
        try:
            server.api("shutdown", method="POST")
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.terminate()
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)  # the server and the kernels it started
                process.wait(timeout=5)
    if server.logger is not None:
        server.logger.join(timeout=5)


@contextmanager
def jupyter_lab(
    root_dir: Path, workdir: Path, timeout: float = 60, env: dict[str, str] | None = None
) -> Iterator[LabServer]:
    """``jupyter lab`` serving ``root_dir``, with its Jupyter folders and its log (``lab.log``) in
    ``workdir``; ``env`` is added to its environment (and its kernels').

    Raises:
        RuntimeError: the server exited, or the kernel ``social-workbook`` is not installed.
        TimeoutError: it did not answer ``/api/status`` within ``timeout`` seconds.
    """
    workdir.mkdir(parents=True, exist_ok=True)
    root_dir.mkdir(parents=True, exist_ok=True)
    write_settings(workdir)
    token = secrets.token_hex(16)
    environment = lab_env(workdir, token, env)
    for attempt in range(3):  # a free port taken by another process before the server binds it
        server = _start(root_dir, workdir, environment, token)
        try:
            _wait_ready(server, timeout)
            break
        except BaseException as exc:
            _stop(server)
            port_taken = isinstance(exc, RuntimeError) and "already in use" in server.log_tail()
            if attempt == 2 or not port_taken:
                raise
    try:
        specs = server.api("kernelspecs")["kernelspecs"]
        if KERNEL_NAME not in specs:
            raise RuntimeError(
                f"the kernel {KERNEL_NAME!r} is not installed in {sys.prefix} (run 'make env'); "
                f"the server sees {sorted(specs)}"
            )
        yield server
    finally:
        _stop(server)


def _start(root_dir: Path, workdir: Path, environment: dict[str, str], token: str) -> LabServer:
    port = _free_port()
    command = [
        str(Path(sys.executable).parent / "jupyter"), "lab", "--no-browser", "--ip=127.0.0.1",
        f"--port={port}", f"--ServerApp.root_dir={root_dir}",
        *(["--allow-root"] if hasattr(os, "geteuid") and os.geteuid() == 0 else []),
    ]  # fmt: skip
    process = subprocess.Popen(
        command,
        cwd=root_dir,
        env=environment,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own group: a kill reaches the kernels it started
    )
    server = LabServer(port, token, root_dir, workdir / "lab.log", process)
    server.logger = _copy_log(process.stdout, server.log)
    return server


# --------------------------------------------------------------------------- the notebooks
def set_parameters(notebook: nbformat.NotebookNode, values: dict[str, Any]) -> None:
    """Give the names of the notebook's ``parameters`` cell new values, their comments kept.

    Raises:
        KeyError: the notebook has no parameters cell, or the cell does not set one of the names.
    """
    cell = next((c for c in notebook.cells if "parameters" in c.metadata.get("tags", [])), None)
    if cell is None:
        raise KeyError("the notebook has no cell tagged 'parameters'")
    lines = cell.source.splitlines()
    found = set()
    for node in ast.parse(cell.source).body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            name = node.targets[0].id
            if name in values and node.lineno == node.end_lineno:
                line = lines[node.lineno - 1]
                value = node.value
                lines[node.lineno - 1] = (
                    line[: value.col_offset] + repr(values[name]) + line[value.end_col_offset :]
                )
                found.add(name)
    missing = set(values) - found
    if missing:
        raise KeyError(f"the parameters cell does not set {sorted(missing)}:\n{cell.source}")
    cell.source = "\n".join(lines)


def stage_notebook(name: str, root_dir: Path, parameters: dict[str, Any] | None = None) -> Path:
    """Copy ``notebooks/<name>.ipynb`` into ``root_dir`` with its parameters cell given ``parameters``."""
    notebook = nbformat.read(NOTEBOOKS_DIR / f"{name}.ipynb", as_version=4)
    if parameters:
        set_parameters(notebook, parameters)
    target = root_dir / f"{name}.ipynb"
    nbformat.write(notebook, target)
    return target


def _earlier_steps(name: str) -> list[str]:
    from helpers.config import NOTEBOOKS

    return list(NOTEBOOKS[: NOTEBOOKS.index(name)]) if name in NOTEBOOKS else []


PREPARE = """
import sys
from helpers.run.runner import run_client
result = run_client(sys.argv[1], clients_dir=sys.argv[2], reports_dir=sys.argv[3], notebooks=tuple(sys.argv[4:]))
print(result.run_dir)
"""


def start_preparing(
    client: str, steps: Sequence[str], clients_dir: Path, reports_dir: Path
) -> subprocess.Popen:
    """``workbook run`` of ``steps`` only, in a process of its own (read its run folder from stdout)."""
    env = {**os.environ, "PYTHONPATH": _python_path()}
    return subprocess.Popen(
        [sys.executable, "-c", PREPARE, client, str(clients_dir), str(reports_dir), *steps],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def finish_preparing(process: subprocess.Popen, timeout: float = 120) -> Path:
    out, err = process.communicate(timeout=timeout)
    if process.returncode != 0:
        raise RuntimeError(f"the steps before the notebook failed:\n{err[-3000:]}")
    return Path(out.strip().splitlines()[-1])


@dataclass
class Workbook:
    """A Lab server serving copies of notebooks, and the run folder they share (being prepared by
    the earlier steps until :meth:`ready`)."""

    server: LabServer
    notebooks: dict[str, Path]
    run_dir: Path
    clients_dir: Path
    preparing: subprocess.Popen | None = field(default=None, repr=False)

    def ready(self, timeout: float = 120) -> Path:
        """Wait until the earlier steps have filled the run folder (at once if there are none)."""
        if self.preparing is not None:
            self.run_dir = finish_preparing(self.preparing, timeout)
            self.preparing = None
        return self.run_dir

    def run(self, page, notebook: str | None = None, timeout: float = 60) -> list[str]:
        """:func:`run_notebook_in_lab` for one of the notebooks (the first by default): its page
        and kernel start while the earlier steps finish, its cells run once they have."""
        name = notebook or next(iter(self.notebooks))
        return run_notebook_in_lab(page, self.server.url(), name, timeout, ready=self.ready)


@contextmanager
def lab_workbook(
    tmp: Path,
    notebooks: Sequence[str],
    client: str = "demo",
    parameters: dict[str, Any] | None = None,
    clients_dir: Path = CLIENTS_DIR,
    timeout: float = 60,
) -> Iterator[Workbook]:
    """JupyterLab over copies of ``notebooks`` (names such as ``04_smart_goals``), all under ``tmp``.

    Their parameters cells get ``client``, ``clients_dir`` and a ``run_dir`` in ``tmp``, then
    ``parameters`` (which may override them). When the first notebook loads what earlier steps
    write, those steps run into that run folder, in the background: :meth:`Workbook.ready` (which
    :meth:`Workbook.run` calls before running the cells) waits for them.
    """
    steps = _earlier_steps(notebooks[0])
    reports = tmp / "reports"
    preparing = start_preparing(client, steps, clients_dir, reports) if steps else None
    try:
        # a notebook left with run_dir = "" or clients_dir = "" still works in tmp, from clients_dir
        env = {"WORKBOOK_REPORTS": str(reports), "WORKBOOK_CLIENTS": str(clients_dir)}
        with jupyter_lab(tmp / "lab", tmp / "jupyter", timeout, env) as server:
            if preparing is not None:
                run_dir = reports / client / "latest"  # where the run of the earlier steps ends
            else:
                run_dir = reports / client / "workspace"
                run_dir.mkdir(parents=True)
            values = {"client": client, "clients_dir": str(clients_dir), "run_dir": str(run_dir)}
            values.update(parameters or {})
            staged = {name: stage_notebook(name, server.root_dir, values) for name in notebooks}
            yield Workbook(server, staged, run_dir, clients_dir, preparing)
    finally:
        if preparing is not None and preparing.poll() is None:
            preparing.kill()
            preparing.wait()


# --------------------------------------------------------------------------- in the browser
#: The current notebook's kernel: from Lab's own objects when the page exposes them (the servers
#: of :func:`jupyter_lab` do), else from its toolbar.
KERNEL_STATE = """() => {
  const app = window.jupyterapp;
  const ctx = app && app.shell.currentWidget && app.shell.currentWidget.sessionContext;
  if (ctx) {
    const kernel = ctx.session && ctx.session.kernel;
    return {name: ctx.kernelDisplayName, status: kernel ? kernel.status : null};
  }
  const panel = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden)');
  const name = panel && panel.querySelector('[data-jp-item-name="kernelName"]');
  const status = panel && panel.querySelector('.jp-Notebook-ExecutionIndicator');
  return {name: name ? name.textContent.trim() : null,
          status: status ? status.getAttribute('data-status') : null};
}"""

#: The prompt of every code cell of the notebook shown: ``[3]:``, ``[*]:`` (running or queued),
#: ``[ ]:`` (never run).
PROMPTS = """() => Array.from(
  document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .jp-CodeCell'))
  .map(c => { const p = c.querySelector('.jp-InputArea-prompt'); return p ? p.textContent.trim() : ''; })"""


def _count(prompt: str) -> int | None:
    inner = prompt.strip("[]: ")
    return int(inner) if inner.isdigit() else None


def wait_for_kernel(page, name: str = KERNEL_DISPLAY_NAME, timeout: float = 60) -> None:
    """Wait until the notebook's kernel is ``name`` and idle.

    Raises:
        RuntimeError: Lab opened a dialog instead (such as its kernel choice: kernel not found).
        TimeoutError: the kernel was not ``name`` and idle within ``timeout`` seconds.
    """
    deadline = time.monotonic() + timeout
    state: dict = {}
    while time.monotonic() < deadline:
        dialog = page.locator(".jp-Dialog")
        if dialog.count():
            text = dialog.first.inner_text()
            raise RuntimeError(f"JupyterLab asks: {text!r} (is the kernel {KERNEL_NAME!r} installed?)")
        state = page.evaluate(KERNEL_STATE)
        if state["name"] == name and state["status"] == "idle":
            return
        page.wait_for_timeout(200)
    raise TimeoutError(f"the kernel {name!r} was not idle after {timeout:.0f} s: {state}")


def wait_for_cells(page, after: int = 0, timeout: float = 60) -> list[str]:
    """Wait until a run of the cells is over: no prompt ``[*]``, some counted past ``after`` (the
    highest count before the run), the kernel idle, twice in a row. Returns the prompts; after an
    error, the cells below it show ``[ ]``."""
    deadline = time.monotonic() + timeout
    prompts: list[str] = []
    settled = 0
    while time.monotonic() < deadline:
        prompts = page.evaluate(PROMPTS)
        counts = [_count(p) for p in prompts]
        over = (
            prompts
            and not any("*" in p for p in prompts)
            and any(c is not None and c > after for c in counts)
            and page.evaluate(KERNEL_STATE)["status"] == "idle"
        )
        settled = settled + 1 if over else 0
        if settled >= 2:
            return prompts
        page.wait_for_timeout(250)
    raise TimeoutError(f"the cells were still running after {timeout:.0f} s: {prompts}")


#: Run → Run All Cells (its command is ``runmenu:run-all`` in Lab 4; the notebook's own, else).
RUN_ALL_ITEM = (
    '.lm-Menu-item[data-command="runmenu:run-all"], .lm-Menu-item[data-command="notebook:run-all-cells"]'
)


def _highest_count(page) -> int:
    return max((c for c in map(_count, page.evaluate(PROMPTS)) if c is not None), default=0)


def run_all_cells(page) -> str:
    """Run every cell as a user does: Run → Run All Cells in the menu bar; else Lab's command (when
    the page exposes the app), else the command palette. Returns the way it took ("menu",
    "command" or "palette"); a way that started the cells is never followed by another."""
    before = _highest_count(page)
    try:
        page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click(timeout=5000)
        page.locator(RUN_ALL_ITEM).first.click(timeout=5000)
        return "menu"
    except Exception:  # noqa: BLE001 - a menu bar that changed: the same command, another way
        page.keyboard.press("Escape")
        page.wait_for_timeout(500)
        if _highest_count(page) > before or any("*" in p for p in page.evaluate(PROMPTS)):
            return "menu"  # the click went through after all
    if page.evaluate("() => !!window.jupyterapp"):
        page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
        return "command"
    page.keyboard.press("Control+Shift+C")
    page.locator(".lm-CommandPalette-input").fill("Run All Cells")
    page.locator('.lm-CommandPalette-item[data-command="notebook:run-all-cells"]').first.click()
    return "palette"


def run_notebook_in_lab(
    page, url: str, notebook_name: str, timeout: float = 60, ready: Callable[[], object] | None = None
) -> list[str]:
    """Open the notebook ``notebook_name`` (``lab/tree/<name>``) on the Lab server at ``url`` (its
    address with ``?token=...``), wait for its kernel "Python (social workbook)" to be idle, run
    every cell and wait until they have all finished. Returns the cells' prompts.

    ``ready``, if given, is called once the kernel is idle, before the cells run (to wait for
    what they read). Each wait may take up to ``timeout`` seconds.
    """
    name = notebook_name if notebook_name.endswith(".ipynb") else f"{notebook_name}.ipynb"
    base, _, query = url.partition("?")
    base = base.rstrip("/").removesuffix("/lab")
    page.goto(f"{base}/lab/tree/{name}" + (f"?{query}" if query else ""))
    page.locator(".jp-NotebookPanel .jp-Notebook .jp-Cell").first.wait_for(timeout=timeout * 1000)
    wait_for_kernel(page, timeout=timeout)
    if ready is not None:
        ready()
    before = _highest_count(page)
    run_all_cells(page)
    return wait_for_cells(page, after=before, timeout=timeout)


def error_outputs(page) -> list[str]:
    """The text of every error (traceback) or stderr output rendered in the page."""
    return [text for text in page.locator(ERROR_OUTPUTS).all_inner_texts() if text.strip()]


def widget_failures(page) -> list[str]:
    """The placeholders Lab shows for widgets it could not display (none when they all rendered)."""
    text = page.locator(".jp-Notebook").first.inner_text()
    return [failure for failure in WIDGET_FAILURES if failure in text]


NOTEBOOK_HEIGHT = """() => {
  const scroller = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-WindowedPanel-outer')
    || document.querySelector('.jp-NotebookPanel .jp-Notebook');
  if (!scroller) return window.innerHeight;
  scroller.scrollTop = 0;
  return window.innerHeight - scroller.clientHeight + scroller.scrollHeight;
}"""


def screenshot(page, path: Path, full_page: bool = True, element: Any = None) -> Path:
    """A PNG of Lab 1280 px wide, its left sidebar folded. With ``full_page``, the window is made as
    tall as the notebook (up to :data:`MAX_HEIGHT`) so every cell shows, then put back; with
    ``element`` (a locator), that element alone (the window made tall enough to hold it whole)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    before = page.viewport_size or {"width": WIDTH, "height": 900}
    page.evaluate(
        "() => { const app = window.jupyterapp;"
        " if (app && !app.shell.leftCollapsed) app.commands.execute('application:toggle-left-area'); }"
    )
    page.set_viewport_size({"width": WIDTH, "height": before["height"]})
    try:
        if full_page or element is not None:
            page.wait_for_timeout(300)  # Lab lays the notebook out again after a change of size
            height = min(int(page.evaluate(NOTEBOOK_HEIGHT)), MAX_HEIGHT)
            page.set_viewport_size({"width": WIDTH, "height": max(height, before["height"])})
        page.wait_for_timeout(500)
        if element is None:
            page.evaluate(NOTEBOOK_HEIGHT)  # from the top, once laid out at the new size
            page.screenshot(path=str(path))
        else:
            element.scroll_into_view_if_needed()
            element.screenshot(path=str(path))
    finally:
        page.set_viewport_size({"width": WIDTH, "height": before["height"]})
    return path


@dataclass
class LabPage:
    """A browser page on a local Lab server, and what it asked of any other address (aborted)."""

    page: Any
    left_the_machine: list[str] = field(default_factory=list)


@contextmanager
def lab_page(browser, width: int = WIDTH, height: int = 900) -> Iterator[LabPage]:
    """A fresh page of ``browser`` (Playwright), ``width`` px wide, that reaches 127.0.0.1 only."""
    context = browser.new_context(viewport={"width": width, "height": height})
    opened = LabPage(None)

    def route(request_route) -> None:
        url = request_route.request.url
        if url.startswith(("http://127.0.0.1:", "data:", "blob:")):
            request_route.continue_()
        else:
            opened.left_the_machine.append(url)
            request_route.abort()

    try:
        context.route("**/*", route)
        opened.page = context.new_page()
        yield opened
    finally:
        context.close()


APPEND_CELL = """(source) => {
  const app = window.jupyterapp;
  const notebook = app.shell.currentWidget.content;
  notebook.activeCellIndex = notebook.widgets.length - 1;
  return app.commands.execute('notebook:insert-cell-below').then(() => {
    notebook.activeCell.model.sharedModel.setSource(source);
    return app.commands.execute('notebook:run-cell');
  });
}"""


def append_and_run(page, source: str, timeout: float = 30) -> list[str]:
    """Add a code cell holding ``source`` at the end of the notebook shown, run it and wait for it
    (the page must expose Lab, as the servers of :func:`jupyter_lab` do). Returns the prompts."""
    before = _highest_count(page)
    page.evaluate(APPEND_CELL, source)
    return wait_for_cells(page, after=before, timeout=timeout)
