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


def client_dir(client: str, clients_dir: str | Path | None = None) -> Path:
    """Folder of a client's inputs (``brief.yaml``, ``exports/``, ``tables/``)."""
    base = Path(clients_dir) if clients_dir else CLIENTS_DIR
    return base / client


def workspace_dir(client: str, reports_dir: str | Path | None = None) -> Path:
    """Run folder used when a notebook is opened by hand in JupyterLab (no run folder given)."""
    base = Path(reports_dir) if reports_dir else REPORTS_DIR
    return base / client / "workspace"
