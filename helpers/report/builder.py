"""The goal builder of ``04_smart_goals``: choose a KPI, a scope, a target and a deadline, and see
the SMART check and the achievability update as you type; save the goal into the brief.

Every output (heading, letters, class, trajectory, YAML) comes from one :class:`Draft`, rebuilt on
every change. In JupyterLab the builder is a set of ipywidgets with a "Save to brief" button.
Anywhere widgets do not run (papermill, the client HTML), the same object renders as static HTML:
the check of the goal it starts from, without the button.

Targets are typed as a strategist thinks of them: a change in % (``8`` for +8 %), or a value in
the KPI's unit, rates in percent (``5.6`` for 5.6 %). Switching between the two converts the
target through the KPI's baseline.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from typing import Any

import yaml
from pydantic import ValidationError

from helpers import kpis
from helpers.client.brief import Goal
from helpers.client.brief_edit import SavedGoal, save_goal
from helpers.method import goals as goals_
from helpers.report.display import Block, card, escape, heading, stylesheet
from helpers.report.i18n import format_value, label
from helpers.report.pages.goals import goal_card
from helpers.run.context import Run

#: The fields of a draft the strategist sets, in the order the controls show them.
FIELDS = ("kpi", "scope", "mode", "target", "deadline", "business_objective", "label", "id")


@dataclass
class Draft:
    """One state of the builder, validated: the goal (or the errors that stop it), its check, the
    label and id it gets, and the YAML the brief would hold."""

    label: str
    id: str
    errors: list[tuple[str, str]] = field(default_factory=list)  # (field, reason), in the run's language
    goal: Goal | None = None
    check: goals_.GoalCheck | None = None
    baseline: float = math.nan

    @property
    def ok(self) -> bool:
        """The draft is a goal that can be checked and saved."""
        return not self.errors and self.goal is not None


class GoalBuilder:
    """A draft goal checked live; starts from the brief's goal ``start_from`` (or its first one).

    Args:
        run: the opened run.
        start_from: a goal id of the brief to start from (default: its first goal).
        today: the date a deadline must come after (default: today's date).
    """

    def __init__(self, run: Run, start_from: str | None = None, today: dt.date | None = None) -> None:
        self.run = run
        self.today = today or dt.date.today()
        goals = {g.id: g for g in run.brief.goals}
        base = goals.get(start_from or "", next(iter(goals.values()), None))
        self.state: dict[str, Any] = {
            "kpi": base.kpi if base else "followers",
            "scope": base.scope if base else "all",
            "mode": "value" if base and base.target.value is not None else "relative",
            "target": 10.0,
            "deadline": base.deadline if base else run.brief.horizon.end,
            "business_objective": base.business_objective if base else None,
            "label": "",  # "" while the label follows KPI, scope and target
            "id": "",  # "" while the id follows scope and KPI
        }
        if base is not None:
            value, relative = base.target.value, base.target.relative
            self.state["target"] = (
                self._shown(value, base.kpi) if value is not None else round(relative * 100, 4)
            )
        self._auto_label = True
        self._widget: Any = None
        self._controls: dict[str, Any] = {}
        self._result: Any = None
        self._message: Any = None
        self._replace: Any = None

    # ------------------------------------------------------------------ units
    @staticmethod
    def _percent(kpi_id: str) -> bool:
        return kpi_id in kpis.KPIS and kpis.KPIS[kpi_id].unit == "percent"

    def _shown(self, value: float, kpi_id: str) -> float:
        """A value of the KPI as typed in the builder (rates in percent)."""
        return round(value * 100, 4) if self._percent(kpi_id) else value

    def _internal(self, typed: float, kpi_id: str) -> float:
        """A typed value as the KPI holds it (rates as fractions)."""
        return typed / 100 if self._percent(kpi_id) else typed

    def baseline(self) -> float:
        """The KPI's starting value on the draft's scope (NaN when the data gives none)."""
        s, run = self.state, self.run
        if s["kpi"] not in kpis.goal_kpis():
            return math.nan
        try:
            return goals_.baseline_of(s["kpi"], s["scope"], run.data.tables, run.brief, run.end)[0]
        except KeyError:
            return math.nan

    def target_value(self) -> float:
        """The draft's target in the KPI's own unit (NaN when the baseline is unknown for a change)."""
        s = self.state
        if s["target"] is None:
            return math.nan
        if s["mode"] == "value":
            return self._internal(float(s["target"]), s["kpi"])
        return self.baseline() * (1 + float(s["target"]) / 100)

    # ------------------------------------------------------------------ label and id
    def _target_text(self) -> str:
        s, run = self.state, self.run
        if s["target"] is None:
            return ""
        if s["mode"] == "relative":
            return format_value("percent", float(s["target"]) / 100, run.lang, 0, signed=True)
        return format_value(
            run.kpi(s["kpi"]) if s["kpi"] in kpis.KPIS else "count", self.target_value(), run.lang
        )

    def auto_label(self) -> str:
        """The label the draft gets unless the strategist typed one: KPI, scope and target."""
        s, run = self.state, self.run
        name = run.kpi(s["kpi"]).name(run.lang) if s["kpi"] in kpis.KPIS else s["kpi"]
        return run.t(
            "builder.auto_label",
            kpi=name,
            scope=label("channel", s["scope"], run.lang),
            target=self._target_text(),
        )

    def auto_id(self) -> str:
        """The id the draft gets unless the strategist typed one: ``<scope>_<kpi>``."""
        s = self.state
        scope = s["scope"].replace(":", "_").replace(" ", "_") if s["scope"] else "all"
        return f"{scope}_{s['kpi']}"

    # ------------------------------------------------------------------ the draft
    def set(self, **values: Any) -> GoalBuilder:
        """Change fields of the draft (as the controls do) and refresh every output.

        Args:
            kpi, scope, business_objective: ids of the registry and the brief.
            mode: ``"relative"`` (a change in %) or ``"value"`` (in the KPI's unit, rates in %);
                switching converts the target through the baseline.
            target: the number typed; deadline: a date; label, id: text, ``""`` to follow the draft.

        Raises:
            KeyError: a field the builder does not have.
        """
        unknown = sorted(set(values) - set(FIELDS))
        if unknown:
            raise KeyError(f"unknown field(s) {unknown}: the builder has {', '.join(FIELDS)}")
        s = self.state
        if "mode" in values and values["mode"] != s["mode"] and "target" not in values:
            values["target"] = self._converted(values["mode"])
        if "label" in values:
            self._auto_label = not values["label"] or values["label"] == self.auto_label()
        s.update(values)
        if self._auto_label:
            s["label"] = ""
        self._sync()
        return self

    def _converted(self, mode: str) -> float | None:
        """The current target in the other mode, through the baseline (kept when unknown)."""
        s, base = self.state, self.baseline()
        if s["target"] is None or math.isnan(base) or base == 0:
            return s["target"]
        if mode == "value":
            return round(self._shown(base * (1 + float(s["target"]) / 100), s["kpi"]), 4)
        return round((self._internal(float(s["target"]), s["kpi"]) / base - 1) * 100, 4)

    def draft(self) -> Draft:
        """The draft validated: errors naming the field and why, or the goal and its check."""
        s, run = self.state, self.run
        draft = Draft(label=s["label"] or self.auto_label(), id=s["id"] or self.auto_id())
        draft.baseline = self.baseline()
        draft.errors = self._target_errors(draft.baseline)
        target = (
            {"value": self._internal(float(s["target"]), s["kpi"])}
            if s["mode"] == "value" and s["target"] is not None
            else {"relative": float(s["target"]) / 100}
            if s["target"] is not None
            else {}
        )
        try:
            draft.goal = Goal(
                id=draft.id,
                label=draft.label,
                objective=kpis.KPIS[s["kpi"]].objective if s["kpi"] in kpis.KPIS else "awareness",
                kpi=s["kpi"],
                scope=s["scope"],
                target=target,
                deadline=s["deadline"],
                business_objective=s["business_objective"],
            )
        except ValidationError as exc:
            for error in exc.errors():
                where = str(error["loc"][0]) if error["loc"] else "goal"
                draft.errors.append((where, error["msg"].removeprefix("Value error, ")))
            return draft
        if not draft.errors:
            draft.check = goals_.check_goal(
                draft.goal, run.brief, run.data.tables, run.end, run.brief.analysis.confidence, self.today
            )
        return draft

    def _target_errors(self, baseline: float) -> list[tuple[str, str]]:
        """Targets no goal can have: negative, a rate outside 0–100 %, or a target that moves the
        KPI against its direction (below the baseline where higher is better, and the reverse)."""
        s, run = self.state, self.run
        if s["target"] is None or s["kpi"] not in kpis.KPIS:
            return []
        typed, record = float(s["target"]), kpis.KPIS[s["kpi"]]
        value = self.target_value()
        if (s["mode"] == "value" and typed < 0) or (s["mode"] == "relative" and typed <= -100):
            return [("target", run.t("builder.error_negative"))]
        if self._percent(s["kpi"]) and not math.isnan(value) and not 0 <= value <= 1:
            return [
                ("target", run.t("builder.error_rate", value=format_value("percent", value, run.lang, 1)))
            ]
        if math.isnan(baseline) or math.isnan(value):
            return []
        written = {
            "target": format_value(run.kpi(s["kpi"]), value, run.lang),
            "baseline": format_value(run.kpi(s["kpi"]), baseline, run.lang),
        }
        if record.higher_is_better and value < baseline:
            return [("target", run.t("builder.error_below", **written))]
        if not record.higher_is_better and value > baseline:
            return [("target", run.t("builder.error_above", **written))]
        return []

    def goal(self) -> Goal:
        """The draft as a goal object.

        Raises:
            ValueError: the draft is not a valid goal (the message names each field and why).
        """
        draft = self.draft()
        if not draft.ok:
            raise ValueError("; ".join(f"{f}: {why}" for f, why in draft.errors))
        return draft.goal

    def check(self) -> goals_.GoalCheck:
        """The SMART check and achievability of the draft (see :meth:`goal` for errors)."""
        draft = self.draft()
        if draft.check is None:
            raise ValueError("; ".join(f"{f}: {why}" for f, why in draft.errors))
        return draft.check

    def as_dict(self, draft: Draft | None = None) -> dict[str, Any]:
        """The draft as the brief holds a goal (what :meth:`save` writes)."""
        draft = draft or self.draft()
        goal = draft.goal.model_dump(mode="python", exclude_defaults=True)
        goal["target"] = {k: v for k, v in goal["target"].items() if v is not None}
        order = ("id", "label", "objective", "kpi", "scope", "target", "deadline", "business_objective")
        return {k: goal[k] for k in order if k in goal} | {k: v for k, v in goal.items() if k not in order}

    def as_yaml(self, draft: Draft | None = None) -> str:
        """The draft as it would be written under ``goals:`` in ``brief.yaml``."""
        return yaml.safe_dump([self.as_dict(draft)], allow_unicode=True, sort_keys=False)

    # ------------------------------------------------------------------ rendering
    def render(self) -> Block:
        """Heading, then the check of the draft (letters, class, chart) and its YAML, or an error
        card naming each field that stops the draft and why."""
        run = self.run
        draft = self.draft()
        block = stylesheet() + Block(f'<h3 class="wb-draft-label">{escape(draft.label)}</h3>')
        if not draft.ok:
            reasons = [f"{run.t('builder.' + f) if f in FIELDS else f}: {why}" for f, why in draft.errors]
            return block + card(run.t("builder.invalid"), reasons, "wb-bad")
        snippet = Block(f'<pre class="wb-yaml">{escape(self.as_yaml(draft))}</pre>')
        return block + goal_card(run, draft.check) + heading(run.t("builder.yaml"), 4) + snippet

    def _repr_html_(self) -> str:
        return self.render().markup

    # ------------------------------------------------------------------ saving
    def save(self, replace: bool = False) -> SavedGoal:
        """Write the draft into the client's ``brief.yaml`` under ``goals:`` (see
        :func:`helpers.client.brief_edit.save_goal`: the rest of the file is kept byte for byte,
        the whole brief validated first, the previous version backed up).

        Args:
            replace: replace the brief's goal of the same id (otherwise refused).

        Raises:
            ValueError: the draft is not a valid goal.
            helpers.client.brief_edit.GoalExistsError: the id is taken and ``replace`` is false.
            helpers.client.brief.BriefError: the brief with this goal would not be valid.
        """
        draft = self.draft()
        if not draft.ok:
            raise ValueError("; ".join(f"{f}: {why}" for f, why in draft.errors))
        return save_goal(self.run.data.folder / "brief.yaml", self.as_dict(draft), replace=replace)

    def _save_clicked(self, _button: Any = None) -> None:
        from helpers.client.brief import BriefError

        run = self.run
        try:
            saved = self.save(replace=bool(self._replace.value))
        except (ValueError, BriefError) as exc:
            self._message.value = card(run.t("builder.not_saved"), [str(exc)], "wb-bad").markup
            return
        key = "builder.replaced" if saved.replaced else "builder.saved"
        lines = [
            run.t(key, path=str(saved.path), line=saved.line),
            run.t("builder.backup", path=str(saved.backup)),
        ]
        self._message.value = card(run.t("builder.saved_title"), lines, "wb-ok").markup
        self._replace.value = False

    # ------------------------------------------------------------------ widgets
    def _sync(self) -> None:
        """Bring the controls and the result up to the state (after :meth:`set` or a control)."""
        if not self._controls:
            return
        s = self.state
        self._syncing = True
        try:
            for name, control in self._controls.items():
                value = s[name] if name not in ("label", "id") else (s[name] or "")
                if control.value != value:
                    control.value = value
            self._controls["label"].placeholder = self.auto_label()
            self._controls["id"].placeholder = self.auto_id()
        finally:
            self._syncing = False
        self._result.value = self.render().markup

    def widget(self) -> Any:
        """The controls, the live check and the "Save to brief" button, as an ipywidgets box."""
        import ipywidgets as w

        run, s = self.run, self.state
        wide = w.Layout(width="28em")
        self._controls = {
            "kpi": w.Dropdown(
                options=[(run.kpi(k).name(run.lang), k) for k in kpis.goal_kpis()],
                value=s["kpi"],
                layout=wide,
            ),
            "scope": w.Dropdown(
                options=[(label("channel", c, run.lang), c) for c in ["all", *run.brief.channels]],
                value=s["scope"],
                layout=wide,
            ),
            "mode": w.ToggleButtons(
                options=[(run.t("builder.absolute"), "value"), (run.t("builder.relative"), "relative")],
                value=s["mode"],
            ),
            "target": w.FloatText(value=s["target"], continuous_update=True, layout=w.Layout(width="16em")),
            "deadline": w.DatePicker(value=s["deadline"]),
            "business_objective": w.Dropdown(
                options=[("–", None)] + [(b.label, b.id) for b in run.brief.business_objectives],
                value=s["business_objective"],
                layout=w.Layout(width="44em"),
            ),
            "label": w.Text(value=s["label"], continuous_update=True, layout=w.Layout(width="44em")),
            "id": w.Text(value=s["id"], continuous_update=True, layout=w.Layout(width="28em")),
        }
        for name, control in self._controls.items():
            control.description = run.t(f"builder.{name}")
            control.style = {"description_width": "10em"}
        self._syncing = False
        self._result = w.HTML(self.render().markup)

        def update(change: dict) -> None:
            if self._syncing:
                return
            name = next(n for n, c in self._controls.items() if c is change["owner"])
            self.set(**{name: change["new"]})

        for control in self._controls.values():
            control.observe(update, names="value")
        button = w.Button(
            description=run.t("builder.save"),
            icon="save",
            button_style="primary",
            layout=w.Layout(width="auto"),
        )
        self._replace = w.Checkbox(value=False, description=run.t("builder.replace"), indent=False)
        self._message = w.HTML("")
        button.on_click(self._save_clicked)
        c = self._controls
        mode_row = w.HBox([w.Label(run.t("builder.mode"), layout=w.Layout(width="10em")), c["mode"]])
        rows = [
            w.HBox([c["kpi"], c["scope"]], layout=w.Layout(flex_flow="row wrap")),
            mode_row,
            w.HBox([c["target"], c["deadline"]], layout=w.Layout(flex_flow="row wrap")),
            c["business_objective"],
            w.HBox([c["label"], c["id"]], layout=w.Layout(flex_flow="row wrap")),
            self._result,
            w.HBox([button, self._replace]),
            self._message,
        ]
        c["mode"].description = ""
        self._widget = w.VBox(rows)
        self._widget.add_class("wb-builder")
        self._sync()
        return self._widget

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict:
        """Widgets where they run; the static check everywhere else (text/html, no button)."""
        bundle = {"text/html": self.render().markup, "text/plain": self.run.t("builder.plain")}
        try:
            view = (self._widget or self.widget())._repr_mimebundle_()
        except Exception:  # noqa: BLE001 - no widget support: the static rendering stands alone
            return bundle
        return {**view, **bundle}


def builder(run: Run, start_from: str | None = None, today: dt.date | None = None) -> GoalBuilder:
    """The goal builder, starting from a goal of the brief (its first one by default); ``today``
    (default: today's date) is the date a deadline must come after."""
    return GoalBuilder(run, start_from, today)
