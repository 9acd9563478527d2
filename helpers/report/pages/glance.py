"""The page at a glance, as ``07_tracking`` writes it (``glance.json``): the figures only; the
deliverables word and draw it (:mod:`helpers.report.glance`)."""

from __future__ import annotations

from typing import Any

from helpers.method import glance as gl
from helpers.report.display import Section
from helpers.run.context import Run


def glance(run: Run, status: Section, actions: Section) -> dict[str, Any]:
    """The content of ``glance.json`` (:func:`helpers.method.glance.glance`): the KPI tiles of
    the run's period per network and in total, each goal's status from :func:`statuses`
    (``status.table``), the top findings of 02 and the first corrective actions of
    :func:`corrective_actions` (``actions.data["records"]``, the records ``actions.json`` holds).

    The tiles' KPIs go into the run's glossary (the engagement rate in the brief's variant).
    """
    brief = run.brief
    for kpi in gl.GLANCE_KPIS:
        run.record_kpi(run.kpi(kpi))
    tiles = gl.tiles(
        run.table("posts"),
        run.table("followers"),
        brief.channels,
        brief.kpi,
        run.tz,
        run.start,
        run.end,
        run.settings().change_threshold,
    )
    return gl.glance(
        tiles,
        gl.glance_windows(run.start, run.end),
        status.table,
        run.load("findings"),
        actions.data["records"],
    )


def save(run: Run, status: Section, actions: Section) -> None:
    """Write ``glance.json`` (strict JSON: an unknown figure is ``null``) and the glossary's KPIs."""
    run.save("glance", glance(run, status, actions))
    run.save_notes()
