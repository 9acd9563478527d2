"""Blocks a notebook shows: headings, generated sentences, tables and figures.

Each returns an object that Jupyter renders as HTML (``_repr_html_``), so a notebook cell
ends with one call. Every string from the brief or the data is escaped here, once.
"""

from __future__ import annotations

import base64
import functools
import html
import io
import re
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING

import pandas as pd

from helpers.report.i18n import typography, unknown

if TYPE_CHECKING:  # matplotlib is imported where a chart is drawn, not by the deliverables' export
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure
    from matplotlib.text import Text


def _missing(value: object) -> bool:
    """None, NaN, NaT or pandas' NA (a scalar; a list in a cell is never missing)."""
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def escape(value: object) -> str:
    """HTML-escape any value for display, quotes included: the one escaping of the deliverables.

    Every block below calls it (through :func:`_e`) on each string from the brief or the data.
    """
    return html.escape(str(value), quote=True)


def _e(value: object) -> str:
    return escape(value)


#: A link a generated sentence carries to the report's appendix: ``[[kpi:ID|words]]`` to a KPI's
#: glossary entry (``#kpi-ID``), ``[[method:ID|words]]`` to a method entry (``#method-ID``). Pages
#: write it with :func:`link`; :func:`linked` turns it into an ``<a>`` once the text is escaped.
_LINK = re.compile(r"\[\[(kpi|method):([a-z0-9_]+)\|([^\[\]]+)\]\]")


def link(kind: str, ident: str, words: str) -> str:
    """A link to the appendix inside a sentence: ``kind`` is ``kpi`` (the glossary) or ``method``.

    Raises:
        ValueError: an unknown kind, an id that is not snake_case, or words with brackets.
    """
    marker = f"[[{kind}:{ident}|{words}]]"
    if not _LINK.fullmatch(marker):
        raise ValueError(
            f"link({kind!r}, {ident!r}, {words!r}): expected kind kpi or method, a snake_case id "
            "and words without brackets"
        )
    return marker


def linked(text: object) -> str:
    """``text`` escaped, its :func:`link` markers turned into links to ``#kpi-…`` / ``#method-…``."""
    return _LINK.sub(
        lambda m: f'<a class="wb-ref" href="#{m[1]}-{m[2]}">{m[3]}</a>', escape(text)
    )


def unlinked(text: str) -> str:
    """``text`` with its :func:`link` markers reduced to their words (for plain-text outputs)."""
    return _LINK.sub(lambda m: m[3], text)


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


class Section(Block):
    """What a notebook cell computes: rendered as HTML for the reader, and the figures behind it
    for the strategist.

    Attributes:
        table: the section's main table as a DataFrame (raw values: numbers, ids, dates), or an
            empty frame when the section has none. Filter, sort or export it as any DataFrame.
        figure: the section's chart as a matplotlib Figure, or ``None`` when it draws none.
        data: the other tables the section computed (``section.data["trend"]``...), which the
            notebook's save cell hands on to the next steps.

    Jupyter and the exported report show the HTML (``_repr_html_``); ``section.table`` and
    ``section.figure`` display as a DataFrame and a chart of their own.
    """

    def __init__(
        self,
        block: Block,
        table: pd.DataFrame | None = None,
        figure: Figure | None = None,
        **data: object,
    ) -> None:
        super().__init__(block.markup)
        self.table = table if table is not None else pd.DataFrame()
        self.figure = figure
        self.data = data

    def __repr__(self) -> str:  # a plain repr never reaches the client HTML
        shape = "x".join(map(str, self.table.shape))
        return f"Section(table {shape}, figure {'yes' if self.figure is not None else 'none'})"


def heading(text: str, level: int = 2) -> Block:
    return Block(f"<h{level}>{_e(text)}</h{level}>")


def say(*sentences: str) -> Block:
    """One paragraph of generated sentences."""
    return Block(f'<p class="wb-say">{linked(" ".join(s for s in sentences if s))}</p>')


def bullets(items: Iterable[str]) -> Block:
    return Block("<ul>" + "".join(f"<li>{_e(i)}</li>" for i in items) + "</ul>")


def caption(text: str) -> Block:
    """A note under a table or a chart; its :func:`link` markers become links."""
    return Block(f'<p class="wb-caption">{linked(text)}</p>')


@functools.cache
def blocks_css() -> str:
    """The blocks' own styles (``templates/blocks.css``), read once: the notebooks' outputs and the
    deliverables' stylesheet both start from them."""
    from helpers.config import TEMPLATES_DIR

    return (TEMPLATES_DIR / "blocks.css").read_text(encoding="utf-8")


def stylesheet() -> Block:
    """The blocks' stylesheet (``templates/blocks.css``: tables, cards, ✓/✗ marks, class colours) as
    a ``<style>`` block, so a notebook's outputs read as the report does, in JupyterLab and offline.
    The page title of each notebook and the goal builder carry it."""
    return Block(f"<style>{blocks_css()}</style>")


def card(title: str, lines: Iterable[str | Block], css_class: str = "") -> Block:
    """A framed card: a title (coloured by ``css_class``: ``wb-ok``, ``wb-warn``, ``wb-bad``,
    ``wb-muted``) over lines of text (escaped) or of blocks (kept as they are)."""
    body = "".join(line.markup if isinstance(line, Block) else f"<div>{_e(line)}</div>" for line in lines)
    return Block(f'<div class="wb-card"><strong class="{_e(css_class)}">{_e(title)}</strong>{body}</div>')


#: From this many columns a table is "wide": a smaller font and tighter cells on a screen (a 1080 px
#: page holds about six columns of numbers with wrapped headers at the normal size).
WIDE_FROM_COLUMNS = 7
#: From this many columns a table becomes a stack of cards on a phone (each row a card, each value
#: under its column's label): two or three columns still fit a 360 px screen side by side.
STACK_FROM_COLUMNS = 4


def table_classes(columns: int) -> str:
    """The CSS classes of a table of ``columns`` columns (``wb-wide``, ``wb-stack``): how it reflows
    on a screen (see :data:`WIDE_FROM_COLUMNS`) and on a phone (:data:`STACK_FROM_COLUMNS`)."""
    classes = ["wb-table"]
    if columns >= WIDE_FROM_COLUMNS:
        classes.append("wb-wide")
    if columns >= STACK_FROM_COLUMNS:
        classes.append("wb-stack")
    return " ".join(classes)


def table_cell(markup: str, label: str, css: str = "") -> str:
    """One ``<td>``: ``markup`` (already escaped), its column's label as ``data-label`` (what a phone
    shows before the value when the table is stacked as cards) and its CSS classes."""
    return f'<td class="{_e(css.strip())}" data-label="{_e(label)}">{markup}</td>'


def table(
    frame: pd.DataFrame,
    formats: Mapping[str, Callable[[object], str]] | None = None,
    headers: Mapping[str, str] | None = None,
    note: str = "",
    classes: Mapping[str, Callable[[object], str]] | None = None,
    *,
    lang: str,
) -> Block:
    """An escaped HTML table.

    Args:
        frame: rows to show; its columns in order.
        formats: per column, a function turning a value into text (numbers in the report's
            language; the function writes a missing value too); other columns are shown with ``str``.
        headers: per column, the header to show (translated); defaults to the column name.
        note: a caption under the table (definition of the figures, source).
        classes: per column, a function giving a CSS class for a cell (``wb-ok``, ``wb-bad``).
        lang: the report's language. In a column without a format, a missing number or date
            reads ``n.d.`` / ``n/a`` (:func:`helpers.report.i18n.unknown`: unknown, not 0 nor
            ``<NA>``); a missing text (no name, no campaign) is left empty. Text cells follow the
            language's typography (:func:`helpers.report.i18n.typography`).
    """
    formats = formats or {}
    headers = headers or {}
    classes = classes or {}
    numeric = {c for c in frame.columns if pd.api.types.is_numeric_dtype(frame[c])}
    #: columns of numbers and dates, where a missing value is unknown rather than empty
    measured = numeric | {c for c in frame.columns if pd.api.types.is_datetime64_any_dtype(frame[c])}
    labels = {c: str(headers.get(c, c)) for c in frame.columns}
    head = "".join(f'<th class="{"num" if c in numeric else ""}">{_e(labels[c])}</th>' for c in frame.columns)
    rows = []
    for record in frame.itertuples(index=False):
        cells = []
        for column, value in zip(frame.columns, record, strict=True):
            if column in formats:
                text = formats[column](value)
            elif _missing(value):
                text = unknown(lang) if column in measured else ""
            else:
                text = value
            if isinstance(text, str):
                text = typography(text, lang)  # French: narrow spaces before : ; ! ? and in « »
            css = ("num " if column in numeric else "") + (
                classes[column](value) if column in classes else ""
            )
            cells.append(table_cell(_e(text), labels[column], css))
        rows.append("<tr>" + "".join(cells) + "</tr>")
    markup = (
        f'<table class="{table_classes(len(frame.columns))}"><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )
    if note:
        markup += caption(note).markup
    return Block(f'<div class="wb-table-wrap">{markup}</div>')


def chart_title(fig: Figure) -> str:
    """The title a chart shows: its suptitle, else the first axes title (any location)."""
    suptitle = getattr(fig, "_suptitle", None)
    candidates = [suptitle.get_text() if suptitle is not None else ""]
    candidates += [ax.get_title(loc) for ax in fig.axes for loc in ("center", "left", "right")]
    return next((" ".join(c.split()) for c in candidates if c.strip()), "")


def _axes_texts(ax: Axes) -> list[Text]:
    """The texts an axes draws: titles, free texts, legend and, when its axis is shown, labels and ticks."""
    texts = [ax.title, ax._left_title, ax._right_title, *ax.texts]
    legend = ax.get_legend()
    if legend is not None:
        texts += [legend.get_title(), *legend.get_texts()]
    if ax.axison:
        texts += [ax.xaxis.label, ax.yaxis.label, *ax.get_xticklabels(), *ax.get_yticklabels()]
    return texts


def chart_texts(fig: Figure) -> list[str]:
    """Every text a drawn chart shows, once each: titles, axes, ticks, colour bars, legends, labels."""
    suptitle = getattr(fig, "_suptitle", None)
    texts = ([suptitle] if suptitle is not None else []) + list(fig.texts)
    for legend in fig.legends:
        texts += [legend.get_title(), *legend.get_texts()]
    for ax in fig.axes:
        texts += _axes_texts(ax)
    seen: dict[str, None] = {}
    for artist in texts:
        words = " ".join(artist.get_text().split())
        if words and artist.get_visible():
            seen.setdefault(words, None)
    return list(seen)


#: The widest screen that gets a chart's phone drawing (``figure(..., phone=...)``); the same width
#: turns wide tables into cards in ``templates/blocks.css`` (``@media screen and (max-width: 600px)``).
PHONE_MAX_WIDTH = 600


def _png(fig: Figure) -> str:
    """The chart as a PNG data URI (the figure is closed)."""
    import matplotlib.pyplot as plt

    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=110, bbox_inches="tight")
    plt.close(fig)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def figure(fig: Figure, alt: str = "", note: str = "", phone: Figure | None = None) -> Block:
    """A matplotlib figure embedded as PNG (opens offline), with its title as alt text and a caption.

    Args:
        fig: the chart (closed once rendered).
        alt: the alternative text when the chart has no title; a titled chart's alt is its title.
        note: the caption under the chart (the KPI's definition, the source).
        phone: the same chart drawn for a phone (narrow and tall, legible at 360 px), shown instead
            of ``fig`` on screens up to :data:`PHONE_MAX_WIDTH` pixels (a ``<picture>`` source).

    The image also carries every text drawn in the chart (``data-chart-text``; both drawings' when
    there is a phone one), so a test can check that titles, axes, ticks and legends are in the
    report's language.
    """
    title = chart_title(fig) or alt
    texts = list(dict.fromkeys(chart_texts(fig) + (chart_texts(phone) if phone is not None else [])))
    image = f'<img src="{_png(fig)}" alt="{_e(title)}" data-chart-text="{_e(" | ".join(texts))}">'
    if phone is not None:
        source = f'<source media="(max-width: {PHONE_MAX_WIDTH}px)" srcset="{_png(phone)}">'
        image = f"<picture>{source}{image}</picture>"
    markup = (
        f'<figure class="wb-figure">{image}'
        + (f'<figcaption class="wb-caption">{linked(note)}</figcaption>' if note else "")
        + "</figure>"
    )
    return Block(markup)
