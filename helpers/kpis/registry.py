"""The KPI registry: ``helpers/kpis/registry.yaml`` loaded into frozen records.

The YAML file holds every fact about a KPI (names, definition, formula, objective, unit,
percent flag, direction, the interactions it counts on each network, the conventions a brief
can choose); this module checks it and makes :class:`KpiDef` records of it. The functions
computing the KPIs live beside it (:mod:`helpers.kpis`), and ``docs/kpis.md`` is generated from
it (:mod:`helpers.kpis.docs`, ``make docs``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType
from typing import Any

import yaml

REGISTRY_FILE = Path(__file__).resolve().with_name("registry.yaml")
LANGS: tuple[str, ...] = ("fr", "en")
#: Fields every KPI of the registry must give.
KPI_FIELDS: tuple[str, ...] = (
    "objective",
    "unit",
    "percent",
    "higher_is_better",
    "name",
    "numerator",
    "denominator",
    "aggregation",
    "formula",
    "counts",
)
_TEXTS = ("name", "numerator", "denominator", "aggregation")
_SERIES = ("stock", "flow", "rate")


class RegistryError(ValueError):
    """The registry file breaks a rule (a missing field, an unknown unit...)."""


@dataclass(frozen=True)
class KpiDef:
    """A KPI's definition, in French and English.

    ``unit`` is one of the registry's units (percent, count, hours, per_1000, ratio, currency);
    ``objective`` one of its objectives (awareness, community, engagement, satisfaction, leads,
    roi); ``percent`` says the value is a fraction written as a percent; ``counts`` lists the
    interaction columns of the posts table the KPI counts; ``goal`` is the kind of monthly
    series (stock, flow, rate) when a SMART goal can name the KPI, else None; ``variants`` the
    name of its family of conventions in the registry, else None.
    """

    id: str
    objective: str
    name_fr: str
    name_en: str
    numerator_fr: str
    numerator_en: str
    denominator_fr: str
    denominator_en: str
    aggregation_fr: str
    aggregation_en: str
    unit: str
    higher_is_better: bool = True
    percent: bool = False
    formula: str = ""
    counts: tuple[str, ...] = ()
    goal: str | None = None
    variants: str | None = None

    def _text(self, name: str, lang: str) -> str:
        if lang not in LANGS:
            raise ValueError(f"unknown language {lang!r} (expected 'fr' or 'en')")
        return getattr(self, f"{name}_{lang}")

    def name(self, lang: str) -> str:
        """The KPI's name in ``lang`` ("fr" or "en")."""
        return self._text("name", lang)

    def definition(self, lang: str) -> str:
        """One sentence: "numerator / denominator, aggregation." in ``lang``; a numerator or a
        denominator that is a sum or a difference is bracketed: "(return − cost) / cost"."""
        num, den = self._text("numerator", lang), self._text("denominator", lang)
        ratio = f"{bracketed(num)} / {bracketed(den)}" if den else num
        first = next((i for i, char in enumerate(ratio) if char.isalpha()), 0)
        ratio = ratio[:first] + ratio[first:].capitalize()[:1] + ratio[first + 1 :]
        return f"{ratio}, {self._text('aggregation', lang)}."


#: The operators that make a term of a ratio need brackets (a sum, a difference).
_LOOSE_OPERATORS = (" − ", " + ", " - ")


def bracketed(term: str) -> str:
    """``term`` in brackets when it adds or subtracts outside any bracket of its own, so that
    "a − b" over "c" reads "(a − b) / c" and not "a − b / c"."""
    depth, plain = 0, []
    for char in term:
        depth += (char == "(") - (char == ")")
        plain.append(char if depth == 0 else "_")
    loose = "".join(plain)
    return f"({term})" if any(op in loose for op in _LOOSE_OPERATORS) else term


@dataclass(frozen=True)
class Axis:
    """One convention of a KPI: the brief's field that sets it and its options (first = default)."""

    name: str
    convention: str
    options: Mapping[Any, Mapping[str, Any]]

    @property
    def default(self) -> Any:
        """The first option: the one the KPI's own record states."""
        return next(iter(self.options))


@dataclass(frozen=True)
class NativeRate:
    """A platform's own engagement rate: the posts table's ``counts`` columns added up, over its
    ``denominator`` column, with its definition in French and English."""

    network: str
    counts: tuple[str, ...]
    denominator: str
    definition_fr: str
    definition_en: str

    def definition(self, lang: str) -> str:
        """The definition in ``lang`` ("fr" or "en")."""
        if lang not in LANGS:
            raise ValueError(f"unknown language {lang!r} (expected 'fr' or 'en')")
        return self.definition_fr if lang == "fr" else self.definition_en


@dataclass(frozen=True)
class Registry:
    """Every KPI's record, the units and objectives, and the per-network interactions."""

    kpis: dict[str, KpiDef]
    units: tuple[str, ...]
    objectives: tuple[str, ...]
    scorecard: tuple[str, ...]
    interaction_columns: tuple[str, ...]
    networks: Mapping[str, Mapping[str, Mapping[str, str] | None]]
    variants: Mapping[str, tuple[Axis, ...]] = field(default_factory=dict)
    #: the platforms' own engagement rates, by network (networks without one are absent)
    native_rates: Mapping[str, NativeRate] = field(default_factory=dict)

    def get(self, kpi_id: str) -> KpiDef:
        """The base record of a KPI.

        Raises:
            KeyError: unknown KPI id (the message lists the known ids).
        """
        if kpi_id not in self.kpis:
            raise KeyError(f"unknown KPI {kpi_id!r}; known KPIs: {', '.join(sorted(self.kpis))}")
        return self.kpis[kpi_id]

    def axes(self, kpi_id: str) -> tuple[Axis, ...]:
        """The conventions a KPI can take (empty when it has none)."""
        family = self.get(kpi_id).variants
        return self.variants.get(family, ()) if family else ()

    def kpi(self, kpi_id: str, **variant: Any) -> KpiDef:
        """A KPI's record in a variant (see :func:`helpers.kpis.kpi`)."""
        base = self.get(kpi_id)
        if not variant:
            return base
        axes = {axis.name: axis for axis in self.axes(kpi_id)}
        if not axes:
            raise ValueError(f"KPI {kpi_id!r} has no variants (got {', '.join(variant)})")
        unknown = sorted(set(variant) - set(axes))
        if unknown:
            raise ValueError(
                f"KPI {kpi_id!r}: unknown variant in {sorted(variant)} (it has {', '.join(axes)})"
            )
        chosen: dict[str, Any] = {}
        for name, axis in axes.items():
            value = variant.get(name, axis.default)
            if value not in axis.options:
                known = ", ".join(str(o) for o in axis.options)
                raise ValueError(f"unknown {name} {value!r} for KPI {kpi_id!r} (expected one of {known})")
            chosen.update(axis.options[value])
        if not chosen:
            return base
        return _apply(base, chosen)

    def for_conventions(self, kpi_id: str, conventions: Any) -> KpiDef:
        """A KPI's record in the variant the brief's ``kpi`` conventions choose."""
        return self.kpi(kpi_id, **{a.name: getattr(conventions, a.convention) for a in self.axes(kpi_id)})

    def goal_kpis(self) -> tuple[str, ...]:
        """The KPIs a SMART goal can name, in the registry's order."""
        return tuple(k for k, d in self.kpis.items() if d.goal)

    def interactions_on(self, network: str, lang: str, columns: tuple[str, ...] | None = None) -> list[str]:
        """What a network's exports report under the interaction columns (all, or ``columns``)."""
        names = self.networks[network]
        return [names[c][lang] for c in (columns or self.interaction_columns) if names.get(c)]


def _apply(base: KpiDef, chosen: Mapping[str, Any]) -> KpiDef:
    """``base`` with the texts and formula of the chosen options, placeholders filled."""
    changes: dict[str, Any] = {}
    column = str(chosen.get("column", ""))
    for lang in LANGS:
        tag = chosen.get("tag", {}).get(lang, "")
        for name in _TEXTS:
            if name in chosen:
                changes[f"{name}_{lang}"] = chosen[name][lang].format(tag=tag, column=column)
    if "formula" in chosen:
        changes["formula"] = chosen["formula"].format(column=column)
    return replace(base, **changes)


def _texts(kpi_id: str, entry: Mapping[str, Any], name: str) -> tuple[str, str]:
    value = entry[name]
    if not isinstance(value, Mapping) or set(value) != set(LANGS):
        raise RegistryError(f"KPI {kpi_id!r}: {name} must give the text in {' and '.join(LANGS)}")
    return str(value["fr"] or ""), str(value["en"] or "")


def _record(kpi_id: str, entry: Mapping[str, Any], raw: Mapping[str, Any]) -> KpiDef:
    """One KPI of the file as a record, after checking its fields."""
    missing = [f for f in KPI_FIELDS if f not in entry or entry[f] is None]
    if missing:
        raise RegistryError(f"KPI {kpi_id!r} lacks {', '.join(missing)} in the registry")
    checks = {
        "objective": entry["objective"] in raw["objectives"],
        "unit": entry["unit"] in raw["units"],
        "percent": isinstance(entry["percent"], bool) and entry["percent"] == (entry["unit"] == "percent"),
        "higher_is_better": isinstance(entry["higher_is_better"], bool),
        "formula": bool(str(entry["formula"]).strip()),
        "counts": set(entry["counts"]) <= set(raw["interactions"]["columns"]),
        "goal": entry.get("goal") in (None, *_SERIES),
        "variants": entry.get("variants") in (None, *raw.get("variants", {})),
    }
    wrong = [name for name, ok in checks.items() if not ok]
    if wrong:
        raise RegistryError(f"KPI {kpi_id!r}: invalid {', '.join(wrong)} in the registry")
    texts = [text for name in _TEXTS for text in _texts(kpi_id, entry, name)]
    if not (texts[0] and texts[1] and texts[2] and texts[3] and texts[6] and texts[7]):
        raise RegistryError(f"KPI {kpi_id!r}: empty name, numerator or aggregation")
    return KpiDef(
        kpi_id,
        entry["objective"],
        *texts,
        unit=entry["unit"],
        higher_is_better=entry["higher_is_better"],
        percent=entry["percent"],
        formula=str(entry["formula"]),
        counts=tuple(entry["counts"]),
        goal=entry.get("goal"),
        variants=entry.get("variants"),
    )


def _axes(raw: Mapping[str, Any]) -> dict[str, tuple[Axis, ...]]:
    return {
        family: tuple(
            Axis(name, spec["convention"], MappingProxyType(dict(spec["options"])))
            for name, spec in axes.items()
        )
        for family, axes in raw.get("variants", {}).items()
    }


#: Columns of the posts table a platform's own rate may add up or divide by.
NATIVE_COLUMNS: tuple[str, ...] = (
    "reactions", "comments", "shares", "saves", "clicks", "follows", "engagements",
    "impressions", "reach", "video_views",
)  # fmt: skip


def _native_rates(raw: Mapping[str, Any], networks: Mapping[str, Any]) -> dict[str, NativeRate]:
    """The ``native_rates`` section as records, after checking every network and column."""
    out = {}
    for network, spec in (raw.get("native_rates") or {}).items():
        if network not in networks:
            raise RegistryError(f"native rate of unknown network {network!r}")
        counts, den = tuple(spec.get("counts") or ()), spec.get("denominator")
        unknown = sorted(set(counts) - set(NATIVE_COLUMNS)) + ([den] if den not in NATIVE_COLUMNS else [])
        if not counts or unknown:
            raise RegistryError(f"native rate of {network!r}: no counts, or unknown columns {unknown}")
        fr, en = _texts(f"native rate of {network}", spec, "definition")
        out[str(network)] = NativeRate(str(network), counts, str(den), fr, en)
    return out


def parse_registry(raw: Mapping[str, Any]) -> Registry:
    """Check the registry's content (as read from YAML) and build its records.

    Raises:
        RegistryError: a KPI lacks a field or gives a wrong value; the scorecard names an
            unknown KPI; a network lacks an interaction column.
    """
    kpis = {str(k): _record(str(k), v or {}, raw) for k, v in raw["kpis"].items()}
    scorecard = tuple(raw.get("scorecard", ()))
    if not set(scorecard) <= set(kpis):
        raise RegistryError(f"the scorecard names unknown KPIs: {sorted(set(scorecard) - set(kpis))}")
    columns = tuple(raw["interactions"]["columns"])
    networks = raw["interactions"]["networks"]
    for network, names in networks.items():
        if set(names) != set(columns):
            raise RegistryError(f"network {network!r} must say what each of {', '.join(columns)} counts")
        for column, text in names.items():
            if text is not None and (not isinstance(text, Mapping) or set(text) != set(LANGS)):
                raise RegistryError(f"network {network!r}: {column} must be null or give fr and en")
    return Registry(
        kpis,
        tuple(raw["units"]),
        tuple(raw["objectives"]),
        scorecard,
        columns,
        MappingProxyType(dict(networks)),
        _axes(raw),
        MappingProxyType(_native_rates(raw, networks)),
    )


def load_registry(path: str | Path = REGISTRY_FILE) -> Registry:
    """Read and check a registry file (by default the package's ``registry.yaml``)."""
    return parse_registry(yaml.safe_load(Path(path).read_text(encoding="utf-8")))


#: The package's registry, read once at import.
REGISTRY = load_registry()
