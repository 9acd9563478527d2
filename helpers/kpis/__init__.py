"""KPIs of the method: one registry of definitions, one function per KPI.

The definitions (names, formula, objective, unit, direction, the interactions counted on each
network, the conventions a brief can choose) are data: ``helpers/kpis/registry.yaml``, loaded
by :mod:`helpers.kpis.registry` and written out as ``docs/kpis.md`` (``make docs``). The
functions, by objective, are in :mod:`~helpers.kpis.posts` (engagement),
:mod:`~helpers.kpis.community` (followers), :mod:`~helpers.kpis.listening` (mentions),
:mod:`~helpers.kpis.care` and :mod:`~helpers.kpis.leads`; this package exposes them all.

Every function is pure: it reads canonical tables (:mod:`helpers.client.schemas`) and returns a
figure. Rates are fractions (0.045 means 4.5 %); a zero or empty denominator gives
``nan``, never an error. Counts missing in optional columns count as 0 in sums.
Functions taking ``by`` return a float when ``by`` is None, else a Series per group
(``by`` is a column name, a list of column names, or a Series/array aligned with the rows).
"""

from __future__ import annotations

from typing import Any

from helpers.kpis._base import NAN, By
from helpers.kpis.care import (
    resolution_rate,
    response_rate,
    response_time_mean,
    response_time_median,
    response_times,
)
from helpers.kpis.community import (
    channel_share,
    community_share_of_voice,
    community_size,
    growth_rate,
    monthly_growth,
)
from helpers.kpis.leads import lead_to_sql, roi
from helpers.kpis.listening import (
    net_sentiment,
    people_talking,
    positive_share,
    reputation_formula,
    reputation_score,
    share_of_voice,
)
from helpers.kpis.posts import (
    EngagementConvention,
    engagement,
    engagement_rate,
    followers_at,
    interactions,
    interactions_per_1000,
    post_engagement_rates,
    posts_per_week,
    virality,
)
from helpers.kpis.registry import REGISTRY, KpiDef, Registry, RegistryError, load_registry
from helpers.kpis.scope import (
    counted_interactions,
    feed_posts,
    native_rates,
    paid_coverage,
    paid_split,
    rated_posts,
    story_table,
)

#: Every KPI's base record, by id (the registry's).
KPIS: dict[str, KpiDef] = REGISTRY.kpis


def kpi(kpi_id: str, **variant: Any) -> KpiDef:
    """The definition of a KPI, for the convention chosen in the brief.

    Args:
        kpi_id: a key of :data:`KPIS`.
        **variant: for ``engagement_rate``: ``denominator`` (reach|impressions|followers)
            and ``aggregation`` (ratio_of_sums|mean_of_rates); for ``net_sentiment``:
            ``include_neutral``. The record's names and definition then state the variant.

    Returns:
        The KPI's definition.

    Raises:
        KeyError: unknown KPI id (the message lists the known ids).
        ValueError: a variant the KPI does not have, or an unknown variant value.
    """
    return REGISTRY.kpi(kpi_id, **variant)


def for_conventions(kpi_id: str, conventions: Any) -> KpiDef:
    """A KPI's definition in the variant the brief's ``kpi`` conventions choose.

    Args:
        kpi_id: a key of :data:`KPIS`.
        conventions: the brief's ``kpi`` section (``engagement_rate``, ``aggregation``,
            ``net_sentiment_neutral``); KPIs without variants ignore it.

    Returns:
        The KPI's definition in that variant.
    """
    return REGISTRY.for_conventions(kpi_id, conventions)


def goal_kpis() -> tuple[str, ...]:
    """The KPIs a SMART goal can name (those the registry gives a ``goal`` series kind)."""
    return REGISTRY.goal_kpis()


__all__ = [
    "KPIS",
    "NAN",
    "REGISTRY",
    "By",
    "EngagementConvention",
    "KpiDef",
    "Registry",
    "RegistryError",
    "channel_share",
    "community_share_of_voice",
    "community_size",
    "counted_interactions",
    "engagement",
    "engagement_rate",
    "feed_posts",
    "followers_at",
    "for_conventions",
    "goal_kpis",
    "growth_rate",
    "interactions",
    "interactions_per_1000",
    "kpi",
    "lead_to_sql",
    "load_registry",
    "monthly_growth",
    "native_rates",
    "net_sentiment",
    "paid_coverage",
    "paid_split",
    "people_talking",
    "positive_share",
    "post_engagement_rates",
    "posts_per_week",
    "rated_posts",
    "reputation_formula",
    "reputation_score",
    "resolution_rate",
    "response_rate",
    "response_time_mean",
    "response_time_median",
    "response_times",
    "roi",
    "share_of_voice",
    "story_table",
    "virality",
]
