"""The analysis settings of a notebook: the brief's ``analysis:`` thresholds, overridden by its
``parameters`` cell.

A notebook resolves them once, right after opening the run::

    settings = run.settings(min_posts=min_posts, change_threshold=change_threshold)
    settings                     # a table: each setting, its value and where it comes from

then passes them, visibly, to the cells that use them
(``slots = page.best_time(run, min_posts=settings.min_posts)``). A parameter left ``None`` takes
the brief's value; the brief's unset keys take the documented defaults of
:class:`helpers.client.brief.Analysis`. Values are validated like the brief.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
from pydantic import ValidationError

from helpers.client.brief import Analysis
from helpers.report.display import table
from helpers.report.i18n import fmt_number, t

__all__ = ["SettingsError", "Settings", "resolve", "setting"]


class SettingsError(ValueError):
    """A notebook parameter gives an analysis setting a value it cannot take."""


class Settings:
    """The analysis settings in force, each with its source (``parameter``, ``brief`` or ``default``).

    Read a value as an attribute (``settings.min_posts``); :attr:`table` lists them all.
    """

    def __init__(self, values: Analysis, sources: dict[str, str], lang: str) -> None:
        self.values = values
        self.sources = sources
        self.lang = lang

    def __getattr__(self, name: str) -> Any:
        if name in Analysis.model_fields:
            return getattr(self.values, name)
        raise AttributeError(name)

    @property
    def table(self) -> pd.DataFrame:
        """One row per setting: its name, value and source (numbers, no words)."""
        names = list(Analysis.model_fields)
        return pd.DataFrame(
            {
                "setting": names,
                "value": pd.Series([getattr(self.values, n) for n in names], dtype=object),
                "source": [self.sources[n] for n in names],
            }
        )

    def as_yaml(self) -> str:
        """The settings as the ``analysis:`` section of ``brief.yaml`` (to keep them for every run)."""
        lines = ["analysis:"] + [
            f"  {name}: {'null' if getattr(self.values, name) is None else getattr(self.values, name)}"
            for name in Analysis.model_fields
        ]
        return "\n".join(lines) + "\n"

    def _repr_html_(self) -> str:
        rows = self.table.assign(
            meaning=[t(f"settings.{name}", self.lang) for name in Analysis.model_fields],
            value=[
                t("settings.network_relative", self.lang)
                if v is None
                else fmt_number(v, self.lang, 0 if isinstance(v, int) else 2)
                for v in self.table["value"]
            ],
            source=[t(f"settings.source_{s}", self.lang) for s in self.table["source"]],
        )
        cols = ["setting", "value", "source", "meaning"]
        headers = {c: t(f"settings.col_{c}", self.lang) for c in cols}
        return table(rows[cols], headers=headers, lang=self.lang).markup

    def __repr__(self) -> str:
        return (
            "Settings(" + ", ".join(f"{k}={getattr(self.values, k)!r}" for k in Analysis.model_fields) + ")"
        )


def resolve(brief_values: Analysis, overrides: dict[str, Any], lang: str) -> Settings:
    """The settings in force: each override that is not ``None``, else the brief's value.

    Raises:
        SettingsError: an unknown setting, or a value outside what the brief accepts; the
            message names the parameter, its value and what was expected.
    """
    unknown = sorted(set(overrides) - set(Analysis.model_fields))
    if unknown:
        raise SettingsError(
            f"unknown analysis setting(s) {unknown}: expected some of {list(Analysis.model_fields)}"
        )
    given = {k: v for k, v in overrides.items() if v is not None}
    try:
        values = Analysis.model_validate({**brief_values.model_dump(), **given})
    except ValidationError as exc:
        problems = "; ".join(
            f"parameter {'.'.join(map(str, e['loc']))} = {given.get(e['loc'][0])!r}: "
            f"{e['msg'].removeprefix('Value error, ')}"
            for e in exc.errors()
        )
        raise SettingsError(problems) from None
    explicit = brief_values.model_fields_set
    sources = {
        name: "parameter" if name in given else ("brief" if name in explicit else "default")
        for name in Analysis.model_fields
    }
    return Settings(values, sources, lang)


def setting(brief_values: Analysis, name: str, value: Any) -> Any:
    """``value`` if given, else the brief's ``analysis.<name>``: how a section function reads
    a setting it was not passed."""
    return getattr(brief_values, name) if value is None else value
