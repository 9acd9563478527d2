"""The Jupyter kernel a run executes its notebooks in: started quietly, emptied between notebooks.

A run starts one kernel (or one per notebook on request) and keeps one client connected to it,
which papermill uses for every notebook through the ``workbook`` engine (:meth:`Kernel.execute`):
the imports, the kernel start and the client's handshake (at least 0.2 s each) are paid once
per run instead of once per notebook, and no client is left connected behind a notebook.
``workbook run`` starts its kernel ahead (``Kernel(..., ahead=True)``): it imports
:data:`WARM_UP_MODULES` while the command checks and reads the client.

The kernel's stderr goes through :class:`StderrFilter`, which drops the start-up notices of
:data:`KERNEL_NOISE` (ipykernel's warning that its local TCP sockets are not encrypted, printed
at every start) and passes every other line, errors included, on to this process's stderr (the
terminal, or ``run.log`` in a batch).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
from typing import IO

from helpers.config import KERNEL_NAME

#: Lines a kernel prints at start-up that tell the user nothing about their run.
KERNEL_NOISE = (re.compile(rb"^\[IPKernelApp\] WARNING \| Kernel is running over TCP without encryption\. "),)

#: What empties the kernel between two notebooks: the namespace (and the output cache) and the
#: figures; a new history session restarts the execution counter, so each notebook's cells count
#: from 1 as in a kernel of their own. What is left (modules and their state) then lives as long as
#: the kernel: ``gc.freeze`` keeps the garbage collector from scanning it again, in the next reset
#: (IPython's reset collects: 0.15 s, 0.02 s once frozen) and during the next notebook.
RESET_CODE = (
    "get_ipython().reset(new_session=True)\nimport matplotlib.pyplot as _p\n_p.close('all')\ndel _p\n"
    "import gc as _gc\n_gc.freeze()\ndel _gc"
)


#: What the notebooks import (a test checks the list against them), imported by a kernel started
#: ahead of the run; ``helpers.method.personas`` brings scikit-learn.
WARM_UP_MODULES = (
    "helpers.run.context",
    "helpers.report.pages.common",
    "helpers.report.pages.observation",
    "helpers.report.pages.synthesis",
    "helpers.report.pages.problem",
    "helpers.report.pages.goals",
    "helpers.report.pages.strategy",
    "helpers.report.pages.planning",
    "helpers.report.pages.tracking",
    "helpers.report.pages.cycle",
    "helpers.report.pages.trajectory",
    "helpers.report.pages.adherence",
    "helpers.report.pages.replanning",
    "helpers.report.pages.glance",
    "helpers.report.builder",
    "helpers.report.explorer",
    "helpers.report.filters",
    "helpers.method.personas",
    "matplotlib.pyplot",
)
WARM_UP_CODE = (
    f"import gc, importlib\nfor _m in {WARM_UP_MODULES!r}:\n    importlib.import_module(_m)\n"
    "gc.collect()\ngc.freeze()"
)


def ensure_kernel() -> str:
    """Register the project's Jupyter kernel in this environment if it is missing.

    The kernel runs this interpreter, so papermill never picks another ``python3``.
    """
    from jupyter_client.kernelspec import KernelSpecManager

    specs = KernelSpecManager().find_kernel_specs()
    if KERNEL_NAME not in specs:
        from ipykernel.kernelspec import install

        install(kernel_name=KERNEL_NAME, display_name="Python (social workbook)", prefix=sys.prefix)
    return KERNEL_NAME


def is_noise(line: bytes) -> bool:
    return any(pattern.match(line) for pattern in KERNEL_NOISE)


class StderrFilter(threading.Thread):
    """Copy a kernel's stderr, line by line, to file descriptor 2, less :data:`KERNEL_NOISE`."""

    def __init__(self, stream: IO[bytes], fd: int = 2):
        super().__init__(name="kernel-stderr", daemon=True)
        self.stream, self.fd = stream, fd

    def run(self) -> None:
        with self.stream:
            for line in iter(self.stream.readline, b""):
                if not is_noise(line):
                    try:
                        os.write(self.fd, line)
                    except OSError:  # our stderr is gone: keep draining so the kernel never blocks
                        pass


class Kernel:
    """A started kernel, its manager (``km``) and a connected client (``kc``) for papermill.

    With ``ahead``, the kernel is started without waiting for it and asked at once, silently,
    to import :data:`WARM_UP_MODULES`: it does so on another core while this process prepares
    the run, and the first :meth:`reset` (which moves it into the run folder) waits for it.
    """

    def __init__(self, name: str, cwd: str, ahead: bool = False):
        from jupyter_client.manager import AsyncKernelManager
        from jupyter_core.utils import run_sync

        self.closed = False
        self.km = AsyncKernelManager(kernel_name=name)
        run_sync(self.km.start_kernel)(cwd=cwd, stderr=subprocess.PIPE)
        self.stderr = StderrFilter(self.km.provisioner.process.stderr)
        self.stderr.start()
        self.kc = self.km.client()
        self.kc.allow_stdin = False
        self.ready = False
        try:
            self.kc.start_channels()
            if ahead:
                self.kc.execute(WARM_UP_CODE, silent=True, store_history=False)  # queued until it listens
            else:
                self.wait_until_ready()
        except BaseException:
            self.shutdown()
            raise

    def wait_until_ready(self) -> None:
        from jupyter_core.utils import run_sync

        if not self.ready:
            run_sync(self.kc.wait_for_ready)(timeout=120)
            self.ready = True

    def execute(self, source: str, output: str, **options) -> None:
        """Run a notebook with papermill in this kernel, through this client.

        ``options`` are ``papermill.execute_notebook``'s; the executed notebook is written once,
        when it ends or fails (papermill writes it before and after every cell otherwise).
        """
        import papermill as pm

        _register_engine()
        pm.execute_notebook(
            source,
            output,
            engine_name=ENGINE,
            request_save_on_cell_execute=False,
            km=self.km,
            kc=self.kc,
            **options,
        )

    def reset(self, cwd: str | None = None) -> None:
        """Empty the namespace, close the figures and restart the execution count (:data:`RESET_CODE`);
        with ``cwd``, move the kernel there."""
        from jupyter_core.utils import run_sync

        self.wait_until_ready()
        code = RESET_CODE + (f"\nimport os as _o\n_o.chdir({cwd!r})\ndel _o" if cwd else "")
        reply = run_sync(self.kc.execute_interactive)(code, timeout=60, output_hook=lambda msg: None)
        content = reply["content"]
        if content.get("status") != "ok":
            raise RuntimeError(f"the kernel was not emptied: {content.get('ename')}: {content.get('evalue')}")

    def shutdown(self) -> None:
        """Stop the kernel (at once) and its client; a kernel already gone, or stopped, is no error."""
        from jupyter_core.utils import run_sync

        if self.closed:
            return
        self.closed = True
        try:
            self.kc.stop_channels()
            if run_sync(self.km.is_alive)():
                run_sync(self.km.shutdown_kernel)(now=True)
        except RuntimeError:
            pass  # already gone (an interruption shut it down)
        finally:
            run_sync(self.km.cleanup_resources)()
            self.stderr.join(timeout=5)


ENGINE = "workbook"


def _register_engine() -> None:
    """Register the ``workbook`` papermill engine: papermill's own, on a client already connected.

    papermill's client (nbclient) ignores a ``kc`` it is given and connects a client of its own
    to every notebook, waits for it, and leaves it connected when the kernel is not its own.
    """
    from papermill.clientwrap import PapermillNotebookClient
    from papermill.engines import NBClientEngine, papermill_engines
    from papermill.exceptions import PapermillException
    from papermill.log import logger

    try:
        papermill_engines.get_engine(ENGINE)
        return
    except PapermillException:
        pass  # not yet registered

    class Client(PapermillNotebookClient):
        def __init__(self, nb_man, km=None, kc=None, **kw):
            super().__init__(nb_man, km=km, **kw)
            self.kc = kc  # setup_kernel connects a client only when there is none

    class Engine(NBClientEngine):
        @classmethod
        def execute_managed_notebook(
            cls, nb_man, kernel_name, log_output=False, stdout_file=None, stderr_file=None,
            start_timeout=60, execution_timeout=None, input_path=None, km=None, kc=None, **kwargs,
        ):  # fmt: skip
            client = Client(
                nb_man, km=km, kc=kc, kernel_name=kernel_name, log=logger, log_output=log_output,
                stdout_file=stdout_file, stderr_file=stderr_file, startup_timeout=start_timeout,
                timeout=execution_timeout, **kwargs,
            )  # fmt: skip
            return client.execute()

    papermill_engines.register(ENGINE, Engine)
