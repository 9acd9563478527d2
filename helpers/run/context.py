"""What a notebook opens first: the client's data, the language and the run folder.

Every notebook starts with ``run = open_run(client, clients_dir, run_dir, lang, ...)`` from
its parameters cell, then reads and writes the run folder through ``run`` only, so each
notebook can be re-run alone in JupyterLab once the earlier ones have written their files.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from helpers import kpis
from helpers.client.brief import Brief
from helpers.client.loading import ClientData, cut_period, load_client
from helpers.config import NOTEBOOKS, workspace_dir
from helpers.report.charts import apply_theme
from helpers.report.i18n import LANGS, t

# Which table columns hold the time used to cut the analysed period.
_PERIOD_COLUMNS = {
    "posts": "published_at",
    "mentions": "published_at",
    "care": "received_at",
    "leads": "date",
    "spend": "date",
    "competitors": "date",
}


class EmptyPeriodError(ValueError):
    """The analysed period holds no post: nothing to observe."""


class MissingStepError(RuntimeError):
    """A notebook needs a file that an earlier notebook writes."""


@dataclass
class Run:
    """One client's data, language and run folder, as a notebook sees them."""

    data: ClientData
    lang: str
    run_dir: Path
    start: dt.date
    end: dt.date

    @property
    def brief(self) -> Brief:
        return self.data.brief

    @property
    def client(self) -> str:
        return self.data.name

    @property
    def tz(self) -> str:
        return self.brief.client.timezone

    def kpi(self, kpi_id: str) -> kpis.KpiDef:
        """A KPI's definition in the variant the brief chose (engagement rate, net sentiment)."""
        return kpis.for_conventions(kpi_id, self.brief.kpi)

    def table(self, name: str) -> pd.DataFrame:
        return self.data.tables[name]

    def t(self, key: str, **values: Any) -> str:
        return t(key, self.lang, **values)

    def save_json(self, name: str, payload: Any) -> Path:
        path = self.run_dir / name
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(payload, indent=2, ensure_ascii=False, default=str) + "\n", "utf-8")
        tmp.replace(path)
        return path

    def load_json(self, name: str, written_by: str) -> Any:
        path = self.run_dir / name
        if not path.is_file():
            raise MissingStepError(f"{path} not found: run {written_by} first for this client and run folder")
        return json.loads(path.read_text(encoding="utf-8"))

    def save_table(self, name: str, table: pd.DataFrame) -> Path:
        path = self.run_dir / name
        table.to_csv(path, index=False, lineterminator="\n")
        return path

    def load_table(self, name: str, written_by: str) -> pd.DataFrame:
        path = self.run_dir / name
        if not path.is_file():
            raise MissingStepError(f"{path} not found: run {written_by} first")
        return pd.read_csv(path)

    def record_kpi(self, kpi_def: Any) -> None:
        """Add a KPI shown in this run to the glossary (``glossary.json``), in the run's language.

        The deliverables end with this glossary: every definition a table or chart used, once.
        """
        path = self.run_dir / "glossary.json"
        glossary = json.loads(path.read_text("utf-8")) if path.is_file() else {}
        key = f"{kpi_def.id}|{kpi_def.name(self.lang)}"
        if key in glossary:
            return
        glossary[key] = {
            "id": kpi_def.id,
            "name": kpi_def.name(self.lang),
            "definition": kpi_def.definition(self.lang),
            "objective": kpi_def.objective,
            "unit": kpi_def.unit,
        }
        self.save_json("glossary.json", dict(sorted(glossary.items(), key=lambda kv: kv[1]["name"])))

    def add_summary(self, section: str, items: list[str], step: str) -> None:
        """Set the lines a step gives to a section of the executive summary (``summary.json``).

        Each step owns its lines, so re-running a notebook replaces its own lines only.
        """
        path = self.run_dir / "summary.json"
        summary = json.loads(path.read_text("utf-8")) if path.is_file() else {}
        owned = summary.setdefault("_steps", {}).setdefault(section, {})
        owned[step] = list(items)
        summary[section] = [line for key in sorted(owned) for line in owned[key]]
        self.save_json("summary.json", summary)


def open_run(
    client: str,
    clients_dir: str = "",
    run_dir: str = "",
    lang: str = "",
    period_start: str = "",
    period_end: str = "",
) -> Run:
    """Open a client's data for a notebook, with the values of its parameters cell.

    Args:
        client: client folder name.
        clients_dir: folder of client folders; ``""`` for ``data/clients``.
        run_dir: run folder; ``""`` for ``reports/<client>/workspace`` (work in JupyterLab).
        lang: ``"fr"``, ``"en"`` or ``""`` for the brief's language.
        period_start: ``YYYY-MM-DD`` to override the brief's period start, or ``""``.
        period_end: ``YYYY-MM-DD`` to override the brief's period end, or ``""``.
    """
    data = load_client(client, clients_dir or None)
    lang = lang or data.brief.client.lang
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {LANGS}, got {lang!r}")
    start = dt.date.fromisoformat(period_start) if period_start else data.brief.period.start
    end = dt.date.fromisoformat(period_end) if period_end else data.brief.period.end
    folder = Path(run_dir) if run_dir else workspace_dir(client)
    folder.mkdir(parents=True, exist_ok=True)
    posts = data.tables["posts"]
    for name, column in _PERIOD_COLUMNS.items():
        data.tables[name] = cut_period(data.tables[name], column, start, end)
    if data.tables["posts"].empty:
        covered = (
            f"the posts read cover {posts['published_at'].min():%Y-%m-%d} "
            f"to {posts['published_at'].max():%Y-%m-%d}"
            if not posts.empty
            else "no post was read at all"
        )
        raise EmptyPeriodError(
            f"{client}: no post between {start} and {end} ({covered}); check 'period' in brief.yaml "
            "or the notebook's period_start/period_end"
        )
    data.tables["followers"] = cut_period(data.tables["followers"], "date", start, end)
    apply_theme(data.brief.branding.colour)
    return Run(data=data, lang=lang, run_dir=folder, start=start, end=end)


def step_name(index: int) -> str:
    """``1`` → ``01_observation``: the notebook of a step."""
    return NOTEBOOKS[index - 1]
