"""Influencer campaigns (step 7): what each cost and brought, beside the brand's own networks.

One row of the ``campaigns`` table (:data:`helpers.client.schemas.CAMPAIGNS`) is one campaign run
with one influencer on one network. For each row:

* cost per engagement = cost / interactions;
* cost per click = cost / clicks;
* cost per lead = cost / leads;
* ROI = (revenue − cost) / cost (:func:`helpers.kpis.roi`).

Unknown stays unknown, never 0: a figure the campaign's tracking did not give (an empty cell) leaves
every ratio that needs it unknown (NaN). A ratio whose denominator is 0 (a campaign that brought no
lead) is NaN too, and :data:`NONE_BROUGHT` tells it apart from an unknown one: the table keeps the
counts, so a page can say "no lead" where the figure is 0 and "n/a" where it is unknown.

Totals are ratios of sums over the rows where both figures are known (a cost per lead over the
campaigns whose leads are known, an ROI over those whose revenue is known), and
:func:`total_coverage` names the rows each total leaves out, so a total always says what it covers.
A campaign run with several influencers gets a subtotal row of the same kind.

:func:`beside_networks` puts the campaigns' total beside each network's own ROI and cost per lead
(:func:`helpers.method.tracking.roi_table`: team hours and ads spent against the revenue the CRM
attributes, paid and organic work together), so the strategist sees whether influence pays better
than the rest. ROI is money arithmetic on whole campaigns, not a rate measured on a sample of
posts: it gets no interval, and the comparison says which is higher, by how much, over what.

Numbers and ids only; words are added at display time.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from helpers import kpis
from helpers.client.schemas import CAMPAIGNS

#: The figures a campaign row brings, summed in totals over the rows where each is known.
FIGURES = ("cost", "posts", "reach", "interactions", "clicks", "leads", "revenue")
#: Each ratio of :func:`campaign_table`: its denominator (the numerator is the cost).
COSTS_PER = {"cost_per_engagement": "interactions", "cost_per_click": "clicks", "cost_per_lead": "leads"}
#: What a ratio's NaN means when its denominator is 0 rather than unknown (display time says it).
NONE_BROUGHT = "none"
#: The columns of :func:`campaign_table` (``level``: ``row``, ``campaign`` subtotal or ``total``).
COLUMNS = [
    "level",
    "campaign",
    "influencer",
    "network",
    "start",
    "end",
    "days",
    *FIGURES,
    *COSTS_PER,
    "roi",
]
#: The columns of :func:`beside_networks`: ``kind`` is ``influence`` (every campaign), ``network``
#: (one network's own work, ``source`` its id) or ``networks`` (every network whose ROI is known).
BESIDE_COLUMNS = ["kind", "source", "cost", "leads", "revenue", "cost_per_lead", "roi"]


def _float(values: pd.Series) -> pd.Series:
    return pd.to_numeric(values, errors="coerce").astype("float64")


def _per(cost: pd.Series, count: pd.Series) -> pd.Series:
    """cost / count, NaN where the count is unknown or 0."""
    count = _float(count)
    return _float(cost) / count.where(count > 0)


def _check(campaigns: pd.DataFrame) -> None:
    missing = [c for c in CAMPAIGNS.column_names if c not in campaigns.columns]
    if missing:
        raise ValueError(
            f"the campaigns table lacks {', '.join(missing)} "
            f"(expected columns: {', '.join(CAMPAIGNS.column_names)})"
        )
    cost = _float(campaigns["cost"])
    if cost.isna().any() or (cost < 0).any():
        rows = campaigns.index[cost.isna() | (cost < 0)].tolist()[:5]
        raise ValueError(f"the campaigns table needs a cost of 0 or more on every row (rows {rows})")


def _total(rows: pd.DataFrame, level: str, campaign: object = None) -> dict:
    """One total row over ``rows``: each figure summed where known (NaN when none is), each ratio
    over the rows whose denominator (or revenue) is known."""
    out: dict[str, object] = {"level": level, "campaign": campaign, "influencer": None, "network": None}
    starts, ends = pd.to_datetime(rows["start"]), pd.to_datetime(rows["end"])
    out["start"], out["end"] = starts.min(), ends.max()
    out["days"] = float((ends.max() - starts.min()).days + 1) if len(rows) else math.nan
    for figure in FIGURES:
        out[figure] = float(_float(rows[figure]).sum(min_count=1))
    cost = _float(rows["cost"])
    for ratio, count in COSTS_PER.items():
        known = _float(rows[count]).notna()
        total = float(_float(rows.loc[known, count]).sum())
        out[ratio] = float(cost[known].sum()) / total if known.any() and total > 0 else math.nan
    known = _float(rows["revenue"]).notna()
    spent = float(cost[known].sum())
    out["roi"] = kpis.roi(float(_float(rows.loc[known, "revenue"]).sum()), spent) if known.any() else math.nan
    return out


def campaign_table(campaigns: pd.DataFrame) -> pd.DataFrame:
    """Each campaign row's cost per engagement, per click and per lead and its ROI, a subtotal per
    campaign run with several influencers or networks, and a ``total`` row over every campaign.

    Args:
        campaigns: the ``campaigns`` table (columns of :data:`helpers.client.schemas.CAMPAIGNS`).

    Returns:
        The columns of :data:`COLUMNS`, rows in the order of the campaigns' start (each
        campaign's rows, then its subtotal), the ``total`` last; empty (with the columns) for an
        empty table. Counts and money as floats, NaN where unknown.

    Raises:
        ValueError: a column is missing, or a row has no cost or a negative one.
    """
    if campaigns.empty:
        return pd.DataFrame(columns=COLUMNS)
    _check(campaigns)
    rows = campaigns.assign(
        start=pd.to_datetime(campaigns["start"]), end=pd.to_datetime(campaigns["end"])
    ).sort_values(["start", "campaign", "influencer", "network"], kind="stable")
    frame = pd.DataFrame(
        {
            "level": "row",
            "campaign": rows["campaign"].astype(object),
            "influencer": rows["influencer"].astype(object),
            "network": rows["network"].astype(object),
            "start": rows["start"],
            "end": rows["end"],
            "days": ((rows["end"] - rows["start"]).dt.days + 1).astype("float64"),
            **{figure: _float(rows[figure]) for figure in FIGURES},
        }
    )
    for ratio, count in COSTS_PER.items():
        frame[ratio] = _per(frame["cost"], frame[count])
    frame["roi"] = kpis.roi(frame["revenue"], frame["cost"]).where(frame["revenue"].notna())
    parts = []
    for name in frame["campaign"].drop_duplicates():
        part = frame[frame["campaign"] == name]
        parts.append(part)
        if len(part) > 1:
            parts.append(pd.DataFrame([_total(part, "campaign", name)]))
    parts.append(pd.DataFrame([_total(frame, "total")]))
    return pd.concat(parts, ignore_index=True)[COLUMNS]


def total_coverage(table: pd.DataFrame) -> dict[str, list[int]]:
    """For each ratio of :func:`campaign_table`'s ``total`` row (and its ROI), the positions (in
    ``table``) of the campaign rows it leaves out because their figure is unknown; only the ratios
    that leave some out."""
    rows = table[table["level"] == "row"]
    needs = {**COSTS_PER, "roi": "revenue"}
    out = {}
    for ratio, figure in needs.items():
        missing = rows.index[rows[figure].isna()].tolist()
        if missing:
            out[ratio] = missing
    return out


def zero_counts(table: pd.DataFrame) -> dict[str, list[int]]:
    """For each ratio of :func:`campaign_table`, the positions of the rows whose denominator is 0
    (known, nothing brought): their ratio is NaN but means :data:`NONE_BROUGHT`, not unknown."""
    out = {}
    for ratio, count in COSTS_PER.items():
        zero = table.index[table[count].eq(0)].tolist()
        if zero:
            out[ratio] = zero
    return out


def beside_networks(table: pd.DataFrame, roi: pd.DataFrame) -> pd.DataFrame:
    """The campaigns' total beside each network's own work and the networks' total.

    Args:
        table: :func:`campaign_table`'s result.
        roi: :func:`helpers.method.tracking.roi_table`'s result (one row per network, a ``total``).

    Returns:
        The columns of :data:`BESIDE_COLUMNS`: an ``influence`` row (the campaigns' total), one
        ``network`` row per network whose cost is known, then a ``networks`` row over the
        networks whose cost and revenue are both known (the ROI's own coverage); cost per lead
        = cost / leads (NaN where leads are unknown or 0). Empty when there is no campaign.
    """
    if table.empty:
        return pd.DataFrame(columns=BESIDE_COLUMNS)
    total = table[table["level"] == "total"].iloc[0]
    rows = [
        {
            "kind": "influence",
            "source": "campaigns",
            "cost": total["cost"],
            "leads": total["leads"],
            "revenue": total["revenue"],
            "cost_per_lead": total["cost_per_lead"],
            "roi": total["roi"],
        }
    ]
    networks = roi[roi["channel"] != "total"]
    networks = networks[_float(networks["cost"]).notna()]
    for network in networks.itertuples(index=False):
        leads = float(network.leads) if pd.notna(network.leads) else math.nan
        rows.append(
            {
                "kind": "network",
                "source": network.channel,
                "cost": float(network.cost),
                "leads": leads,
                "revenue": float(network.revenue) if pd.notna(network.revenue) else math.nan,
                "cost_per_lead": float(network.cost) / leads if leads > 0 else math.nan,
                "roi": float(network.roi) if pd.notna(network.roi) else math.nan,
            }
        )
    both = networks[_float(networks["revenue"]).notna()]
    if len(both):
        cost, revenue = float(_float(both["cost"]).sum()), float(_float(both["revenue"]).sum())
        leads = float(_float(both["leads"]).sum(min_count=1))
        rows.append(
            {
                "kind": "networks",
                "source": "networks",
                "cost": cost,
                "leads": leads,
                "revenue": revenue,
                "cost_per_lead": cost / leads if leads > 0 else math.nan,
                "roi": kpis.roi(revenue, cost),
            }
        )
    return pd.DataFrame(rows, columns=BESIDE_COLUMNS)


def influence_pays(beside: pd.DataFrame) -> tuple[float, float, str]:
    """The campaigns' ROI, the networks' ROI and which pays better: ``influence``, ``networks``,
    ``equal`` (the same to the percent) or ``unknown`` (one of the two ROIs is)."""
    if beside.empty:
        return math.nan, math.nan, "unknown"
    mine = beside.loc[beside["kind"] == "influence", "roi"]
    theirs = beside.loc[beside["kind"] == "networks", "roi"]
    influence = float(mine.iloc[0]) if len(mine) else math.nan
    networks = float(theirs.iloc[0]) if len(theirs) else math.nan
    if np.isnan(influence) or np.isnan(networks):
        return influence, networks, "unknown"
    if round(influence, 2) == round(networks, 2):
        return influence, networks, "equal"
    return influence, networks, "influence" if influence > networks else "networks"
