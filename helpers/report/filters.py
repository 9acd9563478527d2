"""The audit filters of ``01_observation``: narrow the period, the networks, the formats and the
competitors, and see the audit's key tables and charts for that slice.

In JupyterLab, :class:`AuditFilters` is a row of ipywidgets above the sections it recomputes
(community, engagement, formats, competitors, best time); the chosen filters are written below
as the notebook parameters and the brief lines that keep them for a whole run. Anywhere widgets
do not run (papermill, nbconvert) the same object renders as static HTML: the filters in force
and the sections for them. Nothing is saved: the run folder keeps the unfiltered audit.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

import yaml

from helpers.client.snapshot import EmptyPeriodError, cut
from helpers.report.display import Block, Section, card, escape, heading, say
from helpers.report.i18n import fmt_date, label
from helpers.run.context import Run

#: The filters, in the order the controls show them.
FILTERS = ("start", "end", "networks", "formats", "competitors")


class FilterError(ValueError):
    """A filter value the run's data cannot take (a date outside the period, an unknown network)."""


class AuditFilters:
    """A slice of the run's audit: a period inside the run's, some networks, formats, competitors.

    Args:
        run: the opened run (its period bounds the dates).
        min_posts: posts a slot or a format needs to be ranked in the recomputed sections
            (default: the brief's ``analysis.min_posts``).
        **filters: initial values, as :meth:`set` takes them.

    Read :attr:`sections` (the recomputed :class:`~helpers.report.display.Section` objects, each
    with ``.table`` and ``.figure``) or :meth:`filtered` (a run restricted to the slice).
    """

    def __init__(self, run: Run, min_posts: int | None = None, **filters: Any) -> None:
        self.run = run
        self.min_posts = min_posts if min_posts is not None else run.brief.analysis.min_posts
        posts = run.table("posts")
        self.choices: dict[str, list[str]] = {
            "networks": list(run.brief.channels),
            "formats": sorted(posts["format"].dropna().unique().tolist()) if len(posts) else [],
            "competitors": list(run.brief.competitor_names),
        }
        self.state: dict[str, Any] = {
            "start": run.start,
            "end": run.end,
            **{name: list(options) for name, options in self.choices.items()},
        }
        self._widget: Any = None
        self._output: Any = None
        self._controls: dict[str, Any] = {}
        self._sections: list[Section] | None = None
        if filters:
            self.set(**filters)

    # ------------------------------------------------------------------ state
    def _checked(self, name: str, value: Any) -> Any:
        run = self.run
        if name in ("start", "end"):
            day = dt.date.fromisoformat(value) if isinstance(value, str) else value
            if not isinstance(day, dt.date) or not run.start <= day <= run.end:
                raise FilterError(
                    f"filter {name} = {value!r}: expected a date from {run.start} to {run.end} (the run's "
                    "period; to look beyond it, set period_start/period_end in the parameters)"
                )
            return day
        if name not in self.choices:
            raise FilterError(f"unknown filter {name!r}: expected one of {', '.join(FILTERS)}")
        chosen = [value] if isinstance(value, str) else list(value)
        unknown = [v for v in chosen if v not in self.choices[name]]
        if unknown:
            raise FilterError(f"filter {name} = {unknown}: expected some of {self.choices[name]}")
        return chosen

    def set(self, **values: Any) -> AuditFilters:
        """Change filters and refresh the sections (and the controls, when shown).

        Args:
            start, end: the first and last day of the slice (dates or ``YYYY-MM-DD``), inside the
                run's period.
            networks, formats, competitors: the ones to keep (a list, or one name); the run's
                networks, the formats of its posts and the brief's competitors.

        Raises:
            FilterError: an unknown filter or a value the run's data does not have.
        """
        checked = {name: self._checked(name, value) for name, value in values.items()}
        state = {**self.state, **checked}
        if state["start"] > state["end"]:
            raise FilterError(f"filter start {state['start']} is after end {state['end']}")
        self.state = state
        self._sections = None
        for name, value in checked.items():
            if name in self._controls:
                self._controls[name].value = tuple(value) if isinstance(value, list) else value
        self._refresh()
        return self

    def filtered(self) -> Run:
        """A run restricted to the slice: its tables cut to the dates, networks and formats, its
        brief to the networks' profiles and the competitors kept. It saves nothing (no step).

        Raises:
            FilterError: the slice holds no post, or no network is kept.
        """
        run, s = self.run, self.state
        if not s["networks"]:
            raise FilterError(run.t("filters.no_network"))
        try:
            data = cut(run.data, s["start"], s["end"])
        except EmptyPeriodError:
            raise FilterError(run.t("filters.no_post")) from None
        tables = {}
        for name, frame in data.tables.items():
            if "channel" in frame.columns and name != "competitors":
                frame = frame[frame["channel"].isin(s["networks"])]
            if name == "posts":
                frame = frame[frame["format"].isin(s["formats"])]
            if name in ("mentions", "competitors") and "brand" in frame.columns:
                frame = frame[frame["brand"].isin([run.brief.client.name, *s["competitors"]])]
            tables[name] = frame.reset_index(drop=True)
        if tables["posts"].empty:
            raise FilterError(run.t("filters.no_post"))
        brief = run.brief.model_copy(
            update={
                "profiles": tuple(p for p in run.brief.profiles if p.channel in s["networks"]),
                "competitors": tuple(c for c in run.brief.competitors if c.name in s["competitors"]),
            }
        )
        return Run(replace(data, brief=brief, tables=tables), run.lang, run.run_dir, s["start"], s["end"])

    @property
    def sections(self) -> list[Section]:
        """The audit's key sections for the slice: community, engagement, formats, competitors
        and best time (an empty list when the slice holds no post)."""
        if self._sections is None:
            from helpers.report.pages import observation as page

            try:
                part = self.filtered()
            except FilterError:
                self._sections = []
            else:
                self._sections = [
                    page.community(part),
                    page.engagement(part),
                    page.formats(part, min_posts=self.min_posts),
                    page.benchmark(part),
                    page.best_time(part, min_posts=self.min_posts),
                ]
        return self._sections

    # ------------------------------------------------------------------ what to copy
    def as_parameters(self) -> str:
        """The period as the notebooks' parameters (papermill ``-p`` or the parameters cell)."""
        s = self.state
        return f'period_start = "{s["start"]:%Y-%m-%d}"\nperiod_end = "{s["end"]:%Y-%m-%d}"\n'

    def as_brief(self) -> str:
        """The networks and competitors kept, as the ``brief.yaml`` lines that keep them for a run
        (the brief's ``profiles`` and ``competitors`` restricted to the choice)."""
        s, brief = self.state, self.run.brief
        lines = {
            "profiles": [p.model_dump(mode="json") for p in brief.profiles if p.channel in s["networks"]],
            "competitors": [
                c.model_dump(mode="json", exclude_defaults=True)
                for c in brief.competitors
                if c.name in s["competitors"]
            ],
        }
        return yaml.safe_dump(lines, allow_unicode=True, sort_keys=False)

    # ------------------------------------------------------------------ rendering
    def summary(self) -> str:
        """One sentence: the slice in force, in the run's language."""
        run, s = self.run, self.state

        def kept(name: str, kind: str) -> str:
            if s[name] == self.choices[name]:
                return run.t("filters.all")
            if not s[name]:
                return run.t("filters.none")
            return ", ".join(label(kind, v, run.lang) if kind else v for v in s[name])

        return run.t(
            "filters.summary",
            start=fmt_date(s["start"], run.lang),
            end=fmt_date(s["end"], run.lang),
            networks=kept("networks", "channel"),
            formats=kept("formats", "format"),
            competitors=kept("competitors", ""),
        )

    def render(self) -> Block:
        """The slice, its sections (or why there is none), and what to copy to keep it."""
        run = self.run
        block = heading(run.t("filters.title"), 3) + say(self.summary())
        sections = self.sections
        if not sections:
            try:
                self.filtered()
            except FilterError as exc:
                block += card(run.t("filters.empty"), [str(exc)], "wb-bad")
        for section in sections:
            block += section
        copy = self.as_parameters() + "\n# brief.yaml\n" + self.as_brief()
        return block + heading(run.t("filters.copy"), 4) + Block(f'<pre class="wb-yaml">{escape(copy)}</pre>')

    def _repr_html_(self) -> str:
        return self.render().markup

    def _refresh(self) -> None:
        if self._output is not None:
            self._output.value = self.render().markup

    def widget(self) -> Any:
        """The controls (dates, networks, formats, competitors) above the recomputed sections."""
        import ipywidgets as w

        run, s = self.run, self.state
        self._controls = {
            "start": w.DatePicker(value=s["start"]),
            "end": w.DatePicker(value=s["end"]),
            "networks": w.SelectMultiple(
                options=[(label("channel", c, run.lang), c) for c in self.choices["networks"]],
                value=tuple(s["networks"]),
                rows=min(6, max(2, len(self.choices["networks"]))),
            ),
            "formats": w.SelectMultiple(
                options=[(label("format", f, run.lang), f) for f in self.choices["formats"]],
                value=tuple(s["formats"]),
                rows=min(6, max(2, len(self.choices["formats"]))),
            ),
            "competitors": w.SelectMultiple(
                options=self.choices["competitors"],
                value=tuple(s["competitors"]),
                rows=min(6, max(2, len(self.choices["competitors"]))),
            ),
        }
        for name, control in self._controls.items():
            control.description = run.t(f"filters.{name}")
            control.style = {"description_width": "initial"}
        self._output = w.HTML(self.render().markup)

        def update(change: dict) -> None:
            values = {
                n: (list(c.value) if isinstance(c.value, tuple) else c.value)
                for n, c in self._controls.items()
            }
            try:
                self.set(**{k: v for k, v in values.items() if v is not None})
            except FilterError as exc:
                self._output.value = card(run.t("filters.empty"), [str(exc)], "wb-bad").markup

        for control in self._controls.values():
            control.observe(update, names="value")
        row = w.Layout(flex_flow="row wrap")
        dates = w.HBox([self._controls["start"], self._controls["end"]], layout=row)
        lists = w.HBox([self._controls[n] for n in ("networks", "formats", "competitors")], layout=row)
        self._widget = w.VBox([dates, lists, self._output])
        self._widget.add_class("wb-filters")
        return self._widget

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict:
        """Widgets where they run; the static slice everywhere else (text/html)."""
        bundle = {"text/html": self.render().markup, "text/plain": self.summary()}
        try:
            view = (self._widget or self.widget())._repr_mimebundle_()
        except Exception:  # noqa: BLE001 - no widget support: the static rendering stands alone
            return bundle
        return {**view, **bundle}


def audit_filters(run: Run, min_posts: int | None = None, **filters: Any) -> AuditFilters:
    """The audit filters of ``01``: see :class:`AuditFilters` (``min_posts`` defaults to the
    brief's ``analysis.min_posts``; ``filters`` as :meth:`AuditFilters.set` takes them)."""
    return AuditFilters(run, min_posts, **filters)


__all__ = ["AuditFilters", "FilterError", "audit_filters"]
