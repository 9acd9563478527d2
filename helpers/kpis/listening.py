"""Listening KPIs from the mentions: share of voice, people talking, sentiment, reputation.

Definitions: ``helpers/kpis/registry.yaml`` (``docs/kpis.md``).
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from helpers.kpis._base import (
    By,
    _div,
    _flag,
    _grouped,
    _keys,
    _num,
)


def share_of_voice(mentions: pd.DataFrame, weight: str | None = None, by: By = None) -> pd.Series:
    """Share of voice per brand: the brand's mentions / all mentions.

    Args:
        mentions: the mentions table (client and competitors).
        weight: None counts mentions; a numeric column (e.g. "reach") weights them (NaN as 0).
        by: optional extra grouping (e.g. a month key): shares are then within each group.

    Returns:
        Fractions indexed by brand (or by the ``by`` key(s) then brand).

    Raises:
        ValueError: ``weight`` is not a column of the table.
    """
    if weight is not None and weight not in mentions.columns:
        raise ValueError(f"cannot weight share of voice by {weight!r}: no such column")
    values = pd.Series(1.0, index=range(len(mentions))) if weight is None else _num(mentions, weight)
    outer = [] if by is None else _keys(mentions, by)
    sums = values.groupby([*outer, mentions["brand"].reset_index(drop=True)], sort=True).sum()
    if outer:
        totals = sums.groupby(level=list(range(len(outer)))).transform("sum")
    else:
        totals = pd.Series(sums.sum(), index=sums.index)
    return (sums / totals.where(totals > 0)).rename("share_of_voice")


def people_talking(mentions: pd.DataFrame, by: By = "brand") -> Any:
    """People talking: distinct (non-empty) authors of the mentions.

    Args:
        mentions: the mentions table.
        by: grouping, "brand" by default; None for all mentions.

    Returns:
        An int, or a Series per group.
    """
    authors = (
        mentions["author"].astype("string").str.strip().replace("", pd.NA)
        if "author" in mentions.columns
        else pd.Series(pd.NA, index=mentions.index, dtype="string")
    )
    frame = pd.DataFrame({"author": authors.reset_index(drop=True)})
    return _grouped(frame, by, lambda f: int(f["author"].nunique()), "people_talking", mentions)


def _sentiments(mentions: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({s: _flag(mentions, "sentiment", s) for s in ("positive", "negative", "neutral")})


def net_sentiment(mentions: pd.DataFrame, include_neutral: bool = False, by: By = None) -> Any:
    """Net sentiment: (positive − negative) / (positive + negative [+ neutral]).

    Args:
        mentions: the mentions table.
        include_neutral: count neutral mentions in the denominator (brief convention).
        by: optional grouping (e.g. "brand").

    Returns:
        A float between −1 and 1, or a Series per group.
    """

    def reduce(f: pd.DataFrame) -> float:
        den = f["positive"].sum() + f["negative"].sum() + (f["neutral"].sum() if include_neutral else 0)
        return _div(f["positive"].sum() - f["negative"].sum(), den)

    return _grouped(_sentiments(mentions), by, reduce, "net_sentiment", mentions)


def positive_share(mentions: pd.DataFrame, by: By = None) -> Any:
    """Share of positive mentions: positive / all mentions.

    Args:
        mentions: the mentions table.
        by: optional grouping.

    Returns:
        A float (fraction), or a Series per group.
    """
    return _grouped(
        _sentiments(mentions), by, lambda f: _div(f["positive"].sum(), len(f)), "positive_share", mentions
    )


def reputation_formula(net: Any, sov: Any) -> Any:
    """The reputation score formula, kept apart so it can become configurable.

    Args:
        net: net sentiment (a float or a Series per brand).
        sov: share of voice (same shape).

    Returns:
        net sentiment × share of voice.
    """
    return net * sov


def reputation_score(
    mentions: pd.DataFrame, include_neutral: bool = False, weight: str | None = None
) -> pd.DataFrame:
    """Reputation score per brand: ``reputation_formula`` = net_sentiment × share_of_voice.

    Sentiment is weighted by each brand's share of voice, so a much-discussed brand's
    opinion counts more. The score lies between −1 and 1.

    Args:
        mentions: the mentions table (client and competitors).
        include_neutral: count neutral mentions in the net-sentiment denominator.
        weight: weight of the share of voice (None: mention counts; "reach").

    Returns:
        A DataFrame indexed by brand with columns share_of_voice, net_sentiment, reputation_score.
    """
    frame = pd.concat(
        [share_of_voice(mentions, weight), net_sentiment(mentions, include_neutral, by="brand")], axis=1
    )
    frame["reputation_score"] = reputation_formula(frame["net_sentiment"], frame["share_of_voice"])
    return frame
