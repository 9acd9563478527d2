"""Actions, not findings: the next steps of the summary and the corrective actions of ``07``.

An action is what someone does, not what the audit saw: a verb, what it acts on, the network,
a date by which it is done (inside the plan's horizon), the goal it serves, and the figure that
motivates it, quoting that network's own figures (a Facebook action quotes Facebook's best slot,
never the all-network one). Numbers and codes only: the words are added at display time.

Verbs (``VERBS``):

* ``publish``: deliver the content calendar (the plan as a whole, after any capacity cut);
* ``find_hours``: find the hours a role lacks for the plan (the brief keeps the frequencies);
* ``schedule``: move a network's posts to its own best slot (``slots.csv``, the cells that pass
  the sample rule);
* ``shift_format``: give a format the share the plan grows it to on its network
  (``format_mix.csv``), when the audit found that format ahead on that network;
* ``reply``: answer the messages that need a reply (a care goal: no post moves it);
* ``add_links``: put a tracked link in the network's posts (a leads goal).

A corrective action is built for each goal that needs one (``NEEDS_ACTION``): the audit's lever
on the goal's network (:func:`helpers.method.tracking.lever_for`) when it is a format the plan
grows there, else the network's own best slot, else the KPI's care or sales action
(``KPI_ACTIONS``); a goal none of these fits gets no action rather than "review with the team".
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field

import pandas as pd

from helpers.client.brief import Brief
from helpers.method.tracking import lever_for

VERBS = ("publish", "find_hours", "schedule", "shift_format", "reply", "add_links")
#: Statuses of ``07`` that call for a corrective action.
NEEDS_ACTION = ("at_risk", "behind", "missed", "uncertain")
#: A corrective action is due this many days after the plan starts (its first four weeks), so its
#: effect shows before the deadline; never after the goal's deadline nor the horizon's end.
ACTION_LEAD_DAYS = 28
#: The action for a goal whose KPI no post moves, per KPI (else per objective).
KPI_ACTIONS: dict[str, str] = {
    "response_rate": "reply",
    "response_time_median": "reply",
    "satisfaction": "reply",
    "leads": "add_links",
    "sqls": "add_links",
}


@dataclass(frozen=True)
class Action:
    """One action: numbers and codes, words at display time.

    Attributes:
        verb: one of ``VERBS``.
        what: what it acts on: a format id (``shift_format``), ``slot``, ``calendar``,
            ``messages``, ``links`` or a role id (``find_hours``).
        network: a network id, or ``all``.
        by: the date it is done by, inside the horizon.
        goal: the goal id it serves ("" for the plan as a whole).
        goal_label: the goal's label as the brief gives it ("" for the plan).
        figure: the numbers that motivate it (``kpi``, ``value``, ``posts``, ``low``, ``high``,
            ``reference``, ``target``, ``weekday``, ``hour``, ``share``...), that network's own.
        source: where the figure comes from: a finding id, ``slots``, ``format_mix``,
            ``tracking`` or ``plan``.
    """

    verb: str
    what: str
    network: str
    by: dt.date
    goal: str = ""
    goal_label: str = ""
    figure: dict = field(default_factory=dict)
    source: str = ""

    def __post_init__(self) -> None:
        if self.verb not in VERBS:
            raise ValueError(f"unknown action verb {self.verb!r} (expected one of {', '.join(VERBS)})")

    def record(self) -> dict:
        """The action as strict-JSON-ready data: the date in ISO form, unknown numbers as None."""
        out = asdict(self)
        out["by"] = self.by.isoformat()
        out["figure"] = {k: _clean(v) for k, v in self.figure.items()}
        return out


def _clean(value: object) -> object:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if hasattr(value, "item"):  # numpy scalars
        return _clean(value.item())
    return value


def due_date(brief: Brief, deadline: dt.date | None = None) -> dt.date:
    """``ACTION_LEAD_DAYS`` after the horizon starts, but never after ``deadline`` or the horizon."""
    due = brief.horizon.start + dt.timedelta(days=ACTION_LEAD_DAYS)
    return min(d for d in (due, deadline, brief.horizon.end) if d is not None)


def plan_actions(
    brief: Brief, posts: int, posts_before: int, hours_to_find: Mapping[str, float]
) -> list[Action]:
    """The plan's next steps: publish the calendar as planned (``posts``, and ``posts_before`` it
    had before a capacity cut), by the horizon's end; then, per role still over capacity, find the
    hours it lacks before the plan starts."""
    actions = [
        Action(
            "publish",
            "calendar",
            "all",
            brief.horizon.end,
            figure={"posts": posts, "posts_before": posts_before, "start": brief.horizon.start.isoformat()},
            source="plan",
        )
    ]
    for role, hours in hours_to_find.items():
        actions.append(
            Action("find_hours", role, "all", brief.horizon.start, figure={"hours": hours}, source="plan")
        )
    return actions


def best_slot(slots: pd.DataFrame | None, network: str) -> dict | None:
    """The network's own best slot of ``slots.csv`` (its first rank, or the highest rate:
    ``engagement_rate``, or ``score``/``rate`` in a table of another origin): weekday, hour,
    rate, posts, low, high (NaN when the table lacks them)."""
    if slots is None or slots.empty or network not in set(slots["channel"]):
        return None
    own = slots[slots["channel"] == network]
    rate_col = next((c for c in ("engagement_rate", "score", "rate") if c in own), None)
    if "rank" in own:
        own = own.sort_values("rank", kind="stable")
    elif rate_col:
        own = own.sort_values(rate_col, ascending=False, kind="stable")
    row = own.iloc[0]

    def num(name: str | None) -> float:
        return float(row[name]) if name and name in row and pd.notna(row[name]) else math.nan

    return {
        "weekday": int(row["weekday"]),
        "hour": int(row["hour"]),
        "value": num(rate_col),
        "posts": int(row["posts"]) if "posts" in row and pd.notna(row["posts"]) else None,
        "low": num("low"),
        "high": num("high"),
    }


def _mix_share(format_mix: pd.DataFrame | None, network: str, fmt: str) -> float:
    if format_mix is None or format_mix.empty:
        return math.nan
    own = format_mix[(format_mix["channel"] == network) & (format_mix["format"] == fmt)]
    return float(own["share"].sum()) if len(own) else math.nan


def _goal_network(goal: Mapping, channels: Sequence[str], lever: Mapping | None) -> str:
    if goal["scope"] in channels:
        return str(goal["scope"])
    if lever:
        head = str(lever["scope"]).split(":")[0]
        if head in channels:
            return head
    return "all"


def corrective_action(
    status: Mapping,
    goal: Mapping,
    findings: Sequence[Mapping],
    brief: Brief,
    slots: pd.DataFrame | None = None,
    format_mix: pd.DataFrame | None = None,
) -> Action | None:
    """The action for one goal that needs one (a row of ``tracking.csv`` and its ``goals.json``
    record), or None when no rule fits (see the module's docstring, in order).

    Args:
        status: the goal's status row (``id``, ``label``, ``kpi``, ``actual``, ``forecast``,
            ``target``).
        goal: the goal's record of ``goals.json`` (``scope``, ``objective``, ``deadline``).
        findings: ``findings.json``.
        brief: gives the networks and the horizon.
        slots: ``slots.csv`` of ``05`` (per network, the slots that pass the sample rule).
        format_mix: ``format_mix.csv`` of ``05``.
    """
    channels = brief.channels
    deadline = dt.date.fromisoformat(str(goal["deadline"])) if goal.get("deadline") else None
    by = due_date(brief, deadline)
    base = {"goal": str(goal["id"]), "goal_label": str(status.get("label") or goal["id"]), "by": by}
    tracked = {
        "kpi": status["kpi"],
        "value": float(status["actual"]),
        "forecast": float(status["forecast"]),
        "target": float(status["target"]),
    }
    verb = KPI_ACTIONS.get(str(goal["kpi"]), KPI_ACTIONS.get(str(goal["objective"])))
    lever = lever_for(dict(goal), list(findings), channels)
    network = _goal_network(goal, channels, lever)
    if verb == "reply":
        return Action("reply", "messages", network, figure=tracked, source="tracking", **base)
    if verb == "add_links":
        return Action("add_links", "links", network, figure=tracked, source="tracking", **base)
    if lever and ":" in str(lever["scope"]) and network != "all":
        head, fmt = str(lever["scope"]).split(":", 1)
        share = _mix_share(format_mix, network, fmt)
        if head == network and not math.isnan(share):
            figure = {
                "kpi": lever["kpi"],
                "value": float(lever["value"]),
                "reference": float(lever["reference"]),
                "posts": lever.get("values", {}).get("posts"),
                "share": share,
            }
            return Action("shift_format", fmt, network, figure=figure, source=str(lever["id"]), **base)
    slot = best_slot(slots, network) if network != "all" else None
    if slot:
        figure = {"kpi": "engagement_rate", **slot}
        return Action("schedule", "slot", network, figure=figure, source="slots", **base)
    return None
