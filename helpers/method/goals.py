"""Step 4, SMART goals as objects: baseline from the data, a letter-by-letter check, and
achievability from the client's own trend and its competitors' pace.

Achievability compares the monthly rate of change a goal needs with the trend of the KPI
over the analysed period (a least-squares line on the logarithm of the monthly values, so
its slope is a compound monthly rate, with an interval at the brief's ``analysis.confidence``,
0.95 by default, from the slope's standard error):

* likely: the trend alone reaches the target (needed ≤ trend);
* stretch: needed ≤ the higher of the trend's upper bound and the best competitor's
  pace on the same KPI and network (where the competitors table gives it);
* unrealistic: beyond both.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import asdict, dataclass, field
from statistics import NormalDist

import numpy as np
import pandas as pd

from helpers import kpis
from helpers.client.brief import PERSONA_SCOPE, Brief, Goal

BASELINE_MONTHS = 3


def z_score(confidence: float) -> float:
    """The normal quantile of a two-sided interval at ``confidence`` (0.95 → 1.96)."""
    return NormalDist().inv_cdf((1 + confidence) / 2)


def _month(values: pd.Series, tz: str) -> pd.Series:
    if getattr(values.dt, "tz", None) is not None:
        values = values.dt.tz_convert(tz).dt.tz_localize(None)
    return values.dt.to_period("M").dt.to_timestamp()


def _scoped(table: pd.DataFrame, scope: str, column: str = "channel") -> pd.DataFrame:
    """The rows of a scope: all, a channel, or a persona (tables with a ``persona`` column only)."""
    if scope == "all":
        return table
    if scope.startswith(PERSONA_SCOPE):
        if "persona" not in table.columns:
            return table.iloc[0:0]
        return table[table["persona"] == scope.removeprefix(PERSONA_SCOPE)]
    return table[table[column] == scope]


def monthly_series(kpi_id: str, scope: str, tables: dict[str, pd.DataFrame], brief: Brief) -> pd.Series:
    """The KPI month by month on the goal's scope (index: first day of each month)."""
    tz, conv = brief.client.timezone, brief.kpi
    posts = _scoped(tables["posts"], scope)
    followers = _scoped(tables["followers"], scope)
    if kpi_id == "followers":
        month_end = followers.assign(month=_month(followers["date"], tz)).sort_values("date")
        per_channel = month_end.groupby(["month", "channel"])["followers"].last()
        return per_channel.groupby("month").sum().astype(float)
    if kpi_id == "engagement_rate":  # the posts the audit's rate counts (helpers/kpis/scope.py)
        rated = kpis.rated_posts(posts)
        keyed = rated.assign(month=_month(rated["published_at"], tz))
        return kpis.engagement(keyed, conv, tables["followers"], by="month")
    if kpi_id in ("interactions", "reach", "impressions"):
        keyed = posts.assign(month=_month(posts["published_at"], tz), interactions=kpis.interactions(posts))
        # a month whose posts give no reach (LinkedIn, X) has an unknown reach, not 0
        return keyed.groupby("month")[kpi_id].sum(min_count=1).astype(float)
    if kpi_id in ("mentions", "share_of_voice", "net_sentiment"):
        mentions = _scoped(tables["mentions"], scope)
        keyed = mentions.assign(month=_month(mentions["published_at"], tz))
        own = keyed[keyed["brand"] == brief.client.name]
        if kpi_id == "mentions":
            return own.groupby("month").size().astype(float)
        if kpi_id == "net_sentiment":
            return kpis.net_sentiment(own, conv.net_sentiment_neutral, by="month")
        return kpis.share_of_voice(keyed, by="month").xs(brief.client.name, level="brand")
    if kpi_id in ("response_rate", "response_time_median"):
        care = _scoped(tables["care"], scope)
        keyed = care.assign(month=_month(care["received_at"], tz))
        return getattr(kpis, kpi_id)(keyed, by="month")
    if kpi_id in ("leads", "sqls", "lead_to_sql"):
        leads = _scoped(tables["leads"], scope)
        keyed = leads.assign(month=_month(leads["date"], tz))
        if kpi_id == "lead_to_sql":
            return kpis.lead_to_sql(keyed, by="month")
        return keyed.groupby("month")[kpi_id].sum().astype(float)
    raise KeyError(f"no monthly series for KPI {kpi_id!r}; goals can use: {', '.join(kpis.goal_kpis())}")


def baseline_of(series: pd.Series, kpi_id: str) -> float:
    """A goal's starting value from the KPI's monthly series: the last month for a stock (followers),
    the mean of the last ``BASELINE_MONTHS`` months for a flow or a rate; NaN with fewer months."""
    series = series.dropna()
    if len(series) < BASELINE_MONTHS:
        return math.nan
    stock = kpis.KPIS[kpi_id].goal == "stock"
    return float(series.iloc[-1] if stock else series.iloc[-BASELINE_MONTHS:].mean())


@dataclass(frozen=True)
class _LogFit:
    """Least squares on the logarithm of a positive monthly series."""

    index: pd.Index
    n: int
    mean_x: float
    slope: float
    intercept: float
    sigma: float  # residual standard deviation
    sxx: float


def _log_fit(series: pd.Series) -> _LogFit | None:
    clean = series.dropna()
    clean = clean[clean > 0]
    if len(clean) < 3:
        return None
    x = np.arange(len(clean), dtype=float)
    y = np.log(clean.to_numpy(dtype=float))
    slope, intercept = np.polyfit(x, y, 1)
    resid = y - (slope * x + intercept)
    sxx = float((x - x.mean()) @ (x - x.mean()))
    return _LogFit(
        clean.index,
        len(x),
        float(x.mean()),
        float(slope),
        float(intercept),
        math.sqrt(resid @ resid / (len(x) - 2)),
        sxx,
    )


def trend(series: pd.Series) -> tuple[float, float]:
    """Compound monthly rate of a positive series and its standard error (log-linear fit)."""
    fit = _log_fit(series)
    if fit is None:
        return math.nan, math.nan
    se = fit.sigma / math.sqrt(fit.sxx)
    return math.expm1(fit.slope), se * math.exp(fit.slope)


def forecast(series: pd.Series, until: dt.date, confidence: float = 0.95) -> pd.DataFrame:
    """Monthly forecast to ``until`` from the log-linear trend, with a prediction interval at
    ``confidence`` (the brief's ``analysis.confidence``)."""
    fit = _log_fit(series)
    if fit is None:
        return pd.DataFrame(columns=["mean", "low", "high"])
    months = pd.date_range(fit.index[-1], pd.Timestamp(until), freq="MS")
    steps = np.arange(fit.n - 1, fit.n - 1 + len(months), dtype=float)
    half = z_score(confidence) * fit.sigma * np.sqrt(1 + 1 / fit.n + (steps - fit.mean_x) ** 2 / fit.sxx)
    centre = fit.slope * steps + fit.intercept
    return pd.DataFrame(
        {"mean": np.exp(centre), "low": np.exp(centre - half), "high": np.exp(centre + half)}, index=months
    )


def competitor_pace(kpi_id: str, scope: str, competitors: pd.DataFrame) -> tuple[str, float]:
    """Best competitor's compound monthly growth on the KPI and network, where known."""
    column = {"followers": "followers", "interactions": "interactions"}.get(kpi_id)
    if column is None or competitors.empty:
        return "", math.nan
    part = _scoped(competitors, scope)
    best = ("", math.nan)
    for brand, rows in part.groupby("brand"):
        rate, _ = trend(rows.groupby("date")[column].sum().astype(float))
        if not math.isnan(rate) and (math.isnan(best[1]) or rate > best[1]):
            best = (str(brand), rate)
    return best


def months_between(start: dt.date, end: dt.date) -> float:
    return (end - start).days / 30.4375


@dataclass
class GoalCheck:
    """A goal with its baseline, target, achievability and the SMART letters."""

    id: str
    objective: str
    kpi: str
    scope: str
    deadline: str
    business_objective: str
    actions: list[str]
    baseline_date: str = ""
    label: str = ""
    baseline: float = math.nan
    target: float = math.nan
    needed_monthly: float = math.nan
    trend_monthly: float = math.nan
    trend_se: float = math.nan
    best_competitor: str = ""
    competitor_monthly: float = math.nan
    achievability: str = "unknown"  # likely | stretch | unrealistic | unknown
    letters: dict[str, dict] = field(default_factory=dict)
    suggestion: float = math.nan  # a target that would be a stretch, when this one is not reachable

    @property
    def smart(self) -> bool:
        return all(letter["pass"] for letter in self.letters.values())

    def as_dict(self) -> dict:
        out = asdict(self)
        out["smart"] = self.smart
        return out


def _letter(ok: bool, message: str, values: dict | None = None, kinds: dict | None = None) -> dict:
    """A SMART letter: whether it passes, and its reason as a phrase (catalogue key, raw values and
    how to write them; :func:`helpers.report.words.phrase` writes it in a language)."""
    return {"pass": bool(ok), "message": message, "values": values or {}, "kinds": kinds or {}}


def _num(value: float) -> float | None:
    return None if value is None or math.isnan(value) else float(value)


def _classify(check: GoalCheck, higher: bool, z: float) -> str:
    need = check.needed_monthly if higher else -check.needed_monthly
    trend_rate = check.trend_monthly if higher else -check.trend_monthly
    if math.isnan(need) or math.isnan(trend_rate):
        return "unknown"
    upper = trend_rate + z * check.trend_se
    ceiling = max(upper, check.competitor_monthly) if not math.isnan(check.competitor_monthly) else upper
    if need <= trend_rate:
        return "likely"
    return "stretch" if need <= ceiling else "unrealistic"


def check_goal(
    goal: Goal,
    brief: Brief,
    tables: dict[str, pd.DataFrame],
    baseline_date: dt.date,
    confidence: float = 0.95,
    today: dt.date | None = None,
) -> GoalCheck:
    """Baseline, target and the five SMART letters of one goal, each with its reason as a phrase.

    ``confidence`` is the level of the trend's interval (the brief's ``analysis.confidence``):
    a goal is a stretch up to its upper bound, and the letter A quotes its half-width.
    ``today`` (the goal builder's date) also fails T for a deadline already past.

    A goal that fails S, M, R or T, or whose target moves the KPI against its direction (below
    the baseline for a KPI where higher is better, above it otherwise), is never classed: its
    achievability is ``unknown`` and A says why.
    """
    z = z_score(confidence)
    check = GoalCheck(
        goal.id,
        goal.objective,
        goal.kpi,
        goal.scope,
        goal.deadline.isoformat(),
        goal.business_objective or "",
        list(goal.actions),
        baseline_date.isoformat(),
        goal.label or goal.id,
    )
    known_kpi = goal.kpi in kpis.goal_kpis()
    scope_ok = (
        goal.scope == "all"
        or goal.scope in brief.channels
        or goal.scope in {f"{PERSONA_SCOPE}{p.name}" for p in brief.targets}
    )
    check.letters["S"] = _letter(
        known_kpi and scope_ok,
        "smart.specific_ok"
        if known_kpi and scope_ok
        else ("smart.specific_kpi" if not known_kpi else "smart.specific_scope"),
        {"kpi": goal.kpi, "scope": goal.scope},
        {"scope": "channel"},
    )
    series = monthly_series(goal.kpi, goal.scope, tables, brief) if known_kpi and scope_ok else pd.Series()
    series = series.dropna()
    if len(series) >= BASELINE_MONTHS:
        check.baseline = baseline_of(series, goal.kpi)
        check.target = (
            goal.target.value
            if goal.target.value is not None
            else check.baseline * (1 + goal.target.relative)
        )
    measurable = not math.isnan(check.baseline)
    check.letters["M"] = _letter(
        measurable,
        "smart.measurable_ok" if measurable else "smart.measurable_no",
        {"baseline": _num(check.baseline) if measurable else "", "months": len(series)},
        {"baseline": f"kpi:{goal.kpi}" if measurable else "text"},
    )
    months = months_between(baseline_date, goal.deadline)
    if measurable and months > 0 and check.baseline > 0 and check.target > 0:
        check.needed_monthly = (check.target / check.baseline) ** (1 / months) - 1
        check.trend_monthly, check.trend_se = trend(series)
        check.best_competitor, check.competitor_monthly = competitor_pace(
            goal.kpi, goal.scope, tables["competitors"]
        )
        higher = kpis.KPIS[goal.kpi].higher_is_better
        check.achievability = _classify(check, higher, z)
        if check.achievability == "unrealistic" and higher:
            pace = max(
                check.trend_monthly + z * check.trend_se,
                check.competitor_monthly if not math.isnan(check.competitor_monthly) else -1,
            )
            check.suggestion = check.baseline * (1 + pace) ** months
    wrong_way = (
        measurable
        and known_kpi
        and (
            check.target < check.baseline
            if kpis.KPIS[goal.kpi].higher_is_better
            else check.target > check.baseline
        )
    )
    known = {b.id: b.label for b in brief.business_objectives}
    fits = known_kpi and kpis.KPIS[goal.kpi].objective == goal.objective
    relevant = bool(goal.business_objective) and goal.business_objective in known and fits
    check.letters["R"] = _letter(
        relevant,
        "smart.relevant_ok" if relevant else ("smart.relevant_kpi" if not fits else "smart.relevant_no"),
        {
            "business": known.get(goal.business_objective or "", ""),
            "objective": goal.objective,
            "kpi": goal.kpi,
        },
        {"objective": "objective"},
    )
    check.letters["T"] = _timebound_letter(goal.deadline, series, baseline_date, brief.horizon.end, today)
    failing = [letter for letter in ("S", "M", "R", "T") if not check.letters[letter]["pass"]]
    if failing or wrong_way:
        check.achievability, check.suggestion = "unknown", math.nan
        check.letters["A"] = (
            _letter(False, "smart.achievable_blocked", {"letters": ", ".join(failing)})
            if failing
            else _letter(
                False,
                "smart.achievable_wrong_way",
                {"target": _num(check.target), "baseline": _num(check.baseline)},
                {"target": f"kpi:{goal.kpi}", "baseline": f"kpi:{goal.kpi}"},
            )
        )
    else:
        check.letters["A"] = _achievable_letter(check, z)
    return check


def _timebound_letter(
    deadline: dt.date, series: pd.Series, baseline_date: dt.date, end: dt.date, today: dt.date | None
) -> dict:
    """T: the deadline lies after the data (and today, when given) and within the plan; else the
    precise reason (before the first month of data, before the end of the data, already past, after
    the plan's end)."""
    kinds = {"deadline": "date", "end": "date", "first": "date", "baseline": "date", "today": "date"}
    values = {"deadline": deadline.isoformat(), "end": end.isoformat()}
    first = series.index.min() if len(series) else None
    if first is not None and pd.Timestamp(deadline) < pd.Timestamp(first):
        return _letter(
            False,
            "smart.timebound_before_data",
            {**values, "first": pd.Timestamp(first).date().isoformat()},
            kinds,
        )
    if deadline <= baseline_date:
        return _letter(
            False, "smart.timebound_past", {**values, "baseline": baseline_date.isoformat()}, kinds
        )
    if today is not None and deadline <= today:
        return _letter(False, "smart.timebound_today", {**values, "today": today.isoformat()}, kinds)
    if deadline > end:
        return _letter(False, "smart.timebound_after", values, kinds)
    return _letter(True, "smart.timebound_ok", values, kinds)


def _achievable_letter(check: GoalCheck, z: float) -> dict:
    if check.achievability == "unknown":
        if math.isnan(check.baseline):
            return _letter(False, "smart.achievable_no_baseline")
        if not check.target > 0 or not check.baseline > 0:
            return _letter(False, "smart.achievable_not_positive")
        return _letter(False, "smart.achievable_no_trend")
    competitor = {}
    if check.best_competitor:
        competitor = {
            "message": "smart.competitor_pace",
            "values": {"name": check.best_competitor, "rate": _num(check.competitor_monthly)},
            "kinds": {"rate": "percent:1:signed"},
        }
    return _letter(
        check.achievability != "unrealistic",
        f"smart.achievable_{check.achievability}",
        {
            "needed": _num(check.needed_monthly),
            "trend": _num(check.trend_monthly),
            "se": _num(z * check.trend_se),
            "competitor": competitor,
        },
        {
            "needed": "percent:1:signed",
            "trend": "percent:1:signed",
            "se": "percent:1",
            "competitor": "phrase",
        },
    )


def check_goals(
    brief: Brief, tables: dict[str, pd.DataFrame], baseline_date: dt.date, confidence: float = 0.95
) -> list[GoalCheck]:
    """Check every goal of the brief, the trend's interval at ``confidence``."""
    return [check_goal(goal, brief, tables, baseline_date, confidence) for goal in brief.goals]


def suggested_goals(brief: Brief, findings: list[dict]) -> list[dict]:
    """One suggested goal for each objective of the findings (the problems stated in 03) that no
    goal of the brief covers."""
    covered = {g.objective for g in brief.goals}
    suggestions, seen = [], set()
    for finding in findings:
        objective = finding["objective"]
        if objective in covered or objective in seen or finding["kpi"] not in kpis.goal_kpis():
            continue
        seen.add(objective)
        scope = finding["scope"] if finding["scope"] in brief.channels else "all"
        suggestions.append(
            {
                "objective": objective,
                "kpi": finding["kpi"],
                "scope": scope,
                "target": {"relative": 0.1},
                "deadline": brief.horizon.end.isoformat(),
                "because": finding["id"],
            }
        )
    return suggestions
