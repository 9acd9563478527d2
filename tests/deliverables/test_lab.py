"""The notebooks as the strategist works in them: opened in real JupyterLab, in headless Chromium
(Debian's ``chromium``, driven by Playwright), every cell run from the Run menu.

- ``04_smart_goals``: it runs with no error, its goal builder shows as ipywidgets (not the text
  Lab shows for a widget it cannot display), and typing a new target in the builder updates the
  check and the YAML under it; an error in a cell would be seen.

Screenshots go to the test's folder and, when ``WORKBOOK_SCREENSHOTS`` names a folder, there too.
Skipped, with the reason, where no Chromium or no Playwright is found.
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path

import nbformat
import pytest

from tests.deliverables.lab import (
    LabPage,
    Workbook,
    append_and_run,
    error_outputs,
    lab_page,
    lab_workbook,
    screenshot,
    stage_notebook,
    widget_failures,
)

pytest.importorskip(
    "playwright.sync_api", reason="Playwright is not installed: 'make env' installs it (the dev extras)"
)

pytestmark = pytest.mark.e2e

#: What any one wait of the test may take (seconds); the whole test takes about 40 s.
BUDGET = 60


@pytest.fixture
def screenshots(tmp_path: Path, request) -> Iterator[Path]:
    """The test's screenshot folder; copied to ``$WORKBOOK_SCREENSHOTS/<test>/`` when it is set."""
    folder = tmp_path / "screenshots"
    folder.mkdir()
    yield folder
    target = os.environ.get("WORKBOOK_SCREENSHOTS")
    if target:
        shutil.copytree(folder, Path(target) / request.node.name, dirs_exist_ok=True)


@pytest.fixture
def lab(tmp_path: Path) -> Iterator[Callable[..., Workbook]]:
    """Start JupyterLab over copies of notebooks: ``lab(["04_smart_goals"], parameters={...})``
    (see :func:`lab_workbook`). Every server started is stopped at the end of the test."""
    with ExitStack() as stack:
        started = []

        def start(notebooks: list[str], **options) -> Workbook:
            started.append(notebooks)
            where = tmp_path / f"lab-{len(started)}"
            return stack.enter_context(lab_workbook(where, notebooks, **options))

        yield start


@pytest.fixture
def tab(browser) -> Iterator[LabPage]:
    """A fresh page of the shared headless Chromium, 1280 px wide, reaching the local server only."""
    with lab_page(browser) as opened:
        yield opened


def test_the_goal_builder_runs_live_in_jupyterlab(lab, tab, screenshots):
    started = time.monotonic()
    page = tab.page
    workbook = lab(["04_smart_goals"])
    prompts = workbook.run(page, "04_smart_goals", timeout=BUDGET)  # run_notebook_in_lab
    assert all(p.strip("[]: ").isdigit() for p in prompts) and len(prompts) >= 5, prompts
    assert error_outputs(page) == []
    assert (workbook.run_dir / "goals.json").is_file(), "the notebook saves its goals in the run folder"

    builder = page.locator(".wb-builder")
    builder.first.wait_for(state="visible", timeout=10_000)
    assert builder.count() == 1
    assert builder.locator(".widget-dropdown select").count() == 3  # KPI, scope, business objective
    assert builder.locator(".widget-toggle-button").count() == 2  # value or change in %
    assert builder.locator("button", has_text="Enregistrer dans le brief").count() == 1
    assert widget_failures(page) == []
    screenshot(page, screenshots / "04_smart_goals.png")

    # The strategist types a new target, then picks another scope: heading, class and YAML follow.
    result = builder.locator(".widget-html").first
    heading = result.locator("h3.wb-draft-label")
    assert heading.inner_text() == "Abonnés Instagram +8\u202f%", heading.inner_text()
    assert "relative: 0.08" in result.inner_text()
    assert result.locator("strong.wb-bad").count() == 0  # +8 % on the trend: not unrealistic
    target = builder.locator(".widget-text input[type=number]")
    target.fill("60")  # continuous update: no Enter needed
    heading.filter(has_text="+60\u202f%").wait_for(timeout=10_000)
    result.locator("pre", has_text="relative: 0.6").wait_for(timeout=10_000)
    # beyond the trend and the fastest competitor (Herbier Moderne's planted rise makes +30 % a stretch)
    assert result.locator("strong.wb-bad").count() == 1  # unrealistic, in red
    assert result.locator(".wb-letter.wb-fail .wb-mark", has_text="✗").count() == 1  # A fails
    colour = result.locator("strong.wb-bad").evaluate("e => getComputedStyle(e).color")
    assert colour == "rgb(179, 38, 30)", colour  # the package's stylesheet applies in Lab
    builder.locator(".widget-dropdown select").nth(1).select_option(label="Facebook")
    heading.filter(has_text="Abonnés Facebook +60\u202f%").wait_for(timeout=10_000)
    assert "scope: facebook" in result.inner_text() and "id: facebook_followers" in result.inner_text()
    screenshot(page, screenshots / "04_goal_builder.png", element=builder)
    assert error_outputs(page) == []
    assert tab.left_the_machine == [], "Lab asked for nothing outside the local server"

    # The same check sees an error: a failing cell added at the end.
    append_and_run(page, "1 / 0")
    assert any("ZeroDivisionError" in e for e in error_outputs(page)), error_outputs(page)

    elapsed = time.monotonic() - started
    print(f"\n04_smart_goals in JupyterLab: {elapsed:.1f} s; screenshots in {screenshots}")


def test_a_copy_gets_its_parameters_in_its_own_cell(tmp_path):
    copy = stage_notebook("04_smart_goals", tmp_path, {"run_dir": str(tmp_path / "run"), "lang": "en"})
    cell = next(c for c in nbformat.read(copy, as_version=4).cells if "parameters" in c.metadata.tags)
    lines = cell.source.splitlines()
    assert lines[0].startswith('client = "demo"  # ')  # untouched
    assert any(line.startswith(f"run_dir = {str(tmp_path / 'run')!r}  # run folder") for line in lines)
    assert any(line.startswith("lang = 'en'  # ") for line in lines)
    with pytest.raises(KeyError, match="clients"):
        stage_notebook("04_smart_goals", tmp_path, {"clients": "typo"})


def test_the_audit_filters_and_the_post_explorer_run_live_in_jupyterlab(lab, tab, screenshots):
    """01 in JupyterLab: the filters and the explorer show as widgets, and a strategist's clicks
    and typing update what they show."""
    page = tab.page
    workbook = lab(["01_observation"], parameters={"lang": "en"})
    prompts = workbook.run(page, "01_observation", timeout=BUDGET)
    assert all(p.strip("[]: ").isdigit() for p in prompts), prompts
    assert error_outputs(page) == [] and widget_failures(page) == []

    filters = page.locator(".wb-filters")
    filters.wait_for(state="visible", timeout=10_000)
    assert filters.locator(".widget-datepicker input").count() == 2
    assert filters.locator("select[multiple]").count() == 3  # networks, formats, competitors
    summary = filters.locator(".wb-say").first
    assert "networks: all" in summary.inner_text()
    charts = filters.locator("img").count()
    assert charts >= 3, "the filtered sections draw their charts"
    networks = filters.locator("select[multiple]").first
    networks.select_option(label="Instagram")
    filters.locator(".wb-say", has_text="networks: Instagram").wait_for(timeout=20_000)
    screenshot(page, screenshots / "01_filters.png", element=filters)

    explorer = page.locator(".wb-explorer")
    explorer.wait_for(state="visible", timeout=10_000)
    assert explorer.locator(".widget-dropdown select").count() >= 6  # 5 filters and the order
    rows = explorer.locator(".widget-html table tbody tr")
    assert rows.count() == 20  # the first 20 posts shown
    assert explorer.locator(".widget-html table a[href^='https://']").count() == 20  # each post's link
    search = explorer.locator(".widget-text input[type=text]")
    search.fill("zzqx no such caption")
    explorer.locator(".widget-html", has_text="No post matches these filters").wait_for(timeout=10_000)
    assert rows.count() == 0
    search.fill("")
    explorer.locator(".widget-html table tbody tr").nth(19).wait_for(timeout=10_000)
    screenshot(page, screenshots / "01_explorer.png", element=explorer)
    screenshot(page, screenshots / "01_observation.png")
    assert error_outputs(page) == [] and tab.left_the_machine == []
