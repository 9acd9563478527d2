"""Blocks a notebook shows: headings, generated sentences, tables and figures.

Each returns an object that Jupyter renders as HTML (``_repr_html_``), so a notebook cell
ends with one call. Every string from the brief or the data is escaped here, once.
"""

from __future__ import annotations

import base64
import html
import io
from collections.abc import Callable, Iterable, Mapping

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.figure import Figure


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


class Block:
    """A piece of HTML that Jupyter displays and nbconvert keeps."""

    def __init__(self, markup: str):
        self.markup = markup

    def _repr_html_(self) -> str:
        return self.markup

    def __add__(self, other: Block) -> Block:
        return Block(self.markup + other.markup)

    def __repr__(self) -> str:  # a plain repr never reaches the client HTML
        return f"Block({len(self.markup)} chars)"


def heading(text: str, level: int = 2) -> Block:
    return Block(f"<h{level}>{_e(text)}</h{level}>")


def say(*sentences: str) -> Block:
    """One paragraph of generated sentences."""
    return Block(f'<p class="wb-say">{_e(" ".join(s for s in sentences if s))}</p>')


def bullets(items: Iterable[str]) -> Block:
    return Block("<ul>" + "".join(f"<li>{_e(i)}</li>" for i in items) + "</ul>")


def caption(text: str) -> Block:
    return Block(f'<p class="wb-caption">{_e(text)}</p>')


def card(title: str, lines: Iterable[str], css_class: str = "") -> Block:
    body = "".join(f"<div>{_e(line)}</div>" for line in lines)
    return Block(f'<div class="wb-card"><strong class="{_e(css_class)}">{_e(title)}</strong>{body}</div>')


def table(
    frame: pd.DataFrame,
    formats: Mapping[str, Callable[[object], str]] | None = None,
    headers: Mapping[str, str] | None = None,
    note: str = "",
    classes: Mapping[str, Callable[[object], str]] | None = None,
) -> Block:
    """An escaped HTML table.

    Args:
        frame: rows to show; its columns in order.
        formats: per column, a function turning a value into text (numbers in the report's
            language); other columns are shown with ``str``.
        headers: per column, the header to show (translated); defaults to the column name.
        note: a caption under the table (definition of the figures, source).
        classes: per column, a function giving a CSS class for a cell (``wb-ok``, ``wb-bad``).
    """
    formats = formats or {}
    headers = headers or {}
    classes = classes or {}
    numeric = {c for c in frame.columns if pd.api.types.is_numeric_dtype(frame[c])}
    head = "".join(
        f'<th class="{"num" if c in numeric else ""}">{_e(headers.get(c, c))}</th>' for c in frame.columns
    )
    rows = []
    for record in frame.itertuples(index=False):
        cells = []
        for column, value in zip(frame.columns, record, strict=True):
            text = formats[column](value) if column in formats else ("" if pd.isna(value) else value)
            css = ("num " if column in numeric else "") + (
                classes[column](value) if column in classes else ""
            )
            cells.append(f'<td class="{css.strip()}">{_e(text)}</td>')
        rows.append("<tr>" + "".join(cells) + "</tr>")
    markup = f'<table class="wb-table"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>'
    if note:
        markup += caption(note).markup
    return Block(f'<div class="wb-table-wrap">{markup}</div>')


def figure(fig: Figure, alt: str, note: str = "") -> Block:
    """A matplotlib figure embedded as PNG (opens offline), with alt text and a caption."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=110, bbox_inches="tight")
    plt.close(fig)
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    markup = (
        f'<figure class="wb-figure"><img src="data:image/png;base64,{data}" alt="{_e(alt)}">'
        + (f'<figcaption class="wb-caption">{_e(note)}</figcaption>' if note else "")
        + "</figure>"
    )
    return Block(markup)
