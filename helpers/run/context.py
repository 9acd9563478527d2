"""What a notebook opens first: the client's data, the language and the run folder.

Every notebook starts with ``run = open_run(client, clients_dir, run_dir, lang, ..., step=...)``
from its parameters cell, then reads and writes the run folder through ``run`` only: the
client's tables come from the snapshot of the run folder (:mod:`helpers.client.snapshot`),
and the files steps hand on are declared once in :mod:`helpers.run.artefacts`. A notebook can
be re-run alone in JupyterLab once the earlier ones have written their files.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from helpers import kpis
from helpers.client import snapshot
from helpers.client.brief import Brief
from helpers.client.loading import ClientData, read_csv, write_csv, write_json
from helpers.client.snapshot import EmptyPeriodError
from helpers.config import NOTEBOOKS, client_dir, workspace_dir
from helpers.report.charts import apply_theme
from helpers.report.i18n import LANGS, set_country, t
from helpers.run import since
from helpers.run.artefacts import Artefact, artefact

__all__ = ["EmptyPeriodError", "MissingStepError", "Run", "open_run", "step_name"]


class MissingStepError(RuntimeError):
    """A notebook needs a file that an earlier notebook writes."""


class ManifestError(RuntimeError):
    """A step saves or loads an artefact the manifest does not give it."""


@dataclass
class Run:
    """One client's data, language and run folder, as a notebook sees them."""

    data: ClientData
    lang: str
    run_dir: Path
    start: dt.date
    end: dt.date
    #: the notebook this run serves (``01_observation``...), or ``""`` outside the series
    step: str = ""
    #: the earlier run this one compares with (:mod:`helpers.run.since`), or None
    since_dir: Path | None = None
    _glossary: dict = field(default_factory=dict, repr=False)
    _summary: dict = field(default_factory=dict, repr=False)
    _memo: dict = field(default_factory=dict, repr=False)

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
        """The client's table ``name`` for the run's period (``posts``, ``followers``...), as read
        once into the run folder's ``tables/``."""
        return self.data.tables[name]

    def t(self, key: str, **values: Any) -> str:
        return t(key, self.lang, **values)

    def settings(self, **overrides: Any) -> Any:
        """The analysis settings in force (:mod:`helpers.run.settings`): the brief's ``analysis:``
        thresholds, each overridden by a keyword that is not ``None`` (a notebook's parameters).

        Raises:
            helpers.run.settings.SettingsError: an unknown setting or a value out of range.
        """
        from helpers.run.settings import resolve

        return resolve(self.brief.analysis, overrides, self.lang)

    def cached(self, key: tuple, compute: Any) -> Any:
        """``compute()`` once per ``key`` for this run: sections of a notebook that need the same
        table (the channel audit...) compute it once. The key names the table and its settings."""
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]

    def _check(self, item: Artefact, role: str) -> None:
        allowed = item.writers if role == "write" else item.readers
        if self.step and self.step not in allowed:
            raise ManifestError(
                f"{self.step} cannot {role} {item.file!r}: the run manifest (helpers/run/artefacts.py) "
                f"gives it to {', '.join(allowed)}"
            )

    def path(self, name: str) -> Path:
        """Where the artefact ``name`` lives in the run folder."""
        return self.run_dir / artefact(name).file

    def save(self, name: str, value: Any) -> Path:
        """Write the artefact ``name`` (a DataFrame for a table, a JSON-able value for JSON).

        JSON is strict: a NaN is written ``null``, never the bare ``NaN`` other tools reject.
        """
        item = artefact(name)
        self._check(item, "write")
        path = self.run_dir / item.file
        if item.kind == "json":
            return write_json(path, value)
        if item.kind != "table":
            raise ManifestError(f"{item.file!r} is written by its own helper, not by Run.save")
        return write_csv(value, path)

    def load(self, name: str) -> Any:
        """Read the artefact ``name`` that an earlier step wrote.

        Raises:
            MissingStepError: the file is not there; the message names the step to run first.
        """
        item = artefact(name)
        self._check(item, "read")
        path = self.run_dir / item.file
        if not path.is_file():
            raise MissingStepError(
                f"{path} not found: run {item.writer} first for this client and run folder"
            )
        if item.kind == "table":
            return read_csv(path)
        return json.loads(path.read_text(encoding="utf-8"))

    # ----------------------------------------------------------------- the previous run
    @property
    def previous(self) -> Any:
        """The earlier run this one compares with (:class:`helpers.run.since.PreviousRun`), or None."""
        if self.since_dir is None:
            return None
        if "previous" not in self._memo:
            self._memo["previous"] = since.previous_run(self.since_dir)
        return self._memo["previous"]

    def comparison(self) -> dict | None:
        """What this run can compare with the previous one on (:func:`helpers.run.since.comparability`):
        the two windows of data, and the KPI conventions that changed; None without a previous run."""
        previous = self.previous
        if previous is None:
            return None
        conventions = self.brief.kpi.model_dump()
        return since.comparability(previous, self.start, self.end, conventions)

    def previous_path(self, name: str) -> Path | None:
        """Where the artefact ``name`` lives in the previous run's folder; None without a previous
        run, or when that run did not write it (an older run, a step added since).

        Raises:
            ManifestError: this step may not read the previous run's copy (``since_readers``).
        """
        item = artefact(name)
        if self.step and self.step not in item.since_readers:
            raise ManifestError(
                f"{self.step} cannot read the previous run's {item.file!r}: the run manifest "
                f"(helpers/run/artefacts.py) gives it to {', '.join(item.since_readers) or 'no step'}"
            )
        if self.since_dir is None:
            return None
        path = self.since_dir / item.file
        return path if path.is_file() else None

    def previous_load(self, name: str) -> Any:
        """The artefact ``name`` as the previous run wrote it (a DataFrame or JSON), or None (see
        :meth:`previous_path`). Files written by a helper of their own (``text``) are read with it,
        from :meth:`previous_path`."""
        item = artefact(name)
        path = self.previous_path(name)
        if path is None:
            return None
        if item.kind == "table":
            return read_csv(path)
        if item.kind == "json":
            return json.loads(path.read_text(encoding="utf-8"))
        raise ManifestError(f"{item.file!r} is read by its own helper, from Run.previous_path")

    def history(self) -> pd.DataFrame:
        """The client's history over runs (:mod:`helpers.run.history`, next to the run folders)."""
        from helpers.run.history import read_history_file

        return read_history_file(self.run_dir.parent / "history.csv")

    def record_kpi(self, kpi_def: Any) -> None:
        """Note a KPI shown in this run for the glossary the deliverables end with.

        Pages only note it; the notebook's save cell writes it (:meth:`save_notes`). The glossary
        holds ids, objectives and units: names and definitions, in the brief's variant, are
        written in the reader's language by the deliverables.
        """
        self._glossary.setdefault(
            kpi_def.id, {"id": kpi_def.id, "objective": kpi_def.objective, "unit": kpi_def.unit}
        )

    def add_summary(self, section: str, items: list[str], append: bool = False) -> None:
        """Set the lines this step gives to a section of the executive summary (written by
        :meth:`save_notes`; re-running a notebook replaces its own lines only); ``append`` adds
        them after the lines this step already gave that section."""
        self._summary[section] = [*(self._summary.get(section, []) if append else []), *items]

    def save_notes(self) -> None:
        """Write what this step noted for the deliverables: its KPIs into ``glossary.json`` and its
        lines of the executive summary into ``summary.json``, keeping the other steps' entries."""
        if self._glossary:
            path = self.path("glossary")
            glossary = json.loads(path.read_text("utf-8")) if path.is_file() else {}
            glossary.update(self._glossary)
            self.save("glossary", dict(sorted(glossary.items())))
        if self._summary:
            path = self.path("summary")
            summary = json.loads(path.read_text("utf-8")) if path.is_file() else {}
            for section, items in self._summary.items():
                owned = summary.setdefault("_steps", {}).setdefault(section, {})
                owned[self.step or "notebook"] = items
                summary[section] = [line for key in sorted(owned) for line in owned[key]]
            self.save("summary", summary)


def open_run(
    client: str,
    clients_dir: str = "",
    run_dir: str = "",
    lang: str = "",
    period_start: str = "",
    period_end: str = "",
    step: str = "",
    since_dir: str = "",
) -> Run:
    """Open a client's data for a notebook, with the values of its parameters cell.

    Args:
        client: client folder name.
        clients_dir: folder of client folders; ``""`` for ``data/clients``.
        run_dir: run folder; ``""`` for ``reports/<client>/workspace`` (work in JupyterLab).
        lang: ``"fr"``, ``"en"`` or ``""`` for the brief's language.
        period_start: ``YYYY-MM-DD`` to override the brief's period start, or ``""``.
        period_end: ``YYYY-MM-DD`` to override the brief's period end, or ``""``.
        step: the notebook opening the run (``01_observation``...): it may save and load only
            the artefacts the manifest (:mod:`helpers.run.artefacts`) gives it.
        since_dir: the earlier run folder to compare with; ``""`` for the client's newest successful
            run next to the run folder (:func:`helpers.run.since.resolve`), ``"none"`` for none.

    The client's tables come from the run folder's snapshot when it serves this client and
    period (written by ``workbook run``, or by the first notebook opened by hand while the
    client folder is unchanged); otherwise the client folder is read and the snapshot written.
    """
    folder = Path(run_dir) if run_dir else workspace_dir(client)
    folder.mkdir(parents=True, exist_ok=True)
    meta = snapshot.read_meta(folder)
    source = client_dir(client, clients_dir or None)
    if meta is not None and meta.get("client") == client:
        start, end = _period(period_start, period_end, meta)
        if snapshot.is_current(meta, client, source, start, end):
            return _opened(snapshot.read(folder, meta), lang, folder, start, end, step, since_dir)
    start = dt.date.fromisoformat(period_start) if period_start else None
    end = dt.date.fromisoformat(period_end) if period_end else None
    data, start, end = snapshot.load_period(client, clients_dir or None, start, end)
    if meta is None or meta.get("origin") != "run":  # a run's own snapshot is never replaced
        snapshot.write(data, folder, start, end, origin="workspace")
    return _opened(data, lang, folder, start, end, step, since_dir)


def _period(period_start: str, period_end: str, meta: dict) -> tuple[dt.date, dt.date]:
    """The period asked for, the brief's (as the snapshot holds it) where none is given."""
    brief = meta["brief"]["period"]
    start = dt.date.fromisoformat(period_start or brief["start"])
    end = dt.date.fromisoformat(period_end or brief["end"])
    return start, end


def _opened(
    data: ClientData, lang: str, folder: Path, start: dt.date, end: dt.date, step: str, since_dir: str = ""
) -> Run:
    lang = lang or data.brief.client.lang
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {LANGS}, got {lang!r}")
    if step and step not in NOTEBOOKS:
        raise ValueError(f"step must be one of {', '.join(NOTEBOOKS)}, got {step!r}")
    apply_theme(data.brief.branding.colour)
    set_country(data.brief.client.country)  # dates, times and numbers in the client's country's style
    current = folder.name if (folder / artefact("status").file).is_file() else None
    previous = since.resolve(folder.parent, data.name, since_dir or None, current)
    return Run(data=data, lang=lang, run_dir=folder, start=start, end=end, step=step, since_dir=previous)


def step_name(index: int) -> str:
    """``1`` → ``01_observation``: the notebook of a step."""
    return NOTEBOOKS[index - 1]
