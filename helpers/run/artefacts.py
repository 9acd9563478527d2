"""The manifest of a run folder: every file a step hands on, declared once.

Each artefact has a name (what the code says: ``run.save("audit", table)``,
``run.load("audit")``), a file in the run folder, the step that writes it and the steps that
read it. Steps are the notebooks (``01_observation``...), plus:

* ``load``: the client's data read once (``workbook run``, or the first notebook opened by
  hand), see :mod:`helpers.client.snapshot`;
* ``run``: the runner's own records (inputs, status), and the client's history over runs
  (``reports/<client>/history.csv``, :mod:`helpers.run.history`), which reads the KPIs and goals
  of each successful run;
* ``report``: the deliverables' export (``index.html``, ``report.html``), which reads the
  page at a glance, the executive summary and the glossary, and the editable ``report.xlsx``
  and ``report.pptx`` (:mod:`helpers.report.workbook`, :mod:`helpers.report.deck`), which read
  the tables a client reads, the findings and the goals;
* ``portfolio``: the agency's page of every client (``reports/index.html``);
* ``client``: a file handed to the client as it is (the calendar for a scheduler, the ROI
  table...).

An artefact's ``since_readers`` are the steps that may also read it from the previous run (the
monthly cycle: :mod:`helpers.run.since`), never write it there.

:class:`helpers.run.context.Run` refuses to save an artefact from a step that is not its
writer, or to load one in a step that is not among its readers, so this table stays true.
A test checks that every artefact has a reader after its writer, and that no module of
``helpers`` names a run-folder file outside this manifest.
"""

from __future__ import annotations

from dataclasses import dataclass

from helpers.config import NOTEBOOKS

#: Steps that are not notebooks (see the module's docstring).
LOAD, RUN, REPORT, PORTFOLIO, CLIENT = "load", "run", "report", "portfolio", "client"

#: How a file is written and read: ``table`` (CSV), ``json``, ``text`` (written by a helper of its
#: own, such as the calendar's ``.ics``) or ``folder``.
KINDS = ("table", "json", "text", "folder")


@dataclass(frozen=True)
class Artefact:
    """One file of the run folder that a step hands on."""

    name: str
    file: str
    kind: str
    writers: tuple[str, ...]
    readers: tuple[str, ...]
    description: str
    #: steps that may read the copy of the previous run (the monthly cycle, :mod:`helpers.run.since`)
    since_readers: tuple[str, ...] = ()

    @property
    def writer(self) -> str:
        """The first step that writes it (the one to run first when it is missing)."""
        return self.writers[0]


def _a(
    name: str, file: str, kind: str, writers: str | tuple, readers: tuple, description: str, since: tuple = ()
) -> Artefact:
    writers = (writers,) if isinstance(writers, str) else writers
    return Artefact(name, file, kind, writers, readers, description, since)


_OBS, _SYN, _PRO, _GOA, _STR, _PLA, _TRA = NOTEBOOKS

#: Every artefact of a run folder, by name.
ARTEFACTS: dict[str, Artefact] = {
    a.name: a
    for a in (
        _a("tables", "tables", "folder", LOAD, NOTEBOOKS, "the client's tables of the period, read once"),
        _a("inputs", "inputs.json", "json", RUN, (REPORT, PORTFOLIO),
           "every input file, parameters, versions"),
        _a("status", "run.json", "json", RUN, (PORTFOLIO,), "the run's status and durations"),
        _a("audit", "audit.csv", "table", _OBS, (_SYN, _STR, _PLA, REPORT),
           "per owned network: community, activity, care"),
        _a("monthly_engagement", "monthly_engagement.csv", "table", _OBS, (_STR,),
           "engagement rate per month and network"),
        _a("engagement_trend", "engagement_trend.csv", "table", _OBS, (_SYN,),
           "last three months against the three before, per network"),
        _a("formats", "formats.csv", "table", _OBS, (_SYN, _STR, REPORT),
           "engagement per format and network"),
        _a("best_slots", "best_slots.csv", "table", _OBS, (_SYN, REPORT), "weekday × hour slots, ranked"),
        _a("themes", "themes.csv", "table", _OBS, (_SYN, _STR, REPORT),
           "per network, the themes of the brand's posts and mentions: volume, engagement, verdict"),
        _a("benchmark", "benchmark.csv", "table", _OBS, (_SYN, REPORT),
           "every brand's community, voice, sentiment"),
        _a("benchmark_networks", "benchmark_networks.csv", "table", _OBS, (_SYN, REPORT),
           "per network, the brand and each competitor there: community, pace, interactions"),
        _a("competitors_monthly", "competitors_monthly.csv", "table", _OBS, (CLIENT,),
           "every brand's community, growth, share of voice and net sentiment, month by month"),
        _a("competitor_shifts", "competitor_shifts.csv", "table", _OBS, (_SYN,),
           "every brand's share of voice and growth, last three months against the three before"),
        _a("personas", "personas.csv", "table", _OBS, (_STR,), "personas, clustered or from the brief"),
        _a("influencers", "influencers.csv", "table", _OBS, (_STR, CLIENT, REPORT),
           "influencer candidates per persona: tier, score and its parts, shortlist"),
        _a("kpis", "kpis.csv", "table", _OBS, (_TRA, CLIENT, RUN, REPORT),
           "every KPI figure of the audit, long format", (_TRA,)),
        _a("posts_above", "posts_above.csv", "table", _OBS, (CLIENT,),
           "per network and month, the feed posts above the interactions threshold and their share"),
        _a("findings", "findings.json", "json", _SYN, (_PRO, _TRA, REPORT),
           "the audit's findings, ranked", (_SYN, _TRA)),
        _a("pestel", "pestel.json", "json", _SYN, (CLIENT,),
           "the PESTEL, the brief's entries and the data's"),
        _a("problems", "problems.json", "json", _PRO, (_GOA,), "the problems stated, with their KPI"),
        _a("goals", "goals.json", "json", _GOA, (_TRA, PORTFOLIO, RUN, REPORT),
           "every goal checked: baseline, letters", (_GOA, _TRA)),
        _a("slots", "slots.csv", "table", _STR, (_PLA, _TRA), "the best slots per network", (_PLA, _TRA)),
        _a("format_mix", "format_mix.csv", "table", _STR, (_PLA, _TRA),
           "the share of each format per network", (_PLA, _TRA)),
        _a("calendar", "calendar.csv", "text", _PLA, (CLIENT, REPORT), "the dated content calendar",
           (_PLA, _TRA)),
        _a("calendar_ics", "calendar.ics", "text", _PLA, (CLIENT,), "the calendar for a calendar app"),
        _a("calendar_hootsuite", "calendar_hootsuite", "folder", _PLA, (CLIENT,),
           "the calendar for Hootsuite's Bulk Composer: one header-less CSV per network"),
        _a("calendar_metricool", "calendar_metricool.csv", "text", _PLA, (CLIENT,),
           "the calendar for Metricool's CSV import, as drafts"),
        _a("replan", "replan.csv", "table", _PLA, (CLIENT,),
           "what the new calendar changes from the previous run's, and why"),
        _a("workload", "workload.csv", "table", _PLA, (CLIENT, REPORT), "hours per role and month"),
        _a("budget", "budget.csv", "table", _PLA, (CLIENT, REPORT), "time and ads budget per network"),
        _a("tracking", "tracking.csv", "table", _TRA, (PORTFOLIO, RUN, REPORT),
           "every goal's actual against its target", (_TRA,)),
        _a("roi", "roi.csv", "table", _TRA, (CLIENT, REPORT), "time, money and return per network"),
        _a("actions", "actions.json", "json", _TRA, (CLIENT,),
           "the corrective actions: verb, network, date, goal and the figure behind each"),
        _a("campaigns", "campaigns.csv", "table", _TRA, (CLIENT, REPORT),
           "each influencer campaign's costs per engagement, click and lead and its ROI, with totals"),
        _a("adherence", "adherence.csv", "table", _TRA, (CLIENT,),
           "the last report's planned posts matched with the posts published: status, delay, pairing"),
        _a("adherence_networks", "adherence_networks.csv", "table", _TRA, (CLIENT, REPORT),
           "per network and in total, the planned posts due, published, missing, and the adherence"),
        _a("since", "since.csv", "table", _TRA, (CLIENT, REPORT),
           "each headline KPI at the last report and now: change, better or worse, or why not compared"),
        _a("glance", "glance.json", "json", _TRA, (REPORT,),
           "the page at a glance: KPI tiles per network and in total, goals, top findings, next actions"),
        _a("summary", "summary.json", "json", (_SYN, _PLA, _TRA), (REPORT,),
           "the executive summary's lines, per section and step"),
        _a("glossary", "glossary.json", "json", NOTEBOOKS, (REPORT,), "every KPI a page defined"),
    )
}  # fmt: skip


def artefact(name: str) -> Artefact:
    """The artefact called ``name``.

    Raises:
        KeyError: no such artefact; the message lists the known ones.
    """
    try:
        return ARTEFACTS[name]
    except KeyError:
        raise KeyError(f"no artefact {name!r} in the run manifest (known: {', '.join(ARTEFACTS)})") from None


def file_of(name: str) -> str:
    """The file name, in the run folder, of the artefact called ``name``."""
    return artefact(name).file


def files() -> set[str]:
    """The file names of every artefact."""
    return {a.file for a in ARTEFACTS.values()}
