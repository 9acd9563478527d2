"""Shared fixtures: the demo client, a scratch copy of it, the demo run once in each language, and\na headless Chromium to open the deliverables offline."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from helpers.config import CLIENTS_DIR, ROOT
from helpers.report.export import find_chromium

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


def workbook(*args: str) -> subprocess.CompletedProcess:
    """The ``workbook`` command, as a user runs it (``python -m helpers ...``)."""
    return subprocess.run(
        [sys.executable, "-m", "helpers", *args], capture_output=True, text=True, cwd=ROOT, timeout=600
    )


def snapshot(folder: Path) -> dict[str, str]:
    """SHA-256 of each file of a folder (sub-folders, such as screenshots/, are left out)."""
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir()) if p.is_file()
    }


@pytest.fixture(scope="session")
def runs(tmp_path_factory) -> dict:
    """The demo client run once in French (its brief) and once in English, for the whole session."""
    reports = tmp_path_factory.mktemp("reports")
    first = workbook("run", "demo", "--reports-dir", str(reports))
    assert first.returncode == 0, first.stderr[-3000:]
    first_dir = Path(first.stdout.strip()).parent
    before = snapshot(first_dir)
    second = workbook("run", "demo", "--lang", "en", "--reports-dir", str(reports))
    assert second.returncode == 0, second.stderr[-3000:]
    return {
        "reports": reports,
        "fr": first_dir,
        "en": Path(second.stdout.strip()).parent,
        "before": before,
        "stderr": first.stderr,
    }


# --------------------------------------------------------------------------- real browser
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-default-apps",
    "--disable-sync",
    "--no-first-run",
    "--disable-extensions",
]


@pytest.fixture(scope="session")
def browser():
    """Headless Chromium (Debian's ``chromium``) driven by Playwright; never a downloaded browser."""
    chromium = find_chromium()
    if chromium is None:
        pytest.skip(
            "Chromium not found (/usr/bin/chromium or WORKBOOK_CHROMIUM): "
            "run 'make browser' or 'apt-get install chromium' to run the browser tests"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_FLAGS)
        yield launched
        launched.close()


@dataclass
class Visit:
    """What a page did once opened offline in the browser."""

    url: str
    console: list[str] = field(default_factory=list)  # console messages of type error or warning
    messages: list[str] = field(default_factory=list)  # every console message
    page_errors: list[str] = field(default_factory=list)
    left_the_file: list[str] = field(default_factory=list)  # requests that were not file:// or data:
    broken_images: list[str] = field(default_factory=list)
    images: int = 0
    scroll_width: int = 0
    title: str = ""
    state: dict = field(default_factory=dict)


def visit(
    browser,
    page_path: Path,
    width: int = 1280,
    screenshot: Path | None = None,
    full_page: bool = True,
    probe: str = "() => ({})",
    chart_shot: Path | None = None,
) -> Visit:
    """Open a local HTML file with the network cut: anything that is not ``file://`` or ``data:`` is
    aborted and recorded. Optionally saves a screenshot (and one of the first chart)."""
    seen = Visit(page_path.resolve().as_uri())
    context = browser.new_context(viewport={"width": width, "height": 900})

    def route(request_route):
        url = request_route.request.url
        if url.startswith(("file:", "data:")):
            request_route.continue_()
        else:
            seen.left_the_file.append(url)
            request_route.abort()

    context.route("**/*", route)
    page = context.new_page()
    page.on(
        "console",
        lambda m: (
            seen.messages.append(m.text),
            seen.console.append(f"{m.type}: {m.text}") if m.type in ("error", "warning") else None,
        ),
    )
    page.on("pageerror", lambda e: seen.page_errors.append(str(e)))
    page.on(
        "request",
        lambda r: None if r.url.startswith(("file:", "data:")) else seen.left_the_file.append(r.url),
    )
    try:
        page.goto(seen.url, wait_until="load")
        page.wait_for_load_state("networkidle")
        result = page.evaluate("""() => ({
            images: Array.from(document.images).map(i => ({ok: i.complete && i.naturalWidth > 0,
                                                         what: i.alt || i.src.slice(0, 60)})),
            scrollWidth: document.documentElement.scrollWidth,
            title: document.title})""")
        seen.images = len(result["images"])
        seen.broken_images = [i["what"] for i in result["images"] if not i["ok"]]
        seen.scroll_width = result["scrollWidth"]
        seen.title = result["title"]
        seen.state = page.evaluate(probe)
        if screenshot is not None:
            screenshot.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(screenshot), full_page=full_page)
        if chart_shot is not None and page.locator("figure.wb-figure").count():
            page.locator("figure.wb-figure").first.screenshot(path=str(chart_shot))
    finally:
        context.close()
    return seen
