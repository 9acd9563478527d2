"""The goal builder of ``04_smart_goals``: choose a KPI, a scope, a target and a deadline, and
see the SMART check and the achievability update as you type.

In JupyterLab it is a set of ipywidgets. Anywhere widgets do not run (papermill, the client
HTML), the same object renders as static HTML: the check of the goal it starts from.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import yaml
from pydantic import ValidationError

from helpers import kpis
from helpers.client.brief import Goal
from helpers.method import goals as goals_
from helpers.report.display import Block, card, escape, heading
from helpers.report.i18n import label
from helpers.report.pages.goals import goal_card
from helpers.run.context import Run

DRAFT_ID = "draft"


def _default_deadline(run: Run) -> dt.date:
    return run.brief.horizon.end


class GoalBuilder:
    """A draft goal checked live; starts from the brief's goal ``start_from`` (or its first one)."""

    def __init__(self, run: Run, start_from: str | None = None) -> None:
        self.run = run
        goals = {g.id: g for g in run.brief.goals}
        base = goals.get(start_from or "", next(iter(goals.values()), None))
        self.state: dict[str, Any] = {
            "kpi": base.kpi if base else "followers",
            "scope": base.scope if base else "all",
            "mode": "value" if base and base.target.value is not None else "relative",
            "target": (
                (base.target.value if base.target.value is not None else base.target.relative * 100)
                if base
                else 10.0
            ),
            "deadline": base.deadline if base else _default_deadline(run),
            "business_objective": base.business_objective if base else None,
            "label": base.label if base else "",
        }
        self._widget = None

    # ------------------------------------------------------------------ the goal and its check
    def goal(self) -> Goal:
        """The draft as a goal object (``relative`` targets are typed in percent).

        Raises:
            pydantic.ValidationError: the draft is not a valid goal.
        """
        s = self.state
        target = {"value": s["target"]} if s["mode"] == "value" else {"relative": s["target"] / 100}
        return Goal(
            id=DRAFT_ID,
            label=s["label"] or self.run.t("builder.draft"),
            objective=kpis.KPIS[s["kpi"]].objective,
            kpi=s["kpi"],
            scope=s["scope"],
            target=target,
            deadline=s["deadline"],
            business_objective=s["business_objective"],
        )

    def check(self) -> goals_.GoalCheck:
        """The draft checked as ``04`` checks the brief's goals, at the brief's ``analysis.confidence``."""
        run = self.run
        return goals_.check_goal(
            self.goal(), run.brief, run.data.tables, run.end, run.brief.analysis.confidence
        )

    def as_yaml(self) -> str:
        """The draft as it would be written under ``goals:`` in ``brief.yaml``."""
        goal = self.goal().model_dump(mode="json", exclude_defaults=True)
        goal["id"] = f"{goal.get('scope', 'all')}_{goal['kpi']}"
        goal["target"] = {k: v for k, v in goal["target"].items() if v is not None}
        return yaml.safe_dump([goal], allow_unicode=True, sort_keys=False)

    def render(self) -> Block:
        """The check of the draft (letters, class, chart) and its YAML, or why it is not a goal."""
        run = self.run
        try:
            check = self.check()
        except ValidationError as exc:
            reasons = [f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors()]
            return card(run.t("builder.invalid"), reasons, "wb-bad")
        snippet = Block(f'<pre class="wb-yaml">{escape(self.as_yaml())}</pre>')
        return goal_card(run, check) + heading(run.t("builder.yaml"), 4) + snippet

    # ------------------------------------------------------------------ widgets
    def widget(self) -> Any:
        """The controls and the live check, as an ipywidgets box."""
        import ipywidgets as w

        run, s = self.run, self.state
        controls = {
            "kpi": w.Dropdown(
                options=[(run.kpi(k).name(run.lang), k) for k in kpis.goal_kpis()], value=s["kpi"]
            ),
            "scope": w.Dropdown(
                options=[(label("channel", c, run.lang), c) for c in ["all", *run.brief.channels]],
                value=s["scope"],
            ),
            "mode": w.ToggleButtons(
                options=[(run.t("builder.absolute"), "value"), (run.t("builder.relative"), "relative")],
                value=s["mode"],
            ),
            "target": w.FloatText(value=s["target"]),
            "deadline": w.DatePicker(value=s["deadline"]),
            "business_objective": w.Dropdown(
                options=[("–", None)] + [(b.label, b.id) for b in run.brief.business_objectives],
                value=s["business_objective"],
            ),
        }
        for name, control in controls.items():
            control.description = run.t(f"builder.{name}")
            control.style = {"description_width": "10em"}
        result = w.HTML(self.render().markup)

        def update(change: dict) -> None:
            for name, control in controls.items():
                s[name] = control.value
            result.value = self.render().markup

        for control in controls.values():
            control.observe(update, names="value")
        self._widget = w.VBox([*controls.values(), result])
        return self._widget

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict:
        """Widgets where they run; the static check everywhere else (text/html)."""
        bundle = {"text/html": self.render().markup, "text/plain": self.run.t("builder.plain")}
        try:
            view = (self._widget or self.widget())._repr_mimebundle_()
        except Exception:  # noqa: BLE001 - no widget support: the static rendering stands alone
            return bundle
        return {**view, **bundle}


def builder(run: Run, start_from: str | None = None) -> GoalBuilder:
    """The goal builder, starting from a goal of the brief (its first one by default)."""
    return GoalBuilder(run, start_from)
