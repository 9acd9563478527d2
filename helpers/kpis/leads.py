"""Lead and return KPIs: lead-to-SQL rate and ROI.

Definitions: ``helpers/kpis/registry.yaml`` (``docs/kpis.md``).
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from helpers.kpis._base import (
    By,
    _div,
    _grouped,
    _num,
    _ratio_frame,
    _sum_ratio,
)


def lead_to_sql(leads: pd.DataFrame, by: By = None) -> Any:
    """Lead-to-SQL rate: sum(sqls) / sum(leads).

    Args:
        leads: the leads table.
        by: optional grouping.

    Returns:
        A float (fraction), or a Series per group.
    """
    frame = _ratio_frame(_num(leads, "sqls"), _num(leads, "leads"))
    return _grouped(frame, by, _sum_ratio, "lead_to_sql", leads)


def roi(return_value: Any, cost: Any) -> Any:
    """Return on investment: (return − cost) / cost.

    Args:
        return_value: what the action brought (a number or a Series).
        cost: what it cost (same shape); 0 gives NaN.

    Returns:
        A float (1.5 means +150 %), or a Series when given Series.
    """
    if isinstance(return_value, pd.Series) or isinstance(cost, pd.Series):
        index = (cost if isinstance(cost, pd.Series) else return_value).index
        cost_s = pd.Series(cost, index=index).astype("float64")
        return ((return_value - cost_s) / cost_s.where(cost_s != 0)).rename("roi")
    return _div(float(return_value) - float(cost), float(cost))
