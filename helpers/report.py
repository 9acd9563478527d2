"""Client deliverables: code-free HTML parts and the ``index.html`` that ties them.

Parts are exported with nbconvert from our own template (``templates/client``), which
drops every script fetched from a CDN (require.js, MathJax, widgets, Mermaid) so the
HTML opens offline. Inputs, prompts, the parameters cells, stderr and bare object reprs
are removed. Every string that comes from the brief or the data is escaped.
"""

from __future__ import annotations

import base64
import datetime as dt
import html
import json
import mimetypes
from dataclasses import dataclass
from pathlib import Path

import nbformat
from jinja2 import Environment, FileSystemLoader, select_autoescape
from nbconvert import HTMLExporter
from nbconvert.preprocessors import Preprocessor, TagRemovePreprocessor

from helpers.brief import Brief
from helpers.config import NOTEBOOKS, TEMPLATES_DIR
from helpers.i18n import fmt_date, t

REMOVE_CELL_TAGS = {"remove-cell", "parameters", "injected-parameters", "strategist-note"}
REMOVE_INPUT_TAGS = {"remove-input", "hide-input"}
REMOVE_OUTPUT_TAGS = {"remove-output"}
_RICH = ("text/html", "image/png", "image/svg+xml", "image/jpeg", "text/markdown")


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
    return (TEMPLATES_DIR / "client.css").read_text(encoding="utf-8").replace("#1F4E79", colour)


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
            "footer": t("report.footer", lang, client=brief.client.name),
        },
    }
    nb.metadata["title"] = f"{part_title(name, lang)} · {brief.client.name}"
    body, _ = make_exporter(lang).from_notebook_node(nb, resources=resources)
    out.write_text(body, encoding="utf-8")
    return out


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


def write_index(
    run_dir: Path,
    brief: Brief,
    client_folder: Path,
    lang: str,
    parts: list[PartInfo],
    status: str,
    created: dt.datetime,
) -> Path:
    """Write ``index.html``: cover, executive summary from the run's files, links to parts."""
    summary = read_summary(run_dir)
    page = (
        _environment()
        .get_template("index.html.j2")
        .render(
            lang=lang,
            t=lambda key, **kw: t(key, lang, **kw),
            client=brief.client,
            period=(fmt_date(brief.period.start, lang), fmt_date(brief.period.end, lang)),
            horizon=(fmt_date(brief.horizon.start, lang), fmt_date(brief.horizon.end, lang)),
            created=fmt_date(created, lang),
            logo=logo_data_uri(client_folder, brief.branding.logo),
            css=brand_css(brief.branding.colour),
            parts=parts,
            status=status,
            summary=summary,
        )
    )
    out = run_dir / "index.html"
    out.write_text(page, encoding="utf-8")
    return out


def read_summary(run_dir: Path) -> dict:
    """What the notebooks left for the executive summary (``summary.json``), if any."""
    path = run_dir / "summary.json"
    if not path.is_file():
        return {}
    return json.loads(path.read_text(encoding="utf-8"))


def escape(text: object) -> str:
    """HTML-escape any value for display (quotes included)."""
    return html.escape(str(text), quote=True)
