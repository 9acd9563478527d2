"""One sample rule and one interval method for every ranking and every change.

Every place that ranks options (slots overall and per network, formats, weekdays), calls a
change between two windows a trend, or lets the data grow a share in the plan goes through
this module, so the whole workbook applies the same rule:

* **sample**: an option measured on fewer than ``min_posts`` posts (the brief's
  ``analysis.min_posts``) is ``too_few``: shown greyed, never ranked, recommended or planned on;
* **interval**: a bootstrap interval at ``confidence`` (the brief's ``analysis.confidence``),
  posts resampled with replacement and the rate recomputed with the brief's convention
  (ratio of sums or mean of per-post rates) on each resample;
* **verdict**: against a reference (the network's overall rate, the rest of its formats...),
  an option is ``above`` or ``below`` only when its whole interval is on that side; an interval
  that includes the reference is ``not_distinguishable``, never "+50 %".

A change between two windows (a trend) gets an interval the same way, each window's posts
resampled apart: the change is ``rise`` or ``fall`` only when its interval excludes 0.

Numbers and codes only; words are added at display time.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

#: The verdicts of :func:`verdict`, in the order a table shows them.
VERDICTS = ("above", "not_distinguishable", "below", "too_few")
#: The directions of :func:`change`.
DIRECTIONS = ("rise", "fall", "not_distinguishable", "too_few")
#: The aggregations of the engagement-rate convention.
AGGREGATIONS = ("ratio_of_sums", "mean_of_rates")


@dataclass(frozen=True)
class Rule:
    """The sample rule and the interval method, from the brief's ``analysis:`` section.

    Attributes:
        min_posts: posts an option needs before it is ranked or recommended.
        confidence: level of every interval (0.95: the 2.5th and 97.5th percentiles).
        n_boot: bootstrap resamples.
        seed: the resampling seed, so a run is reproducible.
    """

    min_posts: int = 5
    confidence: float = 0.95
    n_boot: int = 1000
    seed: int = 7

    def __post_init__(self) -> None:
        if self.min_posts < 1:
            raise ValueError(f"min_posts must be at least 1, got {self.min_posts}")
        if not 0.5 < self.confidence < 1:
            raise ValueError(f"confidence must be between 0.5 and 1 (0.95 = 95 %), got {self.confidence}")
        if self.n_boot < 100:
            raise ValueError(f"n_boot must be at least 100, got {self.n_boot}")

    @classmethod
    def of(cls, analysis: Any, **overrides: Any) -> Rule:
        """The rule of a brief's ``analysis`` settings (or a run's ``settings()``), with overrides
        (``None`` overrides are ignored, as a notebook's unset parameters are)."""
        values = {"min_posts": analysis.min_posts, "confidence": analysis.confidence}
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)

    def rng(self) -> np.random.Generator:
        """A fresh generator on the rule's seed."""
        return np.random.default_rng(self.seed)


def _check_aggregation(aggregation: str) -> None:
    if aggregation not in AGGREGATIONS:
        raise ValueError(f"unknown aggregation {aggregation!r} (expected one of {', '.join(AGGREGATIONS)})")


def _known(num: np.ndarray, den: np.ndarray, aggregation: str) -> tuple[np.ndarray, np.ndarray]:
    """The posts that count in the rate: a known denominator (and > 0 for a mean of rates)."""
    num, den = np.asarray(num, dtype=float), np.asarray(den, dtype=float)
    keep = ~np.isnan(den) & ~np.isnan(num)
    if aggregation == "mean_of_rates":
        keep &= den > 0
    return num[keep], den[keep]


def rate(num: np.ndarray, den: np.ndarray, aggregation: str) -> float:
    """The rate of the posts under the convention (NaN when no post counts)."""
    _check_aggregation(aggregation)
    num, den = _known(num, den, aggregation)
    if len(num) == 0:
        return math.nan
    if aggregation == "mean_of_rates":
        return float(np.mean(num / den))
    total = den.sum()
    return float(num.sum() / total) if total > 0 else math.nan


def _boot(
    num: np.ndarray, den: np.ndarray, aggregation: str, rng: np.random.Generator, n_boot: int
) -> np.ndarray:
    """``n_boot`` bootstrap rates of posts already filtered by :func:`_known`."""
    idx = rng.integers(0, len(num), size=(n_boot, len(num)))
    if aggregation == "mean_of_rates":
        return (num / den)[idx].mean(axis=1)
    sums = den[idx].sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(sums > 0, num[idx].sum(axis=1) / sums, np.nan)


def interval(
    num: np.ndarray,
    den: np.ndarray,
    aggregation: str,
    rule: Rule | None = None,
    rng: np.random.Generator | None = None,
) -> tuple[float, float]:
    """Bootstrap interval at ``rule.confidence`` of the posts' rate.

    Args:
        num: interactions per post.
        den: denominator per post (NaN where unknown: left out, as in the rate itself).
        aggregation: ``ratio_of_sums`` or ``mean_of_rates``.
        rule: the sample rule (defaults to :class:`Rule`'s defaults).
        rng: a generator to share across calls (a fresh one on the rule's seed otherwise).

    Returns:
        ``(low, high)``; NaN, NaN when no post counts.
    """
    _check_aggregation(aggregation)
    rule = rule or Rule()
    num, den = _known(num, den, aggregation)
    if len(num) == 0:
        return math.nan, math.nan
    boot = _boot(num, den, aggregation, rng or rule.rng(), rule.n_boot)
    tail = (1 - rule.confidence) / 2
    return float(np.nanquantile(boot, tail)), float(np.nanquantile(boot, 1 - tail))


def verdict(posts: int, low: float, high: float, reference: float, min_posts: int) -> str:
    """``too_few`` under the sample rule, ``above``/``below`` when the whole interval is on that
    side of ``reference``, else ``not_distinguishable`` (also when the interval or the reference
    is unknown)."""
    if posts < min_posts:
        return "too_few"
    if any(isinstance(v, float) and math.isnan(v) for v in (low, high, reference)):
        return "not_distinguishable"
    if low > reference:
        return "above"
    if high < reference:
        return "below"
    return "not_distinguishable"


def compare_groups(
    keys: pd.DataFrame,
    num: np.ndarray,
    den: np.ndarray,
    aggregation: str,
    reference: float | pd.Series,
    rule: Rule | None = None,
) -> pd.DataFrame:
    """Every group of ``keys`` (one row per post) with its rate, interval and verdict.

    Args:
        keys: the grouping columns, aligned with ``num`` and ``den`` (e.g. weekday and hour).
        num, den: interactions and denominator per post.
        aggregation: the convention's aggregation.
        reference: the rate each group is compared with: one number for every group, or a
            Series indexed like the groups (a tuple index for several keys).
        rule: the sample rule.

    Returns:
        The key columns, ``posts``, ``rate``, ``low``, ``high``, ``reference``, ``lift``
        (rate / reference − 1) and ``verdict``, ranked: groups that pass the sample rule first,
        by the low bound of their interval (so a group that shines on a handful of posts does
        not beat one that is consistently good), then by rate. Groups under the sample rule get
        no interval (NaN): they are not ranked on it.
    """
    _check_aggregation(aggregation)
    rule = rule or Rule()
    rng = rule.rng()
    names = list(keys.columns)
    num, den = np.asarray(num, dtype=float), np.asarray(den, dtype=float)
    rows = []
    for key, index in keys.reset_index(drop=True).groupby(names, sort=True, dropna=True).indices.items():
        key = key if isinstance(key, tuple) else (key,)
        n_posts = len(index)
        value = rate(num[index], den[index], aggregation)
        if n_posts >= rule.min_posts:
            low, high = interval(num[index], den[index], aggregation, rule, rng)
        else:
            low, high = math.nan, math.nan
        lookup = key if len(key) > 1 else key[0]
        ref = reference if np.isscalar(reference) else reference.get(lookup, math.nan)
        ref = float(ref) if ref is not None else math.nan
        rows.append(
            {
                **dict(zip(names, key, strict=True)),
                "posts": n_posts,
                "rate": value,
                "low": low,
                "high": high,
                "reference": ref,
                "lift": value / ref - 1 if ref and not math.isnan(ref) else math.nan,
                "verdict": verdict(n_posts, low, high, ref, rule.min_posts),
            }
        )
    columns = [*names, "posts", "rate", "low", "high", "reference", "lift", "verdict"]
    table = pd.DataFrame(rows, columns=columns)
    if table.empty:
        return table
    table["_eligible"] = table["verdict"] != "too_few"
    table = table.sort_values(["_eligible", "low", "rate"], ascending=False, na_position="last")
    return table.drop(columns="_eligible").reset_index(drop=True)


def change(
    before: tuple[np.ndarray, np.ndarray],
    recent: tuple[np.ndarray, np.ndarray],
    aggregation: str,
    rule: Rule | None = None,
    rng: np.random.Generator | None = None,
) -> dict[str, float | str | int]:
    """The relative change of a rate from one window of posts to the next, with its interval.

    Args:
        before, recent: ``(interactions, denominators)`` per post of each window.
        aggregation: the convention's aggregation.
        rule: the sample rule: each window needs ``min_posts`` posts.

    Returns:
        ``before``, ``recent`` (each window's rate), ``change`` (recent / before − 1), ``low``
        and ``high`` (its bootstrap interval, each window's posts resampled apart),
        ``posts_before``, ``posts_recent`` and ``direction``: ``rise``/``fall`` when the interval
        excludes 0, ``not_distinguishable`` when it includes it, ``too_few`` under the rule.
    """
    _check_aggregation(aggregation)
    rule = rule or Rule()
    rng = rng or rule.rng()
    (nb, db), (nr, dr) = _known(*before, aggregation), _known(*recent, aggregation)
    out: dict[str, float | str | int] = {
        "before": rate(nb, db, aggregation),
        "recent": rate(nr, dr, aggregation),
        "posts_before": len(nb),
        "posts_recent": len(nr),
    }
    b, r = out["before"], out["recent"]
    out["change"] = r / b - 1 if b and not math.isnan(b) and not math.isnan(r) else math.nan
    if min(len(nb), len(nr)) < rule.min_posts or math.isnan(out["change"]):
        out.update(low=math.nan, high=math.nan, direction="too_few")
        return out
    boot_b = _boot(nb, db, aggregation, rng, rule.n_boot)
    boot_r = _boot(nr, dr, aggregation, rng, rule.n_boot)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratios = np.where(boot_b > 0, boot_r / boot_b - 1, np.nan)
    tail = (1 - rule.confidence) / 2
    low, high = float(np.nanquantile(ratios, tail)), float(np.nanquantile(ratios, 1 - tail))
    direction = "rise" if low > 0 else "fall" if high < 0 else "not_distinguishable"
    out.update(low=low, high=high, direction=direction)
    return out
