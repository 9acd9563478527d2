"""Client deliverables: code-free HTML parts, one combined report, and the ``index.html`` that ties them.

Parts are exported with nbconvert from our own template (``templates/client``), which
drops every script fetched from a CDN (require.js, MathJax, widgets, Mermaid) so the
HTML opens offline. Inputs, prompts, the parameters cells, stderr and bare object reprs
are removed. Every string that comes from the brief or the data is escaped.

``report.html`` opens on the page at a glance (:mod:`helpers.report.glance`), then puts the
cover, the executive summary, the contents, every part in order
and the KPI glossary (``glossary.json``) in one self-contained page; ``index.html`` has the
same page at a glance, cover, summary and glossary and links to the parts and to the combined report.
Every page gets the language's typography once written (French: a narrow no-break space before
``: ; ! ?`` and inside « », :func:`helpers.report.i18n.typography_html`).
``write_pdf`` prints the combined report to ``report.pdf`` with headless Chromium.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import mimetypes
import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nbformat
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup
from nbconvert import HTMLExporter
from nbconvert.preprocessors import Preprocessor, TagRemovePreprocessor

from helpers import kpis
from helpers.client.brief import Brief
from helpers.client.loading import atomic_write
from helpers.config import NOTEBOOKS, TEMPLATES_DIR
from helpers.report import glance
from helpers.report.display import blocks_css, escape
from helpers.report.i18n import catalogue, fmt_date, label, t, typography_html
from helpers.report.method import method_rows
from helpers.run.artefacts import file_of

REMOVE_CELL_TAGS = {"remove-cell", "parameters", "injected-parameters", "strategist-note"}
REMOVE_INPUT_TAGS = {"remove-input", "hide-input"}
REMOVE_OUTPUT_TAGS = {"remove-output"}
_RICH = ("text/html", "image/png", "image/svg+xml", "image/jpeg", "text/markdown")
REPORT_HTML = "report.html"
REPORT_PDF = "report.pdf"
#: The editable deliverables, written by :mod:`helpers.report.workbook` and :mod:`helpers.report.deck`.
REPORT_XLSX = "report.xlsx"
REPORT_PPTX = "report.pptx"
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


class CleanOutputsPreprocessor(Preprocessor):
    """Keep only what a client should read: rich outputs, no streams, no reprs, no errors."""

    def preprocess_cell(self, cell, resources, index):  # noqa: D102 (nbconvert API)
        if cell.cell_type == "code":
            kept = []
            for output in cell.get("outputs", []):
                if output.get("output_type") in ("display_data", "execute_result"):
                    data = output.get("data", {})
                    if any(mime in data for mime in _RICH):
                        output["data"] = {k: v for k, v in data.items() if k in _RICH}
                        kept.append(output)
            cell.outputs = kept
        return cell, resources


def part_title(name: str, lang: str) -> str:
    """Title of a part of the series (``01_observation`` → ``1. Observation``)."""
    return t(f"parts.{name}", lang)


def brand_css(colour: str) -> str:
    """The deliverables' stylesheet, in the client's colour; readable at phone width."""
    css = blocks_css() + (TEMPLATES_DIR / "client.css").read_text(encoding="utf-8")
    return css.replace("#1F4E79", colour)


@dataclass
class PartInfo:
    name: str
    title: str
    html: str


def make_exporter(lang: str) -> HTMLExporter:
    exporter = HTMLExporter(
        template_name="client",
        extra_template_basedirs=[str(TEMPLATES_DIR)],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
    )
    exporter.language_code = lang
    exporter.register_preprocessor(
        TagRemovePreprocessor(
            enabled=True,
            remove_cell_tags=REMOVE_CELL_TAGS,
            remove_input_tags=REMOVE_INPUT_TAGS,
            remove_all_outputs_tags=REMOVE_OUTPUT_TAGS,
        ),
        enabled=True,
    )
    exporter.register_preprocessor(CleanOutputsPreprocessor(enabled=True), enabled=True)
    return exporter


def export_part(
    notebook: Path,
    out: Path,
    brief: Brief,
    lang: str,
    created: str,
    inputs_digest: str,
    names: tuple[str, ...] = NOTEBOOKS,
    exporter: HTMLExporter | None = None,
) -> Path:
    """Export one executed notebook to client HTML next to it.

    Args:
        notebook: the executed ``.ipynb``.
        out: the ``.html`` to write.
        brief: the client's brief (name, colour).
        lang: ``fr`` or ``en``.
        created: ISO timestamp of the run, written in the HTML head.
        inputs_digest: SHA-256 of ``inputs.json``, written in the HTML head.
        names: the parts of the series, for the previous/next links.
        exporter: the run's exporter (:func:`make_exporter` for ``lang``), else a new one.
    """
    body = render_part(notebook, brief, lang, created, inputs_digest, names, exporter)
    out.write_text(body, encoding="utf-8")
    return out


def render_part(
    notebook: Path,
    brief: Brief,
    lang: str,
    created: str,
    inputs_digest: str,
    names: tuple[str, ...] = NOTEBOOKS,
    exporter: HTMLExporter | None = None,
) -> str:
    """The client HTML of one executed notebook (what :func:`export_part` writes).

    One exporter serves a whole run, used by one thread at a time: its templates are compiled
    once instead of once per part (about 0.2 s a part).
    """
    nb = nbformat.read(notebook, as_version=4)
    name = notebook.stem
    i = names.index(name) if name in names else -1
    prev_name = names[i - 1] if i > 0 else None
    next_name = names[i + 1] if 0 <= i < len(names) - 1 else None
    resources = {
        "metadata": {"name": part_title(name, lang)},
        "workbook": {
            "client": brief.client.name,
            "part_title": part_title(name, lang),
            "created": created,
            "inputs_digest": inputs_digest,
            "css": brand_css(brief.branding.colour),
            "home_label": t("report.home", lang),
            "prev_href": f"{prev_name}.html" if prev_name else "",
            "prev_title": part_title(prev_name, lang) if prev_name else "",
            "next_href": f"{next_name}.html" if next_name else "",
            "next_title": part_title(next_name, lang) if next_name else "",
            "report_href": REPORT_HTML,
            "report_label": t("deliverable.full_report", lang),
            "footer": t("report.footer", lang, client=brief.client.name),
        },
    }
    nb.metadata["title"] = f"{part_title(name, lang)} · {brief.client.name}"
    nb.metadata.pop("widgets", None)  # the strategist's widgets' state stays out of the deliverable
    body, _ = (exporter or make_exporter(lang)).from_notebook_node(nb, resources=resources)
    return typography_html(appendix_links(body, "index.html"), lang)


def appendix_links(body: str, page: str) -> str:
    """A part's HTML with its links to the appendix (``#kpi-…`` glossary entries, ``#method-…``
    topics) pointing to ``page``, which holds the glossary and the method (a part has neither)."""
    for prefix in ("kpi-", "method-"):
        body = body.replace(f'class="wb-ref" href="#{prefix}', f'class="wb-ref" href="{page}#{prefix}')
    return body


def write_deliverable(out: Path, write: Callable[[Path], object], error: type[Exception]) -> Path:
    """Write a deliverable (the deck, the workbook) through ``write(temporary_path)``, renamed into
    place (:func:`helpers.client.loading.atomic_write`: never half a file). Whatever stops it is
    raised as ``error`` naming the file: "could not be written" (the disk), "could not be made" (a
    value the tables did not foresee), never a traceback; an ``error`` raised inside passes as it is."""
    try:
        return atomic_write(out, write)
    except error:
        raise
    except OSError as exc:
        raise error(f"{out} could not be written: {exc}") from None
    except Exception as exc:
        raise error(f"{out} could not be made: {type(exc).__name__}: {exc}") from exc


def logo_data_uri(client_folder: Path, logo: str | None) -> str:
    """The brief's logo as a ``data:`` URI, or ``""``; refuses paths outside the folder."""
    if not logo:
        return ""
    folder = client_folder.resolve()
    path = (folder / logo).resolve()
    if not path.is_relative_to(folder):
        raise ValueError(f"{logo!r}: the logo must be inside the client folder {folder}")
    if not path.is_file():
        raise ValueError(f"{path}: logo file not found (branding.logo in the brief)")
    mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    if not mime.startswith("image/"):
        raise ValueError(f"{path}: the logo must be an image, got {mime}")
    return f"data:{mime};base64," + base64.b64encode(path.read_bytes()).decode("ascii")


def _environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(str(TEMPLATES_DIR / "index")),
        autoescape=select_autoescape(["html", "j2"], default=True),
    )


def _page_context(
    run_dir: Path,
    brief: Brief,
    client_folder: Path,
    lang: str,
    contents: list[dict[str, str]],
    status: str,
    created: dt.datetime,
) -> dict:
    """What the cover, the summary, the contents and the glossary show (index and report alike)."""
    return {
        "lang": lang,
        "t": lambda key, **kw: t(key, lang, **kw),
        "client": brief.client,
        "period": (fmt_date(brief.period.start, lang), fmt_date(brief.period.end, lang)),
        "horizon": (fmt_date(brief.horizon.start, lang), fmt_date(brief.horizon.end, lang)),
        "created": fmt_date(created, lang),
        "logo": logo_data_uri(client_folder, brief.branding.logo),
        "css": brand_css(brief.branding.colour),
        "contents": contents,
        "status": status,
        "glance": glance_html(run_dir, lang),
        "summary": read_summary(run_dir),
        "glossary": glossary_rows(read_glossary(run_dir), lang, brief.kpi),
        "method": method_rows(brief.analysis, lang),
    }


def write_index(
    run_dir: Path,
    brief: Brief,
    client_folder: Path,
    lang: str,
    parts: list[PartInfo],
    status: str,
    created: dt.datetime,
) -> Path:
    """Write ``index.html``: cover, executive summary, links to the combined report and the parts,
    KPI glossary."""
    contents = [{"href": REPORT_HTML, "title": t("deliverable.full_report", lang), "kind": "report"}]
    contents += [{"href": part.html, "title": part.title, "kind": "part"} for part in parts]
    contents += [
        {"href": name, "title": t(key, lang), "kind": "download"}
        for name, key in ((REPORT_PPTX, "office.deck_link"), (REPORT_XLSX, "office.workbook_link"))
        if (run_dir / name).is_file()
    ]
    contents.append({"href": "#glossary", "title": t("deliverable.glossary", lang), "kind": "glossary"})
    contents.append({"href": "#method", "title": t("method.title", lang), "kind": "method"})
    context = _page_context(run_dir, brief, client_folder, lang, contents, status, created)
    page = typography_html(_environment().get_template("index.html.j2").render(**context), lang)
    out = run_dir / "index.html"
    out.write_text(page, encoding="utf-8")
    return out


def _anchor_cell(name: str, index: int) -> nbformat.NotebookNode:
    """A cell that only marks where a part starts in the combined report (a link target)."""
    cell = nbformat.v4.new_code_cell(source="")
    cell.id = f"wb-part-{index}"
    cell.outputs = [
        nbformat.v4.new_output(
            "display_data",
            data={"text/html": f'<div class="wb-part-anchor" id="part-{escape(name)}"></div>'},
        )
    ]
    return cell


def combined_notebook(run_dir: Path, parts: list[PartInfo]) -> nbformat.NotebookNode:
    """Every part's executed notebook, in order, in one notebook (a marker cell before each)."""
    merged = nbformat.v4.new_notebook()
    for index, part in enumerate(parts):
        nb = nbformat.read(run_dir / f"{part.name}.ipynb", as_version=4)
        if index == 0:
            merged.metadata.update(
                {k: v for k, v in nb.metadata.items() if k not in ("papermill", "widgets")}
            )
        merged.cells.append(_anchor_cell(part.name, index))
        for position, cell in enumerate(nb.cells):
            cell.id = f"p{index}-{position}"  # cell ids stay unique across parts
            merged.cells.append(cell)
    return merged


def write_report(
    run_dir: Path,
    brief: Brief,
    client_folder: Path,
    lang: str,
    parts: list[PartInfo],
    status: str,
    created: dt.datetime,
    inputs_digest: str = "",
    exporter: HTMLExporter | None = None,
) -> Path:
    """Write ``report.html``: cover, summary, contents, every part in order, KPI glossary, in one
    self-contained page (images embedded, nothing fetched); ``exporter`` as for :func:`render_part`."""
    contents = [{"href": f"#part-{part.name}", "title": part.title, "kind": "part"} for part in parts]
    contents.append({"href": "#glossary", "title": t("deliverable.glossary", lang), "kind": "glossary"})
    contents.append({"href": "#method", "title": t("method.title", lang), "kind": "method"})
    context = _page_context(run_dir, brief, client_folder, lang, contents, status, created)
    env = _environment()
    resources = {
        "metadata": {"name": t("deliverable.full_report", lang)},
        "workbook": {
            "client": brief.client.name,
            "part_title": t("deliverable.full_report", lang),
            "created": created.isoformat(),
            "inputs_digest": inputs_digest,
            "css": context["css"],
            "front": Markup(env.get_template("front.html.j2").render(**context)),
            "back": Markup(
                env.get_template("glossary.html.j2").render(**context)
                + env.get_template("method.html.j2").render(**context)
            ),
            "home_label": t("report.home", lang),
            "prev_href": "",
            "next_href": "",
            "report_href": "",
            "footer": t("report.footer", lang, client=brief.client.name),
        },
    }
    merged = combined_notebook(run_dir, parts)
    merged.metadata["title"] = f"{t('report.title', lang)} · {brief.client.name}"
    body, _ = (exporter or make_exporter(lang)).from_notebook_node(merged, resources=resources)
    out = run_dir / REPORT_HTML
    out.write_text(typography_html(body, lang), encoding="utf-8")
    return out


def read_glossary(run_dir: Path) -> list[dict]:
    """The KPIs the run's pages defined (``glossary.json``, noted by ``Run.record_kpi``)."""
    path = run_dir / file_of("glossary")
    if not path.is_file():
        return []
    return list(json.loads(path.read_text(encoding="utf-8")).values())


def glossary_rows(entries: list[dict], lang: str, conventions: Any) -> list[dict[str, str]]:
    """Glossary entries in words of ``lang``, by name: each KPI's name and definition in the variant
    the brief chose (``conventions``, its ``kpi`` block), its objective and unit."""
    words = catalogue(lang)
    rows = []
    for entry in entries:
        objective, unit = str(entry.get("objective", "")), str(entry.get("unit", ""))
        kpi_id = str(entry.get("id", ""))
        record = kpis.for_conventions(kpi_id, conventions) if kpi_id in kpis.KPIS else None
        rows.append(
            {
                "id": kpi_id,
                "name": record.name(lang) if record else kpi_id,
                "definition": record.definition(lang) if record else "",
                "objective": words.get(f"deliverable.objective_{objective}")
                or label("objective", objective, lang),
                "unit": words.get(f"deliverable.unit_{unit}", unit),
            }
        )
    return sorted(rows, key=lambda r: (r["name"].casefold(), r["id"]))


def glance_html(run_dir: Path, lang: str) -> Markup:
    """The page at a glance the report opens on (:func:`helpers.report.glance.render_html`), or
    nothing when the run did not get as far as writing ``glance.json`` (a failed run)."""
    if not (run_dir / file_of("glance")).is_file():
        return Markup("")
    return Markup(glance.render_html(run_dir, lang))  # noqa: S704 (every string is escaped there)


def read_summary(run_dir: Path) -> dict:
    """What the notebooks left for the executive summary (``summary.json``), if any."""
    path = run_dir / file_of("summary")
    if not path.is_file():
        return {}
    return json.loads(path.read_text(encoding="utf-8"))


class PdfError(RuntimeError):
    """The PDF of the combined report could not be printed (no Chromium, or Chromium failed)."""


def find_chromium() -> str | None:
    """The Chromium to print and test with: ``$WORKBOOK_CHROMIUM``, else the first on the ``PATH``."""
    configured = os.environ.get("WORKBOOK_CHROMIUM")
    if configured:
        return configured if Path(configured).is_file() and os.access(configured, os.X_OK) else None
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


def chromium_missing_message() -> str:
    return (
        "the PDF needs Chromium, which was not found (looked for $WORKBOOK_CHROMIUM, then "
        f"{', '.join(CHROMIUM_NAMES)} on the PATH). Install it with 'apt-get install chromium' "
        "(or 'make browser'), or set WORKBOOK_CHROMIUM to its path."
    )


def write_pdf(run_dir: Path, chromium: str | None = None, timeout: float = 300) -> Path:
    """Print the run's combined report (``report.html``) to ``report.pdf`` with headless Chromium.

    Raises:
        PdfError: Chromium is missing, or it did not write a PDF.
    """
    chromium = chromium or find_chromium()
    if chromium is None:
        raise PdfError(chromium_missing_message())
    source = (run_dir / REPORT_HTML).resolve()
    if not source.is_file():
        raise PdfError(f"{source} not found: the PDF is printed from the combined report")
    out = (run_dir / REPORT_PDF).resolve()
    out.unlink(missing_ok=True)
    with tempfile.TemporaryDirectory(prefix="wb-chromium-") as profile:
        command = [
            chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
            "--disable-background-networking", "--disable-extensions", "--no-first-run",
            "--no-default-browser-check", f"--user-data-dir={profile}", "--no-pdf-header-footer",
            f"--print-to-pdf={out}", source.as_uri(),
        ]  # fmt: skip
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise PdfError(f"Chromium ({chromium}) could not print {source}: {exc}") from exc
    if done.returncode != 0 or not out.is_file() or out.read_bytes()[:5] != b"%PDF-":
        raise PdfError(
            f"Chromium ({chromium}) did not print {source} (exit {done.returncode}): {done.stderr[-800:]}"
        )
    return out
