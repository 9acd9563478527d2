"""Shared fixtures: the demo client, a scratch copy of it, and one full run of the series."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from helpers.config import CLIENTS_DIR, ROOT

DEMO = CLIENTS_DIR / "demo"


@pytest.fixture
def demo_copy(tmp_path: Path) -> Path:
    """A copy of the demo client under ``tmp_path/clients/demo`` (safe to break)."""
    target = tmp_path / "clients" / "demo"
    shutil.copytree(DEMO, target)
    return target


@pytest.fixture(scope="session")
def project_root() -> Path:
    return ROOT
