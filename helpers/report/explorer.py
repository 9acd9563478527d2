"""The post explorer of ``01_observation``: every post of the period, filtered by network, format,
month, weekday and hour, searched in its text and sorted by any figure, with its link.

:func:`posts_frame` gives one row per post with the brief's engagement rate; :func:`filter_posts`,
:func:`sort_posts` and :func:`top_flop` are pure functions on that frame. :class:`PostExplorer`
puts them behind ipywidgets in JupyterLab; anywhere widgets do not run (papermill, nbconvert, the
client HTML) the same object renders as a static, escaped HTML table of its first rows.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable, Iterable
from typing import Any

import numpy as np
import pandas as pd

from helpers import kpis
from helpers.method.observation import local_times
from helpers.report.display import Block, escape, table_cell, table_classes
from helpers.report.i18n import (
    catalogue,
    fmt_date,
    fmt_month,
    fmt_number,
    fmt_time,
    format_value,
    label,
    typography,
    unknown,
    weekday_names,
)
from helpers.run.context import Run

#: The value of a filter that keeps every post.
ALL = "all"
#: The filters of the explorer, in the order its controls show them.
FILTERS = ("network", "format", "month", "weekday", "hour")
#: The columns of :func:`posts_frame`, in order.
COLUMNS = (
    "post_id",
    "published",
    "channel",
    "format",
    "caption",
    "permalink",
    "impressions",
    "reach",
    "interactions",
    "engagement_rate",
    "paid",
    "month",
    "weekday",
    "hour",
    "text",
)
#: The columns the explorer's table shows.
SHOWN = (
    "published",
    "channel",
    "format",
    "caption",
    "impressions",
    "reach",
    "interactions",
    "engagement_rate",
    "paid",
    "permalink",
)
#: The columns the explorer can sort by.
SORTABLE = (
    "published",
    "engagement_rate",
    "interactions",
    "impressions",
    "reach",
    "channel",
    "format",
    "paid",
)
NUMERIC = {"impressions", "reach", "interactions", "engagement_rate", "rank"}
CAPTION_WIDTH = 80
_SAFE_URL = re.compile(r"https?://[^\s\x00-\x1f\x7f\"'<>`\\]+", re.IGNORECASE)


# --------------------------------------------------------------------------- the frame
def excerpt(text: Any, width: int = CAPTION_WIDTH) -> Any:
    """The first ``width`` characters of a post's text (spaces collapsed), cut at a word and ended
    with ``…`` when the text is longer; NA stays NA."""
    if text is None or text is pd.NA or (isinstance(text, float) and np.isnan(text)):
        return pd.NA
    words = " ".join(str(text).split())
    if len(words) <= width:
        return words
    cut = words[: width - 1]
    space = cut.rfind(" ")
    if space > width // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:.-–") + "…"


def posts_frame(run: Run) -> pd.DataFrame:
    """One row per post of the run's period, as a strategist reads it.

    Args:
        run: the client's run; its ``posts`` and ``followers`` tables, its time zone and the
            brief's engagement-rate convention (``run.brief.kpi``) are used.

    Returns:
        A frame with the columns of :data:`COLUMNS`, oldest post first (then by ``post_id``):
        ``published`` (tz-aware, in the client's zone), ``channel``, ``format``, ``caption`` (the
        text cut to about 80 characters with ``…``), ``permalink`` (NA when unknown),
        ``impressions``, ``reach`` and ``interactions`` (floats), ``engagement_rate`` (each post's
        rate with the brief's denominator, :meth:`helpers.kpis.EngagementConvention.per_post`),
        ``paid`` (boolean, NA when unknown), ``month`` (``YYYY-MM``), ``weekday`` (0 = Monday),
        ``hour`` (local), ``text`` (the whole text, which the search reads). An unknown
        figure stays NaN, never 0.
    """
    posts, followers = run.table("posts"), run.table("followers")
    local = local_times(posts, run.tz)

    def column(name: str, dtype: str) -> pd.Series:
        """A column of the posts; a missing one is unknown (NA), not zero."""
        if name in posts.columns:
            return posts[name].astype(dtype)
        return pd.Series(pd.NA, index=posts.index, dtype=dtype)

    frame = pd.DataFrame(
        {
            "post_id": column("post_id", "string"),
            "published": local,
            "channel": column("channel", "string"),
            "format": column("format", "string"),
            "caption": column("text", "string").map(excerpt, na_action="ignore").astype("string"),
            "permalink": column("permalink", "string"),
            "impressions": pd.to_numeric(column("impressions", "Float64")).astype("float64"),
            "reach": pd.to_numeric(column("reach", "Float64")).astype("float64"),
            "interactions": kpis.interactions(posts),
            "engagement_rate": kpis.EngagementConvention.of(run.brief.kpi).per_post(posts, followers),
            "paid": column("paid", "boolean"),
            "month": local.dt.strftime("%Y-%m").astype("string"),
            "weekday": local.dt.day_of_week.astype("int64"),
            "hour": local.dt.hour.astype("int64"),
            "text": column("text", "string"),
        },
        index=posts.index,
    )
    frame = frame.sort_values(["published", "post_id"], kind="mergesort")
    return frame.reset_index(drop=True)[list(COLUMNS)]


# --------------------------------------------------------------------------- filters and order
def _fold(text: pd.Series | str) -> Any:
    """Lower case without accents, so ``Crème`` is found by ``creme``."""

    def one(value: str) -> str:
        decomposed = unicodedata.normalize("NFKD", value)
        return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()

    if isinstance(text, str):
        return one(text)
    return text.fillna("").astype(str).map(one)


def _is_all(value: Any) -> bool:
    return value is None or (isinstance(value, str) and value == ALL)


def filter_posts(
    frame: pd.DataFrame,
    network: str | None = ALL,
    format: str | None = ALL,
    month: str | None = ALL,
    weekday: int | str | None = ALL,
    hour: int | str | None = ALL,
    search: str = "",
) -> pd.DataFrame:
    """The posts of ``frame`` (from :func:`posts_frame`) that pass every filter given.

    Args:
        frame: the posts.
        network: a ``channel`` value, or ``"all"`` / None for every network.
        format: a ``format`` value, or ``"all"`` / None.
        month: a ``month`` value (``YYYY-MM``), or ``"all"`` / None.
        weekday: 0 (Monday) to 6, or ``"all"`` / None; with ``hour`` it picks a slot.
        hour: 0 to 23 (local), or ``"all"`` / None.
        search: words that must all appear in the post's text (case and accents ignored,
            taken literally); ``""`` keeps every post.

    Returns:
        The matching rows, in the order and with the index of ``frame``.
    """
    keep = pd.Series(True, index=frame.index)
    for column, value in (("channel", network), ("format", format), ("month", month)):
        if not _is_all(value):
            keep &= frame[column].eq(value).fillna(False).astype(bool)
    for column, value in (("weekday", weekday), ("hour", hour)):
        if not _is_all(value):
            keep &= frame[column].eq(int(value))
    words = _fold(search or "").split()
    if words:
        folded = _fold(frame["text"] if "text" in frame.columns else frame["caption"])
        for word in words:
            keep &= folded.str.contains(word, regex=False)
    return frame[keep.to_numpy()]


def sort_posts(frame: pd.DataFrame, by: str = "engagement_rate", ascending: bool = False) -> pd.DataFrame:
    """The posts ordered by one column, unknown values last whatever the direction; ties keep the
    order of publication then of ``post_id``, so the order is the same at every call.

    Args:
        frame: the posts (from :func:`posts_frame`, possibly filtered).
        by: the column to order by (``engagement_rate`` by default).
        ascending: smallest first; False (the default) puts the largest first.

    Returns:
        The same rows, index kept, in the new order.

    Raises:
        KeyError: ``by`` is not a column of ``frame``.
    """
    if by not in frame.columns:
        raise KeyError(f"cannot sort by {by!r}: no such column ({', '.join(frame.columns)})")
    ties = [c for c in ("published", "post_id") if c in frame.columns and c != by]
    ordered = frame.sort_values(ties, kind="mergesort") if ties else frame
    return ordered.sort_values(by, ascending=ascending, na_position="last", kind="mergesort")


def top_flop(
    frame: pd.DataFrame,
    n: int = 3,
    by: str = "engagement_rate",
    min_impressions: float = 0.0,
) -> pd.DataFrame:
    """Per network, the ``n`` best and the ``n`` worst posts by one figure, for the client report.

    Args:
        frame: the posts (from :func:`posts_frame`, possibly filtered).
        n: posts on each side, per network.
        by: the figure that ranks the posts (``engagement_rate`` by default).
        min_impressions: posts with fewer impressions are left out (a rate on a handful of
            views is noise); when above 0, posts whose impressions are unknown are left out too.

    Returns:
        The rows of ``frame`` with ``group`` (``"top"`` or ``"flop"``) and ``rank`` (1 = the
        best of the tops, the worst of the flops) in front: networks in alphabetical order, tops
        before flops. Posts whose ``by`` is unknown are never ranked; a post is never both a top
        and a flop (a network with fewer than ``2 n`` ranked posts has fewer flops). Ties are
        broken by publication time, then ``post_id``.
    """
    ranked = frame[frame[by].notna()]
    if min_impressions > 0:
        ranked = ranked[ranked["impressions"].fillna(-np.inf) >= min_impressions]
    parts = []
    for _, posts in sorted(ranked.groupby("channel", sort=False), key=lambda item: str(item[0])):
        best = sort_posts(posts, by, ascending=False).head(n)
        worst = sort_posts(posts.drop(best.index), by, ascending=True).head(n)
        for group, rows in (("top", best), ("flop", worst)):
            parts.append(rows.assign(group=group, rank=np.arange(1, len(rows) + 1)))
    columns = ["group", "rank", *frame.columns]
    if not parts:
        return pd.DataFrame(columns=columns)
    return pd.concat(parts)[columns]


# --------------------------------------------------------------------------- rendering
def safe_link(url: Any, text: str) -> str:
    """An ``<a>`` opening ``url`` in a new tab when it is a plain http(s) address; anything else
    (``javascript:``, ``data:``, relative paths, spaces or quotes) comes back as escaped text."""
    if url is None or url is pd.NA or (isinstance(url, float) and np.isnan(url)):
        return ""
    address = str(url).strip()
    if _SAFE_URL.fullmatch(address):
        return f'<a href="{escape(address)}" target="_blank" rel="noopener">{escape(text)}</a>'
    return escape(address)


def _header(run: Run, column: str) -> str:
    """A column's header: ``col.<name>`` where the catalogue has it, else ``explorer.col.<name>``."""
    key = f"col.{column}"
    return run.t(key if key in catalogue(run.lang) else f"explorer.col.{column}")


def _time(value: dt.time, lang: str) -> str:
    return fmt_time(value, lang)


def _published(value: Any, lang: str) -> str:
    if value is None or value is pd.NaT or pd.isna(value):
        return unknown(lang)
    return f"{fmt_date(value, lang)} {_time(value.time(), lang)}"


def _formats(run: Run) -> dict[str, Callable[[Any], str]]:
    """Per column, the text a cell shows (numbers, dates and labels in the run's language)."""
    lang = run.lang
    days = weekday_names(lang)

    def known(write: Callable[[Any], str]) -> Callable[[Any], str]:
        return lambda v: unknown(lang) if v is None or pd.isna(v) else write(v)

    return {
        "published": lambda v: _published(v, lang),
        "channel": known(lambda v: label("channel", v, lang)),
        "format": known(lambda v: label("format", v, lang)),
        "caption": known(str),
        "post_id": known(str),
        "text": known(str),
        "impressions": lambda v: fmt_number(v, lang),
        "reach": lambda v: fmt_number(v, lang),
        "interactions": lambda v: fmt_number(v, lang),
        "engagement_rate": lambda v: format_value("engagement_rate", v, lang),
        "paid": known(lambda v: run.t("explorer.yes" if v else "explorer.no")),
        "month": known(lambda v: fmt_month(pd.Timestamp(f"{v}-01"), lang)),
        "weekday": known(lambda v: days[int(v)]),
        "hour": known(lambda v: _time(dt.time(int(v)), lang)),
        "group": known(lambda v: run.t(f"explorer.{v}")),
        "rank": known(lambda v: str(int(v))),
    }


def posts_table(run: Run, frame: pd.DataFrame, columns: Iterable[str] = SHOWN) -> Block:
    """The posts as an escaped HTML table (class ``wb-table``), headers in the run's language.

    Args:
        run: gives the language.
        frame: the rows to show, in order.
        columns: the columns to show; ``permalink`` becomes a link that opens in a new tab, only
            for http(s) addresses (:func:`safe_link`).
    """
    columns = [c for c in columns if c in frame.columns]
    formats = _formats(run)
    opened = run.t("explorer.open")
    head = "".join(
        f'<th class="{"num" if c in NUMERIC else ""}">{escape(_header(run, c))}</th>' for c in columns
    )
    rows = []
    for record in frame[columns].itertuples(index=False):
        cells = []
        for column, value in zip(columns, record, strict=True):
            if column == "permalink":
                text = safe_link(value, opened) or escape(unknown(run.lang))
            else:
                shown = formats[column](value) if column in formats else value
                text = escape(typography(str("" if shown is None or shown is pd.NA else shown), run.lang))
            cells.append(table_cell(text, _header(run, column), "num" if column in NUMERIC else ""))
        rows.append("<tr>" + "".join(cells) + "</tr>")
    markup = (
        f'<table class="{table_classes(len(columns))}"><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )
    return Block(f'<div class="wb-table-wrap">{markup}</div>')


def top_flop_table(run: Run, picked: pd.DataFrame) -> Block:
    """The tops and flops of :func:`top_flop` as one table for the client report, each post with
    its network, rank, date, format, excerpt, engagement rate, interactions and link."""
    columns = (
        "channel",
        "group",
        "rank",
        "published",
        "format",
        "caption",
        "engagement_rate",
        "interactions",
        "permalink",
    )
    return posts_table(run, picked, columns)


# --------------------------------------------------------------------------- the explorer
class PostExplorer:
    """The posts of the run, filtered, searched and sorted live.

    Its state (``explorer.state``) holds the filters (``network``, ``format``, ``month``,
    ``weekday``, ``hour``: ``"all"`` by default), ``search`` (``""``), ``sort``
    (``engagement_rate``), ``ascending`` (False) and ``limit`` (20 rows shown). Change it with
    :meth:`set` or with the controls of :meth:`widget`; :attr:`table` is the result.
    """

    def __init__(self, run: Run, **filters: Any) -> None:
        """The explorer over :func:`posts_frame` of ``run``, with ``filters`` applied (see :meth:`set`)."""
        self.run = run
        self.frame = posts_frame(run)
        self.state: dict[str, Any] = {
            **dict.fromkeys(FILTERS, ALL),
            "search": "",
            "sort": "engagement_rate",
            "ascending": False,
            "limit": 20,
        }
        self.controls: dict[str, Any] = {}
        self.output: Any = None
        self._widget: Any = None
        self._syncing = False
        if filters:
            self.set(**filters)

    # ------------------------------------------------------------------ state
    def options(self, name: str) -> list[Any]:
        """The values a filter can take besides ``"all"``: those present in the posts
        (networks in the brief's order, months and hours in time order)."""
        column = {"network": "channel"}.get(name, name)
        present = [v.item() if isinstance(v, np.generic) else v for v in self.frame[column].dropna().unique()]
        if name == "network":
            order = list(self.run.brief.channels)
            return [c for c in order if c in present] + sorted(c for c in present if c not in order)
        return sorted(present)

    def _checked(self, name: str, value: Any) -> Any:
        """The value ``set`` stores for ``name``, or a ValueError naming the allowed ones."""
        if name in FILTERS:
            if _is_all(value):
                return ALL
            if name == "month" and not isinstance(value, str):
                value = pd.Timestamp(value).strftime("%Y-%m")
            allowed = self.options(name)
            if value not in allowed:
                raise ValueError(f"{name}={value!r}: expected 'all' or one of {allowed}")
            return int(value) if name in ("weekday", "hour") else str(value)
        if name == "sort":
            if value not in SORTABLE:
                raise ValueError(f"sort={value!r}: expected one of {list(SORTABLE)}")
            return value
        if name == "limit":
            return max(1, int(value))
        if name == "ascending":
            return bool(value)
        return str(value or "")

    def set(self, slot: tuple[int, int] | None = None, **values: Any) -> PostExplorer:
        """Change filters, search, order or row limit, and refresh the controls and the table.

        Args:
            slot: ``(weekday, hour)``, a shortcut for both filters.
            values: any of ``network``, ``format``, ``month`` (``YYYY-MM`` or a date),
                ``weekday`` (0 = Monday), ``hour`` (``"all"`` or None clears a filter),
                ``search`` (words all found in the text), ``sort`` (a column of
                :data:`SORTABLE`), ``ascending`` (bool), ``limit`` (rows shown, at least 1).

        Returns:
            The explorer itself, so a cell can end with ``explorer.set(...)``.

        Raises:
            TypeError: an unknown setting.
            ValueError: a value the posts do not have (the message lists those they have).
        """
        if slot is not None:
            values = {"weekday": slot[0], "hour": slot[1], **values}
        unknown_names = sorted(set(values) - set(self.state))
        if unknown_names:
            raise TypeError(f"unknown setting(s) {unknown_names}: expected some of {list(self.state)}")
        checked = {name: self._checked(name, value) for name, value in values.items()}
        self.state.update(checked)
        if self.controls:
            self._syncing = True
            try:
                for name, value in checked.items():
                    self.controls[name].value = value
            finally:
                self._syncing = False
            self.output.value = self.render().markup
        return self

    @property
    def table(self) -> pd.DataFrame:
        """Every post that passes the filters and the search, in the chosen order (the row limit
        only bounds what is shown): a copy, the strategist's to keep working on."""
        s = self.state
        kept = filter_posts(self.frame, *(s[f] for f in FILTERS), search=s["search"])
        return sort_posts(kept, s["sort"], s["ascending"]).copy()

    # ------------------------------------------------------------------ static view
    def summary(self, matched: int | None = None) -> str:
        """One line: how many posts match, how many are shown, the filters and the order."""
        run, s = self.run, self.state
        n = len(self.table) if matched is None else matched
        count = run.t("explorer.count", n=n, total=len(self.frame))
        if n > s["limit"]:
            count += ", " + run.t("explorer.shown", shown=s["limit"])
        formats = _formats(run)
        chosen = [formats[{"network": "channel"}.get(f, f)](s[f]) for f in FILTERS if s[f] != ALL]
        if s["search"]:
            chosen.append(run.t("explorer.quoted", text=s["search"]))
        filters = " · ".join(chosen) or run.t("explorer.no_filter")
        order = run.t("explorer.ascending_order" if s["ascending"] else "explorer.descending_order")
        sort = run.t("explorer.sorted", column=_header(run, s["sort"]), order=order)
        return run.t("explorer.summary", count=count, filters=filters, sort=sort)

    def render(self) -> Block:
        """The summary line and the first ``limit`` rows of :attr:`table`, as escaped HTML."""
        rows = self.table
        head = Block(f'<p class="wb-caption">{escape(self.summary(len(rows)))}</p>')
        if rows.empty:
            return head + Block(f'<p class="wb-say">{escape(self.run.t("explorer.empty"))}</p>')
        return head + posts_table(self.run, rows.head(self.state["limit"]))

    def _repr_html_(self) -> str:
        """The static view (:meth:`render`)."""
        return self.render().markup

    # ------------------------------------------------------------------ widgets
    def _controls(self) -> dict[str, Any]:
        import ipywidgets as w

        run, s = self.run, self.state
        everything = run.t("explorer.all")
        formats = _formats(run)
        controls: dict[str, Any] = {}
        for name in FILTERS:
            show = formats[{"network": "channel"}.get(name, name)]
            options = [(everything, ALL)] + [(show(v), v) for v in self.options(name)]
            controls[name] = w.Dropdown(options=options, value=s[name])
        controls["search"] = w.Text(value=s["search"], continuous_update=True)
        controls["sort"] = w.Dropdown(options=[(_header(run, c), c) for c in SORTABLE], value=s["sort"])
        controls["ascending"] = w.Checkbox(value=s["ascending"], indent=False)
        controls["limit"] = w.BoundedIntText(value=s["limit"], min=1, max=max(len(self.frame), s["limit"]))
        for name, control in controls.items():
            control.description = run.t(f"explorer.{name}")
            control.style = {"description_width": "initial"}
            control.layout = w.Layout(width="auto", margin="2px 12px 2px 0")
        return controls

    def widget(self) -> Any:
        """The controls (filters on one row; search, order and row limit on the next) above the
        live table, as an ipywidgets VBox; built once, then the same box is returned."""
        if self._widget is not None:
            return self._widget
        import ipywidgets as w

        self.controls = self._controls()
        self.output = w.HTML(self.render().markup)

        def update(change: dict) -> None:
            if self._syncing:
                return
            for name, control in self.controls.items():
                self.state[name] = control.value
            self.output.value = self.render().markup

        for control in self.controls.values():
            control.observe(update, names="value")
        wrap = w.Layout(flex_flow="row wrap")
        filters = w.HBox([self.controls[f] for f in FILTERS], layout=wrap)
        order = w.HBox([self.controls[n] for n in ("search", "sort", "ascending", "limit")], layout=wrap)
        self._widget = w.VBox([filters, order, self.output])
        self._widget.add_class("wb-explorer")
        return self._widget

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict:
        """Widgets where they run; the static view everywhere else (``text/html``)."""
        bundle = {"text/html": self.render().markup, "text/plain": self.run.t("explorer.plain")}
        try:
            view = self.widget()._repr_mimebundle_()
        except Exception:  # noqa: BLE001 - no widget support: the static rendering stands alone
            return bundle
        return {**view, **bundle}


def explorer(run: Run, **filters: Any) -> PostExplorer:
    """The post explorer of ``run``, with ``filters`` applied (see :meth:`PostExplorer.set`)."""
    return PostExplorer(run, **filters)
