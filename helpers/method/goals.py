"""Step 4, SMART goals as objects: baseline from the data, a letter-by-letter check, and
achievability from the client's own trend and its competitors' pace.

Achievability compares the monthly rate of change a goal needs with the trend of the KPI
over the analysed period, with an interval at the brief's ``analysis.confidence`` (0.95 by
default). The trend model depends on the KPI's kind in the registry (``goal:``):

* a flow or a rate (interactions, engagement rate, SQLs...): a least-squares line on the
  logarithm of the monthly values, so its slope is a compound monthly rate, its interval from
  the slope's standard error;
* a stock (``goal: stock``, a cumulative series such as followers): the mean of the monthly
  growth rates (log differences), its interval from their spread. A line fitted to a
  cumulative series has almost no residuals, so its standard error would claim a precision
  ("+2.2 % ± 0.0 %") the month-to-month growth does not have.

Read in the goal's direction (a fall is progress for a KPI where lower is better), with
``[low, high]`` the trend's interval:

* likely: the trend reaches the target (needed ≤ trend) and the trend is distinguishable from
  zero, or even its low bound reaches it (needed ≤ low);
* uncertain: the trend's interval includes 0 (its slope is indistinguishable from
  month-to-month noise) and the needed change lies within the interval: the data neither
  support nor rule the goal out;
* stretch: needed ≤ the higher of the trend's high bound and the best competitor's pace on the
  same KPI and network (where the competitors table gives it);
* unrealistic: beyond both (even the optimistic end of the trend's interval falls short).

A goal classed unrealistic gets a corrected target, always in the goal's direction: the
target the higher of the trend's high bound and the competitor's pace reaches by the deadline
(a stretch), or, when even that pace moves the KPI the wrong way, the baseline itself (hold the
level: stop the decline first), never a target behind the baseline.
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
from helpers.method import observation

#: Months of values a goal needs before it has a baseline: a full window of 01's trend.
BASELINE_MONTHS = observation.TREND_MONTHS
#: The achievability classes, from the most to the least reachable (see the module's docstring).
ACHIEVABILITY = ("likely", "uncertain", "stretch", "unrealistic", "unknown")


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


#: The date column of each table a goal's KPI is computed from.
_DATES = {"posts": "published_at", "mentions": "published_at", "care": "received_at", "leads": "date",
          "followers": "date"}


def _window_key(values: pd.Series, tz: str, window: tuple[dt.date, dt.date]) -> pd.Series:
    """The window's first day for the rows whose local day is in ``window``, NaT for the others."""
    if getattr(values.dt, "tz", None) is not None:
        values = values.dt.tz_convert(tz).dt.tz_localize(None)
    first, after = pd.Timestamp(window[0]), pd.Timestamp(window[1]) + pd.Timedelta(days=1)
    return pd.Series(first, index=values.index).where((values >= first) & (values < after))


def _bucket(tz: str, window: tuple[dt.date, dt.date] | None):
    """How :func:`monthly_series` keys a row by its date: its month, or the window."""
    if window is None:
        return lambda values: _month(values, tz)
    return lambda values: _window_key(values, tz, window)


def _in_window(
    tables: dict[str, pd.DataFrame], tz: str, window: tuple[dt.date, dt.date] | None
) -> dict[str, pd.DataFrame]:
    """The tables cut to the window's rows (as they are without a window), except the followers
    table a rate by followers reads at each post's day (the followers KPI keys its rows by the
    window itself)."""
    if window is None:
        return tables
    return {
        name: table
        if name not in _DATES or name == "followers"
        else table[_window_key(table[_DATES[name]], tz, window).notna()]
        for name, table in tables.items()
    }


def monthly_series(
    kpi_id: str,
    scope: str,
    tables: dict[str, pd.DataFrame],
    brief: Brief,
    window: tuple[dt.date, dt.date] | None = None,
) -> pd.Series:
    """The KPI month by month on the goal's scope (index: first day of each month).

    With ``window`` (its first and last local days), the KPI over the window's rows pooled
    instead: one value, indexed by the window's first day (a rate is then the ratio of the
    window's sums, or the brief's mean of per-post rates, never a mean of monthly rates).
    """
    tz, conv = brief.client.timezone, brief.kpi
    tables, bucket = _in_window(tables, tz, window), _bucket(tz, window)
    posts = _scoped(tables["posts"], scope)
    followers = _scoped(tables["followers"], scope)
    if kpi_id == "followers":
        month_end = followers.assign(month=bucket(followers["date"])).sort_values("date")
        per_channel = month_end.groupby(["month", "channel"])["followers"].last()
        return per_channel.groupby("month").sum().astype(float)
    if kpi_id == "engagement_rate":  # the posts the audit's rate counts (helpers/kpis/scope.py)
        rated = kpis.rated_posts(posts)
        keyed = rated.assign(month=bucket(rated["published_at"]))
        return kpis.engagement(keyed, conv, tables["followers"], by="month")
    if kpi_id in ("interactions", "reach", "impressions"):
        keyed = posts.assign(month=bucket(posts["published_at"]), interactions=kpis.interactions(posts))
        # a month whose posts give no reach (LinkedIn, X) has an unknown reach, not 0
        return keyed.groupby("month")[kpi_id].sum(min_count=1).astype(float)
    if kpi_id in ("mentions", "share_of_voice", "net_sentiment"):
        mentions = _scoped(tables["mentions"], scope)
        keyed = mentions.assign(month=bucket(mentions["published_at"]))
        own = keyed[keyed["brand"] == brief.client.name]
        if kpi_id == "mentions":
            return own.groupby("month").size().astype(float)
        if kpi_id == "net_sentiment":
            return kpis.net_sentiment(own, conv.net_sentiment_neutral, by="month")
        return kpis.share_of_voice(keyed, by="month").xs(brief.client.name, level="brand")
    if kpi_id in ("response_rate", "response_time_median"):
        care = _scoped(tables["care"], scope)
        keyed = care.assign(month=bucket(care["received_at"]))
        return getattr(kpis, kpi_id)(keyed, by="month")
    if kpi_id in ("leads", "sqls", "lead_to_sql"):
        leads = _scoped(tables["leads"], scope)
        keyed = leads.assign(month=bucket(leads["date"]))
        if kpi_id == "lead_to_sql":
            return kpis.lead_to_sql(keyed, by="month")
        return keyed.groupby("month")[kpi_id].sum().astype(float)
    raise KeyError(f"no monthly series for KPI {kpi_id!r}; goals can use: {', '.join(kpis.goal_kpis())}")


def baseline_window(brief: Brief, baseline_date: dt.date) -> tuple[dt.date, dt.date] | None:
    """The window a goal's baseline is measured on: the last
    :data:`~helpers.method.observation.TREND_MONTHS` full months of the period up to
    ``baseline_date``, the recent window of 01's trend (``None`` when the period is shorter)."""
    return observation.recent_window(min(brief.period.start, baseline_date), baseline_date)


def baseline_of(
    kpi_id: str,
    scope: str,
    tables: dict[str, pd.DataFrame],
    brief: Brief,
    baseline_date: dt.date,
    series: pd.Series | None = None,
) -> tuple[float, tuple[dt.date, dt.date] | None]:
    """A goal's starting value and the window it is measured on.

    * a stock (followers): the last month's value, the window being that month;
    * a flow (interactions, leads...): the mean of the monthly totals over :func:`baseline_window`;
    * a rate: the KPI over the window's rows pooled (:func:`monthly_series` with ``window``), so an
      engagement rate's baseline is the recent value of 01's trend, by the brief's convention.

    NaN (and no window) with fewer than ``BASELINE_MONTHS`` months of values in ``series`` (the
    KPI's monthly series, computed when not given) or a period shorter than the window.
    """
    series = (monthly_series(kpi_id, scope, tables, brief) if series is None else series).dropna()
    if len(series) < BASELINE_MONTHS:
        return math.nan, None
    kind = kpis.KPIS[kpi_id].goal
    if kind == "stock":
        month = pd.Timestamp(series.index[-1])
        return float(series.iloc[-1]), (month.date(), (month + pd.offsets.MonthEnd(0)).date())
    window = baseline_window(brief, baseline_date)
    if window is None:
        return math.nan, None
    if kind == "flow":
        inside = series[(series.index >= pd.Timestamp(window[0])) & (series.index <= pd.Timestamp(window[1]))]
        return (float(inside.mean()) if len(inside) else math.nan), window
    pooled = monthly_series(kpi_id, scope, tables, brief, window=window).dropna()
    return (float(pooled.iloc[0]) if len(pooled) else math.nan), window


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


def is_cumulative(kpi_id: str) -> bool:
    """Whether a KPI's monthly series is cumulative (the registry's ``goal: stock``, e.g.
    followers): its trend is the mean monthly growth, not a line through its levels."""
    return kpi_id in kpis.KPIS and kpis.KPIS[kpi_id].goal == "stock"


@dataclass(frozen=True)
class _GrowthFit:
    """Mean and spread of the monthly growth (log differences) of a positive cumulative series."""

    index: pd.Index
    n: int  # monthly differences
    drift: float
    sigma: float  # standard deviation of the monthly log growth
    last: float  # logarithm of the last value


def _growth_fit(series: pd.Series) -> _GrowthFit | None:
    clean = series.dropna()
    clean = clean[clean > 0]
    if len(clean) < 3:
        return None
    logs = np.log(clean.to_numpy(dtype=float))
    steps = np.diff(logs)
    return _GrowthFit(clean.index, len(steps), float(steps.mean()), float(steps.std(ddof=1)), float(logs[-1]))


def trend(series: pd.Series, cumulative: bool = False) -> tuple[float, float]:
    """Compound monthly rate of a positive series and its standard error.

    Args:
        series: the KPI month by month.
        cumulative: a stock (:func:`is_cumulative`): the mean monthly growth and its standard
            error from the spread of the monthly growth; otherwise the slope of a log-linear fit.

    Returns:
        ``(rate, standard error)``; NaN, NaN with fewer than three positive months.
    """
    if cumulative:
        growth = _growth_fit(series)
        if growth is None:
            return math.nan, math.nan
        return math.expm1(growth.drift), growth.sigma / math.sqrt(growth.n) * math.exp(growth.drift)
    fit = _log_fit(series)
    if fit is None:
        return math.nan, math.nan
    se = fit.sigma / math.sqrt(fit.sxx)
    return math.expm1(fit.slope), se * math.exp(fit.slope)


def trend_interval(rate: float, se: float, confidence: float = 0.95) -> tuple[float, float]:
    """The trend's interval at ``confidence``: ``rate ± z × se`` (NaN, NaN when unknown)."""
    if math.isnan(rate) or math.isnan(se):
        return math.nan, math.nan
    half = z_score(confidence) * se
    return rate - half, rate + half


def forecast(
    series: pd.Series, until: dt.date, confidence: float = 0.95, cumulative: bool = False
) -> pd.DataFrame:
    """Monthly forecast to ``until`` with a prediction interval at ``confidence`` (the brief's
    ``analysis.confidence``): where the KPI's value itself is expected to fall, not only its
    trend.

    A flow or a rate follows the log-linear line, its interval widening with the residual
    spread and the distance from the data's centre. A cumulative series (``cumulative``) grows
    from its last value at its mean monthly growth, its interval widening with the spread of the
    monthly growth and the uncertainty of that mean (``h`` months ahead: ``σ √(h + h²/n)``).

    Returns:
        ``mean``, ``low``, ``high`` per month from the last month of data to ``until``; empty
        with fewer than three positive months.
    """
    z = z_score(confidence)
    if cumulative:
        growth = _growth_fit(series)
        if growth is None:
            return pd.DataFrame(columns=["mean", "low", "high"])
        months = pd.date_range(growth.index[-1], pd.Timestamp(until), freq="MS")
        ahead = np.arange(len(months), dtype=float)
        centre = growth.last + growth.drift * ahead
        half = z * growth.sigma * np.sqrt(ahead + ahead**2 / growth.n)
    else:
        fit = _log_fit(series)
        if fit is None:
            return pd.DataFrame(columns=["mean", "low", "high"])
        months = pd.date_range(fit.index[-1], pd.Timestamp(until), freq="MS")
        steps = np.arange(fit.n - 1, fit.n - 1 + len(months), dtype=float)
        half = z * fit.sigma * np.sqrt(1 + 1 / fit.n + (steps - fit.mean_x) ** 2 / fit.sxx)
        centre = fit.slope * steps + fit.intercept
    return pd.DataFrame(
        {"mean": np.exp(centre), "low": np.exp(centre - half), "high": np.exp(centre + half)}, index=months
    )


def ceiling_of(kpi_id: str) -> float:
    """The highest value a goal KPI can take: 1 (100 %) for a percent KPI, each a share of a whole
    in the registry (answered messages of those that need a reply, SQLs of leads, a brand's
    mentions of all, interactions of impressions or followers), else no bound (inf)."""
    return 1.0 if kpi_id in kpis.KPIS and kpis.KPIS[kpi_id].unit == "percent" else math.inf


def forecast_kpi(series: pd.Series, kpi_id: str, until: dt.date, confidence: float = 0.95) -> pd.DataFrame:
    """:func:`forecast` with the KPI's model (:func:`is_cumulative`), its interval capped at the
    KPI's ceiling (:func:`ceiling_of`: a response rate's interval never reads 112 %)."""
    predicted = forecast(series, until, confidence, is_cumulative(kpi_id))
    return predicted.clip(upper=ceiling_of(kpi_id))


def at_deadline(predicted: pd.DataFrame) -> tuple[float, float, float]:
    """The forecast's last month (the deadline's): ``(mean, low, high)``; NaN when empty."""
    if predicted.empty:
        return math.nan, math.nan, math.nan
    last = predicted.iloc[-1]
    return float(last["mean"]), float(last["low"]), float(last["high"])


def competitor_pace(kpi_id: str, scope: str, competitors: pd.DataFrame) -> tuple[str, float]:
    """Best competitor's compound monthly growth on the KPI and network, where known."""
    column = {"followers": "followers", "interactions": "interactions"}.get(kpi_id)
    if column is None or competitors.empty:
        return "", math.nan
    part = _scoped(competitors, scope)
    best = ("", math.nan)
    for brand, rows in part.groupby("brand"):
        rate, _ = trend(rows.groupby("date")[column].sum().astype(float), cumulative=column == "followers")
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
    baseline_window: str = ""  # START/END (ISO) of the months the baseline is measured on
    target: float = math.nan
    needed_monthly: float = math.nan
    trend_monthly: float = math.nan
    trend_se: float = math.nan
    trend_low: float = math.nan  # the trend's interval at the check's confidence
    trend_high: float = math.nan
    forecast: float = math.nan  # the KPI's forecast at the deadline
    forecast_low: float = math.nan  # its prediction interval at the check's confidence
    forecast_high: float = math.nan
    confidence: float = math.nan
    best_competitor: str = ""
    competitor_monthly: float = math.nan
    achievability: str = "unknown"  # one of ACHIEVABILITY
    letters: dict[str, dict] = field(default_factory=dict)
    suggestion: float = math.nan  # a corrected target, in the goal's direction, when this one is unrealistic
    suggestion_kind: str = ""  # "stretch" (reachable at the best pace) or "hold" (no pace moves it forward)
    trajectory: list[dict] = field(default_factory=list)  # planned months (helpers/method/trajectory.py)
    set_in: str = ""  # the run that set the goal, whose baseline and trajectory it keeps
    reset: str = ""  # why a goal of the previous run was set anew (trajectory.RESETS), or ""

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


def _classify(check: GoalCheck, higher: bool) -> str:
    """The achievability class of a check whose needed rate and trend interval are set (module
    docstring): read in the goal's direction, ``likely`` when the trend reaches the target and
    is distinguishable from zero (or its low bound reaches it), ``uncertain`` when the trend's
    interval includes 0 and the needed rate, ``stretch`` up to the higher of its high bound and the
    best competitor's pace, ``unrealistic`` beyond."""
    sign = 1 if higher else -1
    need = sign * check.needed_monthly
    rate = sign * check.trend_monthly
    low, high = sorted((sign * check.trend_low, sign * check.trend_high))
    if any(math.isnan(v) for v in (need, rate, low, high)):
        return "unknown"
    flat = low <= 0 <= high
    if need <= low or (need <= rate and not flat):
        return "likely"
    if flat and need <= high:
        return "uncertain"
    competitor = sign * check.competitor_monthly
    ceiling = max(high, competitor) if not math.isnan(competitor) else high
    return "stretch" if need <= ceiling else "unrealistic"


def _correction(check: GoalCheck, higher: bool, months: float) -> tuple[float, str]:
    """A corrected target for an unrealistic goal, never behind its baseline: the value the best
    pace in the goal's direction (the trend's bound on that side, or the best competitor's pace)
    reaches by the deadline (``stretch``); the baseline itself when that pace moves the KPI the
    wrong way (``hold``: stop the decline before aiming higher)."""
    sign = 1 if higher else -1
    bound = max(sign * check.trend_low, sign * check.trend_high)
    competitor = sign * check.competitor_monthly
    pace = max(bound, competitor) if not math.isnan(competitor) else bound
    if math.isnan(pace) or pace <= 0:
        return check.baseline, "hold"
    return check.baseline * (1 + sign * pace) ** months, "stretch"


def check_goal(
    goal: Goal,
    brief: Brief,
    tables: dict[str, pd.DataFrame],
    baseline_date: dt.date,
    confidence: float = 0.95,
    today: dt.date | None = None,
    kept: tuple[float, str] | None = None,
) -> GoalCheck:
    """Baseline, target and the five SMART letters of one goal, each with its reason as a phrase.

    ``confidence`` is the level of the trend's interval (the brief's ``analysis.confidence``):
    a goal is a stretch up to its upper bound, and the letter A quotes its half-width.
    ``today`` (the goal builder's date) also fails T for a deadline already past. ``kept``, the
    baseline and its window (``START/END``) an earlier run set the goal with
    (:mod:`helpers.method.trajectory`), is used instead of measuring them again.

    A goal that fails S, M, R or T, or whose target moves the KPI against its direction (below
    the baseline for a KPI where higher is better, above it otherwise), is never classed: its
    achievability is ``unknown`` and A says why (a target stated as a value that the baseline
    already meets is said to be met already: it asks for nothing; raise it).
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
        confidence=confidence,
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
        if kept is not None:
            check.baseline, check.baseline_window = kept
        else:
            check.baseline, window = baseline_of(goal.kpi, goal.scope, tables, brief, baseline_date, series)
            check.baseline_window = "/".join(d.isoformat() for d in window) if window else ""
        check.target = (
            goal.target.value
            if goal.target.value is not None
            else check.baseline * (1 + goal.target.relative)
        )
    measurable = not math.isnan(check.baseline)
    check.letters["M"] = _letter(
        measurable,
        "smart.measurable_ok" if measurable else "smart.measurable_no",
        {"baseline": _num(check.baseline) if measurable else "", "months": len(series),
         "window": check.baseline_window},
        {"baseline": f"kpi:{goal.kpi}" if measurable else "text",
         "window": "window" if measurable else "text"},
    )
    months = months_between(baseline_date, goal.deadline)
    if measurable and months > 0 and check.baseline > 0 and check.target > 0:
        check.needed_monthly = (check.target / check.baseline) ** (1 / months) - 1
        cumulative = is_cumulative(goal.kpi)
        check.trend_monthly, check.trend_se = trend(series, cumulative)
        check.trend_low, check.trend_high = trend_interval(check.trend_monthly, check.trend_se, confidence)
        check.forecast, check.forecast_low, check.forecast_high = at_deadline(
            forecast_kpi(series, goal.kpi, goal.deadline, confidence)
        )
        check.best_competitor, check.competitor_monthly = competitor_pace(
            goal.kpi, goal.scope, tables["competitors"]
        )
        higher = kpis.KPIS[goal.kpi].higher_is_better
        check.achievability = _classify(check, higher)
        if check.achievability == "unrealistic":
            check.suggestion, check.suggestion_kind = _correction(check, higher, months)
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
        check.achievability, check.suggestion, check.suggestion_kind = "unknown", math.nan, ""
        check.letters["A"] = (
            _letter(False, "smart.achievable_blocked", {"letters": ", ".join(failing)})
            if failing
            else _letter(
                False,
                # a target stated as a value the baseline already meets asks for nothing; a
                # relative target behind the baseline moves the KPI the wrong way
                "smart.achievable_already_met"
                if goal.target.value is not None
                else "smart.achievable_wrong_way",
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


#: The finest difference the report writes: a monthly rate to 0.1 point (``+2.2 %``), a forecast to
#: 0.1 % of its value. An interval narrower than that is not quoted ("± 0.0 %" is false precision).
PRECISION = 0.001


def _interval_phrase(check: GoalCheck) -> dict:
    """The trend's interval as a nested phrase, or none when it is degenerate at the precision
    the rate is written with (:data:`PRECISION`)."""
    low, high = check.trend_low, check.trend_high
    if math.isnan(low) or math.isnan(high) or high - low < PRECISION:
        return {}
    return {
        "message": "smart.trend_interval",
        "values": {"level": check.confidence, "low": low, "high": high},
        "kinds": {"level": "percent:0", "low": "percent:1:signed", "high": "percent:1:signed"},
    }


def _forecast_phrase(check: GoalCheck) -> dict:
    """The forecast at the deadline with its prediction interval, as a nested phrase (the
    interval left out when narrower than :data:`PRECISION` of the forecast); none when unknown."""
    if math.isnan(check.forecast):
        return {}
    kind = f"kpi:{check.kpi}"
    if check.forecast_high - check.forecast_low < PRECISION * abs(check.forecast):
        return {
            "message": "smart.forecast_point",
            "values": {"value": check.forecast},
            "kinds": {"value": kind},
        }
    return {
        "message": "smart.forecast_interval",
        "values": {
            "value": check.forecast,
            "level": check.confidence,
            "low": check.forecast_low,
            "high": check.forecast_high,
        },
        "kinds": {"value": kind, "level": "percent:0", "low": kind, "high": kind},
    }


def _achievable_letter(check: GoalCheck, z: float) -> dict:
    """A: the class with the needed monthly change, the trend and its interval at the check's
    confidence (quoted only when not degenerate), the forecast at the deadline with its
    prediction interval, and the best competitor's pace. ``se`` keeps the interval's half-width
    (``z`` × the trend's standard error) for the goal builder."""
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
            "interval": _interval_phrase(check),
            "forecast": _forecast_phrase(check),
            "competitor": competitor,
        },
        {
            "needed": "percent:1:signed",
            "trend": "percent:1:signed",
            "se": "percent:1",
            "interval": "phrase",
            "forecast": "phrase",
            "competitor": "phrase",
        },
    )


def check_goals(
    brief: Brief, tables: dict[str, pd.DataFrame], baseline_date: dt.date, confidence: float = 0.95
) -> list[GoalCheck]:
    """Check every goal of the brief, the trend's interval at ``confidence``."""
    return [check_goal(goal, brief, tables, baseline_date, confidence) for goal in brief.goals]


#: The relative change a suggested goal aims for, in the direction of its KPI.
SUGGESTED_CHANGE = 0.1


def suggested_goals(brief: Brief, findings: list[dict]) -> list[dict]:
    """One suggested goal for each objective of the findings (the problems stated in 03) that no
    goal of the brief covers: :data:`SUGGESTED_CHANGE` on the finding's KPI by the end of the
    plan, in the KPI's direction (+10 % where higher is better, −10 % where lower is, such as a
    response time), so a suggested target never moves the KPI the wrong way."""
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
                "target": {
                    "relative": SUGGESTED_CHANGE
                    if kpis.KPIS[finding["kpi"]].higher_is_better
                    else -SUGGESTED_CHANGE
                },
                "deadline": brief.horizon.end.isoformat(),
                "because": finding["id"],
            }
        )
    return suggestions
