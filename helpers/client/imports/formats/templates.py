"""The workbook's own CSV templates (README, "Tables"), for data no platform exports."""

from __future__ import annotations

import pandas as pd

from helpers.client.imports.core import Context, Format, Grid
from helpers.client.imports.values import MISSING, numbers, timestamps
from helpers.client.schemas import TABLES, TableSpec

TRUE = {"true", "yes", "oui", "vrai", "1"}


def _parser(spec: TableSpec):
    def parse(grid: Grid, ctx: Context) -> pd.DataFrame:
        out = {}
        for col in spec.columns:
            if col.name not in grid.frame.columns:
                continue
            text = grid.frame[col.name]
            if col.kind in ("int", "float"):
                out[col.name] = numbers(grid, col.name)
            elif col.kind in ("datetime", "date"):
                flags = {"ctx": ctx, "table": spec.name} if col.kind == "datetime" else {}
                values = timestamps(grid, col.name, ctx.tz, month_first=False, **flags)
                out[col.name] = (
                    values if col.kind == "datetime" else values.dt.tz_convert(ctx.tz).dt.tz_localize(None)
                )
            elif col.kind == "bool":
                lowered = text.str.lower()
                out[col.name] = lowered.map(lambda v: None if v in MISSING else v in TRUE)
            elif col.kind == "choice":
                out[col.name] = text.str.lower()
            else:
                out[col.name] = text
        return pd.DataFrame(out, index=grid.frame.index)

    return parse


FORMATS = [
    Format(
        f"template_{spec.name}",
        f"workbook template · {spec.name}",
        spec.name,
        tuple(c.name for c in spec.columns if c.required),
        _parser(spec),
    )
    for spec in TABLES.values()
]
