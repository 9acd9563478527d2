"""The deliverables in a real browser: headless Chromium (Debian's ``chromium``) driven by Playwright,
with the network cut (anything but ``file://`` and ``data:`` is aborted and recorded).

- the demo's index, full report and parts, French and English: no console error, nothing leaves the
  file, every image loads, nothing wider than a 390 px phone; screenshots saved in the run folder;
- safety: a hostile client (scripts, event handlers and HTML entities in its name, brief, post
  captions and mentions) is run end to end (with ``--pdf``) and nothing of it executes in the
  browser while its text shows literally; and the same browser check, with the escaping of
  ``helpers/report/display.py`` switched off, does detect execution (so it can fail).

Skipped, with the reason, only where no Chromium is found.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pandas as pd
import pytest
import yaml

from helpers.config import NOTEBOOKS
from helpers.report import display
from tests.conftest import Visit, visit, workbook

pytestmark = pytest.mark.e2e

LANGS = ("fr", "en")
PAGES = ("index.html", "report.html", *(f"{name}.html" for name in NOTEBOOKS))
WIDTHS = (1280, 390)

# What the pages run after loading: the marks a payload would leave.
PROBE = (
    "() => ({xss: window.__xss === undefined ? null : String(window.__xss), text: document.body.innerText})"
)


def assert_clean(seen: Visit, width: int) -> None:
    where = f"{Path(seen.url).name} at {width} px"
    assert not seen.console, f"{where}: console {seen.console}"
    assert not seen.page_errors, f"{where}: errors {seen.page_errors}"
    assert not seen.left_the_file, f"{where}: requests left the file: {seen.left_the_file}"
    assert not seen.broken_images, f"{where}: images not loaded: {seen.broken_images}"
    assert seen.scroll_width <= width, f"{where}: the page is {seen.scroll_width} px wide"


@pytest.mark.parametrize("lang", LANGS)
def test_deliverables_open_offline_in_chromium(runs, browser, lang):
    folder = runs[lang]
    shots = folder / "screenshots"
    for page in PAGES:
        stem = page.removesuffix(".html")
        for width in WIDTHS:
            shot = None
            if page in ("index.html", "report.html"):
                shot = shots / f"{stem}-{width}.png"
            chart = shots / f"chart-{width}.png" if page == "01_observation.html" else None
            seen = visit(
                browser,
                folder / page,
                width,
                screenshot=shot,
                full_page=page == "index.html",
                chart_shot=chart,
            )
            assert_clean(seen, width)
            assert seen.title and "·" in seen.title
            if page == "report.html":
                assert seen.images >= 10, "the full report shows the logo and every chart"
    for name in ("index-1280", "index-390", "report-1280", "report-390", "chart-1280", "chart-390"):
        assert (shots / f"{name}.png").stat().st_size > 10_000, name
    assert _png_size(shots / "index-390.png")[0] == 390 and _png_size(shots / "index-1280.png")[0] == 1280


@pytest.mark.parametrize("lang", LANGS)
def test_the_page_at_a_glance_fits_one_screen_and_reflows_at_phone_width(runs, browser, lang):
    """The block the report opens on, screenshot for the record (``glance-1280.png``,
    ``glance-390.png`` in the run folder's ``screenshots/``): never wider than the screen, one screen high at
    1280×800, one column of tiles at 390 px."""
    folder = runs[lang]
    for width in WIDTHS:
        context = browser.new_context(viewport={"width": width, "height": 800})
        try:
            page = context.new_page()
            page.goto((folder / "report.html").resolve().as_uri(), wait_until="load")
            block = page.locator("section.wb-glance")
            assert block.count() == 1
            box = block.bounding_box()
            (folder / "screenshots").mkdir(exist_ok=True)
            block.screenshot(path=str(folder / "screenshots" / f"glance-{width}.png"))
            columns = page.evaluate(
                "() => getComputedStyle(document.querySelector('.wb-glance-tiles'))"
                ".gridTemplateColumns.split(' ').length"
            )
            sparks = page.locator("section.wb-glance svg.wb-spark").count()
            scroll = page.evaluate("() => document.documentElement.scrollWidth")
        finally:
            context.close()
        assert box["x"] >= 0 and box["x"] + box["width"] <= width, f"{lang} at {width} px: {box}"
        assert scroll <= width, f"{lang} at {width} px: the page is {scroll} px wide"
        assert box["y"] == 0, "the report opens on the page at a glance"
        if width == 1280:
            assert box["height"] <= 800, f"{lang}: the page at a glance is {box['height']} px high"
            assert columns == 3
        else:
            assert columns == 1
        assert sparks >= 10, "each known series has its sparkline"
        assert _png_size(folder / "screenshots" / f"glance-{width}.png")[0] <= width


def _png_size(path: Path) -> tuple[int, int]:
    head = path.read_bytes()[:24]
    return int.from_bytes(head[16:20], "big"), int.from_bytes(head[20:24], "big")


# --------------------------------------------------------------------------- safety
# Each payload would leave a mark (window.__xss, the page title, a console line) if it ran.
SCRIPT = "<script>window.__xss='script';document.title='pwned';console.log('XSS-RAN')</script>"
IMG = "<img src=x onerror=\"window.__xss='img';console.log('XSS-RAN')\">"
SVG = "<svg onload=\"window.__xss='svg'\"></svg>"
ENTITIES = "&lt;b&gt;gras&lt;/b&gt; &amp; doux"
ATTRIBUTE = "x\" onload=\"window.__xss='attribute'"  # breaks out of an attribute (alt, data-chart-text)
# The client's name goes through CSV exports too: no comma, quote or semicolon in it.
NAME = "Atelier <script>window.__xss=1</script><img src=x onerror=window.__xss=2> Cie"


def hostile_code_ran(seen: Visit) -> bool:
    """The one browser check: did anything of the payloads execute?"""
    return (
        seen.state.get("xss") is not None
        or seen.title == "pwned"
        or any("XSS-RAN" in m for m in seen.messages)
        or bool(seen.page_errors)
    )


def _blocks_page(folder: Path) -> Path:
    """Every kind of block of helpers/report/display.py fed the payloads, in a bare page."""
    import matplotlib.pyplot as plt

    payloads = [SCRIPT, IMG, SVG, ENTITIES]
    fig, ax = plt.subplots(figsize=(3, 2))
    ax.plot([0, 1], [0, 1])
    ax.set_title(ATTRIBUTE)
    blocks = (
        display.heading(SCRIPT)
        + display.say(*payloads)
        + display.bullets(payloads)
        + display.card(IMG, payloads, css_class=ATTRIBUTE)
        + display.table(
            pd.DataFrame({"text": payloads, "n": range(4)}), headers={"text": SVG}, note=IMG, lang="fr"
        )
        + display.figure(fig, alt=ATTRIBUTE, note=SCRIPT)
    )
    page = folder / "blocks.html"
    page.write_text(
        f'<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>blocks</title></head>'
        f"<body>{blocks.markup}</body></html>",
        encoding="utf-8",
    )
    return page


@pytest.mark.parametrize("escaping", ["on", "off"])
def test_the_browser_check_catches_unescaped_text(browser, tmp_path, monkeypatch, escaping):
    """With the escaping switched off, the same check that passes the deliverables sees code run."""
    if escaping == "off":
        monkeypatch.setattr(display, "escape", lambda value: str(value))
    seen = visit(browser, _blocks_page(tmp_path), probe=PROBE)
    assert hostile_code_ran(seen) is (escaping == "off"), seen.state.get("xss")
    if escaping == "on":
        assert ENTITIES in seen.state["text"] and "<script>" in seen.state["text"]


def _hostile_client(demo_copy: Path) -> None:
    """The demo client with payloads in its brief, its post captions and its mentions."""
    brief_path = demo_copy / "brief.yaml"
    brief = yaml.safe_load(brief_path.read_text(encoding="utf-8"))
    old_name = brief["client"]["name"]
    brief["client"]["name"] = NAME
    brief["targets"][0]["name"] = f"Clara {IMG} {ENTITIES}"
    brief["targets"][0]["description"] = f"Citadine {IMG} {ENTITIES}"
    brief["swot"]["strengths"].insert(0, f"{SCRIPT}Savoir-faire {ENTITIES}")
    brief["goals"][0]["label"] = f"Communauté {SVG}{IMG}"
    brief_path.write_text(yaml.safe_dump(brief, allow_unicode=True, sort_keys=False), encoding="utf-8")
    for export in (demo_copy / "exports").glob("brandwatch*.csv"):  # the brand's mentions keep its name
        export.write_bytes(export.read_bytes().replace(old_name.encode(), NAME.encode()))
    captions = [f"{IMG} Nouveau baume {ENTITIES}", f"{SCRIPT}{SVG} Coulisses"]
    posts = [
        {"post_id": f"hostile-{i}", "channel": "instagram", "account": "atelier.seve",
         "published_at": f"2026-06-0{i + 2}T16:00:00Z", "format": "photo", "text": text,
         "permalink": f"https://www.instagram.com/p/hostile{i}/", "impressions": 90000, "reach": 80000,
         "reactions": 50000, "comments": 900, "shares": 100, "saves": 10, "paid": "false"}
        for i, text in enumerate(captions)
    ]  # fmt: skip
    mentions = [
        {"mention_id": f"hostile-{i}", "published_at": f"2026-05-{i % 28 + 1:02d}T10:00:00Z",
         "channel": "instagram", "author": f"{SVG}{IMG}@pirate", "author_followers": 50000,
         "text": f"{SCRIPT} {ENTITIES}", "url": f"https://www.instagram.com/p/m{i}/", "reach": 5000,
         "engagement": 40, "sentiment": "positive", "emotion": "joy", "brand": NAME}
        for i in range(60)
    ]  # fmt: skip
    for name, rows in (("posts", posts), ("mentions", mentions)):
        header = (
            (Path(__file__).resolve().parents[2] / "data" / "templates" / f"{name}.csv")
            .read_text(encoding="utf-8")
            .strip()
            .split(",")
        )
        with (demo_copy / "tables" / f"{name}.csv").open("w", encoding="utf-8", newline="") as out:
            writer = csv.DictWriter(out, header, quoting=csv.QUOTE_ALL, extrasaction="ignore")
            writer.writeheader()
            writer.writerows(rows)


def test_a_hostile_client_runs_no_code_in_its_deliverables_and_prints_a_pdf(browser, demo_copy, tmp_path):
    _hostile_client(demo_copy)
    done = workbook(
        "run",
        "demo",
        "--clients-dir",
        str(demo_copy.parent),
        "--reports-dir",
        str(tmp_path / "reports"),
        "--pdf",
    )
    assert done.returncode == 0, done.stderr[-3000:]
    folder = Path(done.stdout.strip()).parent
    shown = {}
    for page in PAGES:
        seen = visit(browser, folder / page, probe=PROBE)
        assert not hostile_code_ran(seen), f"{page}: a payload ran ({seen.state.get('xss')}, {seen.messages})"
        assert not seen.console and not seen.left_the_file, (page, seen.console, seen.left_the_file)
        assert not seen.broken_images, (page, seen.broken_images)
        shown[page] = seen.state["text"]
        assert NAME in seen.title or page != "index.html"
    assert NAME in shown["index.html"] and "Communauté <svg" in shown["index.html"]  # name and goal, as text
    observation = shown["01_observation.html"]
    assert f"{IMG} Nouveau" in observation  # a post caption (its excerpt in the tops and flops), as text
    assert f"{SVG}{IMG}@pirate" in observation  # a mention's author
    assert f"Clara {IMG} {ENTITIES}" in observation  # a persona of the brief
    assert f"{SCRIPT}Savoir-faire {ENTITIES}" in shown["02_synthesis.html"]  # a SWOT entry
    assert (
        f"Clara {IMG} {ENTITIES}" in shown["report.html"] and f"{SCRIPT}Savoir-faire" in shown["report.html"]
    )
    pdf = (folder / "report.pdf").read_bytes()
    assert pdf.startswith(b"%PDF-") and len(re.findall(rb"/Type\s*/Page\b", pdf)) >= 5
