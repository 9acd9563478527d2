"""Paths of the project, resolved once from the package location.

Every other module asks this one where things live; nothing else guesses paths.
"""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
ROOT = PACKAGE_DIR.parent
NOTEBOOKS_DIR = ROOT / "notebooks"
DATA_DIR = ROOT / "data"
REPORTS_DIR = Path(os.environ.get("WORKBOOK_REPORTS", ROOT / "reports"))
CLIENTS_DIR = Path(os.environ.get("WORKBOOK_CLIENTS", DATA_DIR / "clients"))
TEMPLATES_DIR = PACKAGE_DIR / "report" / "templates"

#: Name of the Jupyter kernel the Makefile registers for the project's environment.
KERNEL_NAME = "social-workbook"

#: The notebook series, in the order of the method.
NOTEBOOKS: tuple[str, ...] = (
    "01_observation",
    "02_synthesis",
    "03_problem_statement",
    "04_smart_goals",
    "05_strategy",
    "06_planning",
    "07_tracking",
)


#: What a client name is, as the command line says it when it refuses one.
CLIENT_NAME_RULE = (
    "A client name is the name of a folder under the clients folder, like 'demo': "
    "no '/' or '\\', not '.' or '..', no leading '.', not an absolute path."
)


class ClientNameError(ValueError):
    """A client name that is not a plain folder name (a path, ``..``, a hidden name)."""


def check_client_name(client: str) -> str:
    """``client`` when it is a plain folder name under the clients folder, else ClientNameError.

    A client name never names a path: it is joined to the clients folder for the inputs and to the
    reports folder for the run folders, so a separator, ``..``, an absolute path or a leading dot
    would read or write elsewhere (or in a hidden folder).
    """
    text = str(client)
    problem = ""
    if not text.strip():
        problem = "it is empty"
    elif Path(text).is_absolute() or text.startswith(("/", "\\")):
        problem = "it is an absolute path"
    elif any(sep in text for sep in ("/", "\\", os.sep, os.altsep or "/")):
        problem = "it holds a path separator"
    elif text in (".", ".."):
        problem = f"'{text}' names a folder, not a client"
    elif text.startswith("."):
        problem = "it starts with '.' (a hidden folder)"
    elif any(ord(c) < 32 or c == "\x7f" for c in text):
        problem = "it holds a control character"
    if problem:
        raise ClientNameError(f"{text!r} is not a client name: {problem}. {CLIENT_NAME_RULE}")
    return text


def client_dir(client: str, clients_dir: str | Path | None = None) -> Path:
    """Folder of a client's inputs (``brief.yaml``, ``exports/``, ``tables/``).

    Raises:
        ClientNameError: ``client`` is not a plain folder name (see :func:`check_client_name`).
    """
    base = Path(clients_dir) if clients_dir else CLIENTS_DIR
    return base / check_client_name(client)


def workspace_dir(client: str, reports_dir: str | Path | None = None) -> Path:
    """Run folder used when a notebook is opened by hand in JupyterLab (no run folder given)."""
    base = Path(reports_dir) if reports_dir else REPORTS_DIR
    return base / check_client_name(client) / "workspace"
