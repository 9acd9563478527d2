"""``docs/kpis.md``, the KPI reference, written from the registry (``helpers/kpis/registry.yaml``).

``make docs`` runs ``python -m helpers.kpis.docs``, which rewrites the file; a test regenerates
it in memory and fails when the committed file is not the same.
"""

from __future__ import annotations

import argparse
import itertools
from pathlib import Path

from helpers.kpis.registry import REGISTRY, KpiDef, Registry

DOCS_FILE = Path(__file__).resolve().parents[2] / "docs" / "kpis.md"
_OBJECTIVES = {
    "awareness": "Awareness",
    "community": "Community",
    "engagement": "Engagement",
    "satisfaction": "Satisfaction",
    "leads": "Leads",
    "roi": "Return on investment",
}
_SERIES = {
    "stock": "stock (the month's last value)",
    "flow": "flow (the month's total)",
    "rate": "rate (the month's ratio)",
}


def _cell(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _option(value: object) -> str:
    return str(value).lower() if isinstance(value, bool) else str(value)


def _table(header: list[str], rows: list[list[object]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return lines


def _interactions(registry: Registry) -> list[str]:
    columns = list(registry.interaction_columns)
    rows = []
    for network, names in registry.networks.items():
        rows.append([network] + [f"{n['en']} ({n['fr']})" if n else "not exported" for n in names.values()])
    return [
        "## Interactions per network",
        "",
        "A post's interactions are the sum of the posts table's columns "
        + ", ".join(f"`{c}`" for c in columns)
        +         " (a missing count counts as 0). What each network's export reports under each column, in"
        " English (French):",
        "",
        *_table(["network", *columns], rows),
        "",
    ]


def _native(registry: Registry) -> list[str]:
    """The platforms' own engagement rates, and which posts the brief's rate counts."""
    rows = [
        [network, spec.definition("en"), " + ".join(f"`{c}`" for c in spec.counts), f"`{spec.denominator}`"]
        for network, spec in registry.native_rates.items()
    ]
    return [
        "## Which posts the engagement rate counts, and the platforms' own rates",
        "",
        "The engagement rate is ranked and trended on feed posts: stories (no comments or saves by"
        " design) are analysed apart, and where the export flags paid posts the rate is the organic"
        " one (`helpers/kpis/scope.py`). Beside it, 01 shows each platform's own rate on the same"
        " posts, computed over the posts where every column it needs is known (unknown otherwise):",
        "",
        *_table(["network", "definition", "adds up", "divided by"], rows),
        "",
    ]


def _counted(registry: Registry, record: KpiDef) -> list[str]:
    if not record.counts:
        return []
    rows = [
        [network, ", ".join(registry.interactions_on(network, "en", record.counts)) or "none"]
        for network in registry.networks
    ]
    return [
        "",
        f"Interactions counted ({' + '.join(record.counts)}), per network:",
        "",
        *_table(["network", "counts"], rows),
    ]


def _variants(registry: Registry, record: KpiDef) -> list[str]:
    axes = registry.axes(record.id)
    if not axes:
        return []
    lines = [
        "",
        "Variants, chosen in the brief's `kpi` section ("
        + ", ".join(f"`{a.convention}` sets the {a.name.replace('_', ' ')}" for a in axes)
        + "; the first option of each is the default):",
        "",
    ]
    rows = []
    for values in itertools.product(*(list(a.options) for a in axes)):
        chosen = {a.name: v for a, v in zip(axes, values, strict=True)}
        variant = registry.kpi(record.id, **chosen)
        options = ", ".join(f"{k} = {_option(v)}" for k, v in chosen.items())
        rows.append([options, variant.name("en"), variant.name("fr"), f"`{variant.formula}`"])
    return lines + _table(["options", "name (en)", "name (fr)", "formula"], rows)


def _kpi(registry: Registry, record: KpiDef) -> list[str]:
    facts = [
        ["id", f"`{record.id}`"],
        ["name (en)", record.name("en")],
        ["name (fr)", record.name("fr")],
        ["objective", record.objective],
        ["unit", record.unit],
        ["percent", "yes: a fraction written as a percent" if record.percent else "no"],
        ["direction", "higher is better" if record.higher_is_better else "lower is better"],
        ["formula", f"`{record.formula}`"],
        ["definition (en)", record.definition("en")],
        ["definition (fr)", record.definition("fr")],
        ["goal", _SERIES[record.goal] if record.goal else "no: a SMART goal cannot name it"],
    ]
    return [
        f"### {record.name('en')} (`{record.id}`)",
        "",
        *_table(["field", "value"], facts),
        *_variants(registry, record),
        *_counted(registry, record),
        "",
    ]


def render(registry: Registry = REGISTRY) -> str:
    """The text of ``docs/kpis.md`` for ``registry``."""
    lines = [
        "# KPI reference",
        "",
        "Generated from `helpers/kpis/registry.yaml` by `make docs` (`python -m helpers.kpis.docs`):"
        " edit the registry, then regenerate; a test fails when this file and the registry differ.",
        "",
        "Rates are fractions (0.045 is written 4.5 %); a zero or empty denominator gives no value,"
        " never an error. The functions computing each KPI are in `helpers/kpis/`; the big-input"
        " path (`helpers/kpis/big.py`, DuckDB) computes the observation KPIs from the same"
        " definitions.",
        "",
        "| id | name | objective | unit | direction |",
        "|---|---|---|---|---|",
    ]
    for record in registry.kpis.values():
        direction = "higher" if record.higher_is_better else "lower"
        lines.append(
            f"| `{record.id}` | {_cell(record.name('en'))} | {record.objective} | {record.unit}"
            f" | {direction} |"
        )
    lines += ["", *_interactions(registry), *_native(registry)]
    for objective in registry.objectives:
        records = [r for r in registry.kpis.values() if r.objective == objective]
        if records:
            lines += [f"## {_OBJECTIVES.get(objective, objective)}", ""]
            for record in records:
                lines += _kpi(registry, record)
    return "\n".join(lines).rstrip("\n") + "\n"


def main(argv: list[str] | None = None) -> int:
    """Write the KPI reference (``docs/kpis.md`` unless ``--out`` says otherwise)."""
    parser = argparse.ArgumentParser(description="Write the KPI reference from the KPI registry.")
    parser.add_argument("--out", type=Path, default=DOCS_FILE, help=f"file to write (default {DOCS_FILE})")
    args = parser.parse_args(argv)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(render(), encoding="utf-8")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
