"""One chart theme in the client's colour, and the charts of the series.

Chart functions take tables already computed and the words to print (already in the
report's language) and return a matplotlib ``Figure``; they compute nothing themselves.
"""

from __future__ import annotations

import datetime as dt
import math
import textwrap
from collections.abc import Callable, Sequence

import matplotlib
import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import matplotlib.ticker
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.colors import to_rgb
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

Formatter = Callable[[float], str]

CHANNEL_COLOURS = {
    "facebook": "#3b5998",
    "instagram": "#c13584",
    "linkedin": "#0a66c2",
    "x": "#333333",
    "tiktok": "#25c2bd",
    "youtube": "#d62d20",
}
_BRAND = {"colour": "#1F4E79"}


def apply_theme(colour: str) -> None:
    """Set the seaborn/matplotlib theme of every chart of the run in the client's colour."""
    _BRAND["colour"] = colour
    sns.set_theme(
        style="whitegrid",
        context="notebook",
        rc={
            "figure.figsize": (8, 4),
            "figure.dpi": 100,
            "axes.titlesize": 12,
            "axes.titleweight": "bold",
            "axes.titlelocation": "left",
            "axes.edgecolor": "#c8cdd3",
            "axes.spines.top": False,
            "axes.spines.right": False,
            "font.size": 10,
            "legend.frameon": False,
        },
    )


def brand_colour() -> str:
    return _BRAND["colour"]


def brand_palette(n: int) -> list:
    """``n`` shades from the client's colour (dark to light)."""
    base = np.array(to_rgb(_BRAND["colour"]))
    return [tuple(base + (1 - base) * (i / max(n, 1)) * 0.75) for i in range(n)]


def _axis(ax, formatter: Formatter | None, axis: str = "y") -> None:
    if formatter is not None:
        target = ax.yaxis if axis == "y" else ax.xaxis
        target.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _: formatter(v)))


def _colorbar(ax, formatter: Formatter) -> None:
    """Write the colour bar's ticks with the chart's formatter (the report's number style)."""
    for mappable in ax.collections:
        bar = getattr(mappable, "colorbar", None)
        if bar is not None:
            axis = bar.ax.xaxis if bar.orientation == "horizontal" else bar.ax.yaxis
            axis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _: formatter(v)))


#: A phone drawing's width in inches: 4 in at the report's 110 dpi is 440 px, shown at 360 px on a
#: 390 px phone, so its 8-point texts read at about 10 px.
PHONE_WIDTH = 4.0
#: Characters per line of a phone drawing's title (it wraps rather than overflowing).
PHONE_TITLE_CHARS = 42


def phone_title(title: str) -> str:
    """A title wrapped to the width of a phone drawing (:data:`PHONE_TITLE_CHARS`)."""
    return "\n".join(textwrap.wrap(title, PHONE_TITLE_CHARS)) or title


#: Sweeps of the barycentre ordering of :func:`layered_order` (down then up): a tree of a few
#: dozen boxes settles in two or three.
ORDER_SWEEPS = 4


def crossings(levels: Sequence[Sequence[str]], links: Sequence[tuple[str, ...]]) -> int:
    """How many links cross between consecutive levels, each level drawn top to bottom in order.

    ``links`` are paths through the levels (one name per level, e.g. business objective, social
    objective, KPI); a link between two levels counts once however many paths share it.
    """
    total = 0
    for depth in range(len(levels) - 1):
        top = {name: i for i, name in enumerate(levels[depth])}
        low = {name: i for i, name in enumerate(levels[depth + 1])}
        pairs = sorted({(top[path[depth]], low[path[depth + 1]]) for path in links})
        total += sum(1 for i, (a, b) in enumerate(pairs) for c, d in pairs[i + 1 :] if a < c and b > d)
    return total


def layered_order(levels: Sequence[Sequence[str]], links: Sequence[tuple[str, ...]]) -> list[list[str]]:
    """The levels of a layered chart reordered so that fewer links cross (barycentre heuristic).

    Each sweep places every name at the mean position of the names it is linked to in the level
    above (going down) or below (going up), ties kept in the given order; the order with the
    fewest :func:`crossings` seen is returned (the given one if nothing does better).
    """
    order = [list(level) for level in levels]
    best, best_count = [list(level) for level in order], crossings(order, links)
    for sweep in range(ORDER_SWEEPS):
        down = sweep % 2 == 0
        depths = range(1, len(order)) if down else range(len(order) - 2, -1, -1)
        for depth in depths:
            near = depth - 1 if down else depth + 1
            where = {name: i for i, name in enumerate(order[near])}

            def centre(name: str, depth: int = depth, near: int = near, where: dict = where) -> float:
                linked = {where[path[near]] for path in links if path[depth] == name}
                return sum(linked) / len(linked) if linked else order[depth].index(name)

            order[depth] = sorted(order[depth], key=centre)
        count = crossings(order, links)
        if count < best_count:
            best, best_count = [list(level) for level in order], count
    return best


def lines(
    frame: pd.DataFrame,
    title: str,
    ylabel: str,
    formatter: Formatter | None = None,
    xlabels: Sequence[str] | None = None,
    colours: dict[str, str] | None = None,
    legend: dict[str, str] | None = None,
) -> Figure:
    """One line per column of ``frame`` (index = x)."""
    fig, ax = plt.subplots(figsize=(8, 3.8))
    colours = colours or {}
    palette = brand_palette(len(frame.columns))
    for i, column in enumerate(frame.columns):
        ax.plot(
            range(len(frame.index)),
            frame[column].to_numpy(dtype=float),
            marker="o",
            ms=3,
            lw=2,
            color=colours.get(column, palette[i]),
            label=(legend or {}).get(column, column),
        )
    ticks = xlabels if xlabels is not None else [str(i) for i in frame.index]
    step = max(1, math.ceil(len(ticks) / 6))
    ax.set_xticks(range(0, len(ticks), step), [ticks[i] for i in range(0, len(ticks), step)])
    ax.set_title(title)
    ax.set_ylabel(ylabel)
    _axis(ax, formatter)
    if len(frame.columns) > 1:
        ax.legend(loc="best", fontsize=9)
    fig.tight_layout()
    return fig


def bars(
    values: pd.Series,
    title: str,
    xlabel: str,
    formatter: Formatter | None = None,
    highlight: str | None = None,
    labels: Sequence[str] | None = None,
) -> Figure:
    """Horizontal bars, values written at the end of each bar; ``highlight`` in brand colour."""
    fig, ax = plt.subplots(figsize=(8, 0.45 * len(values) + 1.2))
    names = list(labels) if labels is not None else [str(i) for i in values.index]
    colours = [
        brand_colour() if (highlight is None or str(k) == highlight) else "#b8c0c8" for k in values.index
    ]
    ax.barh(names[::-1], values.to_numpy(dtype=float)[::-1], color=colours[::-1])
    for y, v in enumerate(values.to_numpy(dtype=float)[::-1]):
        ax.text(v, y, " " + (formatter(v) if formatter else f"{v:g}"), va="center", fontsize=9)
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    _axis(ax, formatter, "x")
    ax.margins(x=0.18)
    fig.tight_layout()
    return fig


def heatmap(
    values: pd.DataFrame,
    counts: pd.DataFrame,
    title: str,
    xlabel: str,
    ylabel: str,
    min_count: int,
    formatter: Formatter,
    colorbar_label: str,
    portrait: bool = False,
) -> Figure:
    """A heatmap whose cells show the value and the sample size (``n``); thin cells greyed.

    With ``portrait``, the phone drawing: rows and columns swapped (``values``' columns down the
    side, so a day-by-hour grid reads hour by hour), :data:`PHONE_WIDTH` wide, the title wrapped
    and the colour bar under the grid.
    """
    shown = values.where(counts >= min_count)
    if portrait:
        values, counts, shown, xlabel, ylabel = values.T, counts.T, shown.T, ylabel, xlabel
        size = (PHONE_WIDTH, 0.36 * values.shape[0] + 2.2)
        bar = {"label": colorbar_label, "orientation": "horizontal", "pad": 0.06, "shrink": 0.9}
        fontsize, title = 7.5, phone_title(title)
    else:
        size = (max(8, 0.55 * values.shape[1] + 2), 0.55 * values.shape[0] + 1.6)
        bar, fontsize = {"label": colorbar_label}, 6.5
    fig, ax = plt.subplots(figsize=size)
    ax.set_facecolor("#eceff2")
    cmap = sns.light_palette(brand_colour(), as_cmap=True)
    sns.heatmap(shown, ax=ax, cmap=cmap, cbar_kws=bar, linewidths=0.5, linecolor="white")
    ax.grid(False)  # the theme's grid would cross the greyed cells
    _colorbar(ax, formatter)
    n_cells = counts.to_numpy(dtype=int)
    for (r, c), v in np.ndenumerate(values.to_numpy(dtype=float)):
        n = int(n_cells[r, c])
        if n == 0:
            continue
        text = f"{formatter(v)}\nn={n}" if n >= min_count else f"n={n}"
        ax.text(
            c + 0.5,
            r + 0.5,
            text,
            ha="center",
            va="center",
            fontsize=fontsize,
            color="#1d232a" if n >= min_count else "#8a939c",
        )
    ax.set_title(title, pad=10 if portrait else None)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    if portrait:
        ax.tick_params(axis="x", labeltop=True, labelbottom=False, top=True, bottom=False)
        ax.xaxis.set_label_position("top")
        plt.setp(ax.get_yticklabels(), rotation=0)
    fig.tight_layout()
    return fig


def matrix(values: pd.DataFrame, title: str, formatter: Formatter, colorbar_label: str) -> Figure:
    """A scored matrix (rows × criteria) as an annotated heatmap."""
    fig, ax = plt.subplots(figsize=(max(7, 1.1 * values.shape[1] + 2), 0.6 * values.shape[0] + 1.6))
    annot = values.map(formatter)
    sns.heatmap(
        values.astype(float),
        annot=annot,
        fmt="",
        ax=ax,
        linewidths=0.5,
        linecolor="white",
        cmap=sns.light_palette(brand_colour(), as_cmap=True),
        cbar_kws={"label": colorbar_label},
    )
    _colorbar(ax, formatter)
    # the heatmap leaves a cell without data blank: write it as unknown (``n/a``), never as 0
    ax.grid(False)
    for (row, col), value in np.ndenumerate(values.astype(float).to_numpy()):
        if np.isnan(value):
            ax.text(col + 0.5, row + 0.5, formatter(value), ha="center", va="center", color="#8a939c")
    ax.set_title(title)
    ax.set_xlabel("")
    ax.set_ylabel("")
    plt.setp(ax.get_xticklabels(), rotation=25, ha="right")
    plt.setp(ax.get_yticklabels(), rotation=0)
    fig.tight_layout()
    return fig


def trajectory(
    history: pd.Series,
    forecast: pd.DataFrame,
    target_date,
    target_value: float,
    title: str,
    labels: dict[str, str],
    formatter: Formatter,
    month_label: Callable[[dt.date], str] | None = None,
) -> Figure:
    """A goal's history, the trend forecast with its interval, and the target point.

    ``month_label`` writes the date axis in the report's language (``nov. 2025``).
    """
    fig, ax = plt.subplots(figsize=(8, 3.6))
    ax.plot(
        history.index,
        history.to_numpy(dtype=float),
        marker="o",
        ms=3,
        color=brand_colour(),
        label=labels["history"],
    )
    if not forecast.empty:
        ax.plot(forecast.index, forecast["mean"], ls="--", color="#5b6570", label=labels["forecast"])
        ax.fill_between(
            forecast.index,
            forecast["low"],
            forecast["high"],
            color="#5b6570",
            alpha=0.15,
            label=labels["interval"],
        )
    ax.scatter(
        [target_date], [target_value], marker="*", s=180, color="#b3261e", zorder=5, label=labels["target"]
    )
    ax.set_title(title)
    _axis(ax, formatter)
    ax.legend(loc="best", fontsize=8)
    if month_label is not None:
        ax.xaxis.set_major_locator(mdates.MonthLocator(interval=2))
        ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _pos: month_label(mdates.num2date(x).date())))
    fig.autofmt_xdate()
    fig.tight_layout()
    return fig
