"""The client brief: who the client is and what the strategist decided.

``load_brief`` reads ``brief.yaml``, validates it once against an immutable model that
forbids unknown keys, and raises :class:`BriefError` naming the file and every bad key.
Every field not marked required has a documented default.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from helpers.client.schemas import CHANNELS

Channel = Literal["facebook", "instagram", "linkedin", "x", "tiktok", "youtube"]
Objective = Literal["awareness", "community", "engagement", "satisfaction", "leads"]
OBJECTIVES: tuple[str, ...] = ("awareness", "community", "engagement", "satisfaction", "leads")

#: A goal's scope can be one of the brief's personas: ``persona:<name>``.
PERSONA_SCOPE = "persona:"


class BriefError(ValueError):
    """The brief cannot be used; the message names the file and each problem."""


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Client(_Model):
    name: str = Field(min_length=1, description="Brand name shown on the deliverables")
    sector: str = ""
    business_model: Literal["B2C", "B2B"] = "B2C"
    country: str = Field("FR", description="ISO 3166-1 alpha-2, for public holidays")
    region: str | None = Field(None, description="subdivision code for regional holidays")
    timezone: str = "Europe/Paris"
    lang: Literal["fr", "en"] = "fr"
    currency: str = "EUR"
    founded: int | None = None
    values: tuple[str, ...] = ()
    promises: tuple[str, ...] = ()

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r} (expected e.g. 'Europe/Paris')") from exc
        return value

    @field_validator("country")
    @classmethod
    def _country_code(cls, value: str) -> str:
        if not re.fullmatch(r"[A-Z]{2}", value):
            raise ValueError(f"expected a two-letter country code such as 'FR', got {value!r}")
        return value


class Branding(_Model):
    colour: str = "#1F4E79"
    logo: str | None = Field(None, description="path relative to the client folder")

    @field_validator("colour")
    @classmethod
    def _hex_colour(cls, value: str) -> str:
        if not re.fullmatch(r"#[0-9A-Fa-f]{6}", value):
            raise ValueError(f"expected a colour like '#2F6B4F', got {value!r}")
        return value

    @field_validator("logo")
    @classmethod
    def _relative_logo(cls, value: str | None) -> str | None:
        if value is None:
            return value
        path = Path(value)
        if path.is_absolute() or ".." in path.parts:
            raise ValueError(f"the logo must be a path inside the client folder, got {value!r}")
        return value


class Period(_Model):
    start: dt.date
    end: dt.date

    @model_validator(mode="after")
    def _ordered(self) -> Period:
        if self.end <= self.start:
            raise ValueError(f"end {self.end} must come after start {self.start}")
        return self


class Profile(_Model):
    channel: Channel
    account: str


class Competitor(_Model):
    name: str
    handles: dict[Channel, str] = Field(default_factory=dict)


class KpiConventions(_Model):
    engagement_rate: Literal["reach", "impressions", "followers"] = Field(
        "reach", description="denominator of the engagement rate"
    )
    aggregation: Literal["ratio_of_sums", "mean_of_rates"] = "ratio_of_sums"
    net_sentiment_neutral: bool = Field(
        False, description="count neutral mentions in the net-sentiment denominator"
    )


class InfluencerTiers(_Model):
    nano: int = 1_000
    micro: int = 10_000
    macro: int = 100_000


class Swot(_Model):
    strengths: tuple[str, ...] = ()
    weaknesses: tuple[str, ...] = ()
    opportunities: tuple[str, ...] = ()
    threats: tuple[str, ...] = ()


class Pestel(_Model):
    political: tuple[str, ...] = ()
    economic: tuple[str, ...] = ()
    sociocultural: tuple[str, ...] = ()
    technological: tuple[str, ...] = ()
    environmental: tuple[str, ...] = ()
    legal: tuple[str, ...] = ()


class BusinessObjective(_Model):
    id: str
    label: str


class Target(_Model):
    value: float | None = Field(None, description="absolute target value of the KPI")
    relative: float | None = Field(None, description="change from the baseline, 0.2 = +20 %")

    @model_validator(mode="after")
    def _one_of(self) -> Target:
        if (self.value is None) == (self.relative is None):
            raise ValueError("give exactly one of 'value' or 'relative'")
        return self


class Goal(_Model):
    id: str
    label: str = Field("", description="how the goal reads in the deliverables; the id when empty")
    objective: Objective
    kpi: str
    scope: str = Field("all", description="a channel, 'persona:<name>' of a brief target, or 'all'")
    target: Target
    deadline: dt.date
    business_objective: str | None = None
    actions: tuple[str, ...] = ()


class TeamRole(_Model):
    role: Literal["content_lead", "creator", "editor"]
    people: float = 1.0
    hours_per_week: float = 35.0


class Persona(_Model):
    name: str
    ages: tuple[str, ...] = Field((), description="age bands as in the audience table, e.g. '25-34'")
    genders: tuple[str, ...] = ()
    interests: tuple[str, ...] = ()
    description: str = ""


class StrategyWeights(_Model):
    audience_fit: float = Field(1.0, ge=0)
    objective_fit: float = Field(1.0, ge=0)
    business_model_fit: float = Field(1.0, ge=0)
    observed_performance: float = Field(1.0, ge=0)
    competitor_presence: float = Field(0.5, ge=0)


class Synthesis(_Model):
    objective_weights: dict[Objective, float] = Field(
        default_factory=dict,
        description="an objective's weight in the findings' severity; unset: 1 with a goal on it, else 0.5",
    )
    strength_weight: float = Field(
        0.5, ge=0, le=1, description="a strength is kept rather than fixed: its severity is × this"
    )
    problems: tuple[str, ...] = Field(
        (), description="finding ids chosen as the problems to state; empty: the weaknesses and threats "
        "among the analysis.findings most severe findings"
    )

    @model_validator(mode="before")
    @classmethod
    def _moved(cls, data: object) -> object:
        if isinstance(data, dict) and "top" in data:
            raise ValueError(
                "'synthesis.top' is now 'analysis.findings' (how many findings drive the problem "
                "statement): move the value there"
            )
        return data


class Analysis(_Model):
    """The thresholds that turn figures into findings, one per idea, shared by every notebook.

    A notebook's ``parameters`` cell can override each for one run (papermill ``-p`` or by hand);
    unset there, the brief's value applies, and unset here, the default below.
    """

    min_posts: int = Field(
        5,
        ge=1,
        le=10_000,
        description="posts a slot (weekday × hour), a format or a network needs before it is ranked, "
        "charted as a leader or recommended",
    )
    change_threshold: float = Field(
        0.15,
        gt=0,
        le=10,
        description="relative change of a KPI between two windows that counts as a decline or a rise "
        "(0.15 = 15 %)",
    )
    lift_threshold: float = Field(
        0.3,
        gt=0,
        le=100,
        description="lift of a format or a slot over its reference that counts as an opportunity "
        "(0.3 = +30 %)",
    )
    confidence: float = Field(
        0.95, gt=0.5, lt=1, description="confidence level of the intervals around rates (0.95 = 95 %)"
    )
    findings: int = Field(
        5,
        ge=1,
        le=20,
        description="how many of the most severe findings drive the problem statement and the summary",
    )


class Budget(_Model):
    hourly_cost: float = Field(45.0, ge=0)
    monthly_ads: dict[Channel, float] = Field(default_factory=dict)


class NotableDate(_Model):
    date: dt.date
    name: str


class Planning(_Model):
    frequency: dict[Channel, float] = Field(
        default_factory=dict, description="posts per week per network; the method's defaults fill gaps"
    )
    holidays: Literal["avoid", "target"] = "avoid"
    pillars: tuple[str, ...] = ()
    effort_hours: dict[str, float] = Field(
        default_factory=dict, description="hours per post by format; defaults fill gaps"
    )
    notable_dates: tuple[NotableDate, ...] = Field(
        (), description="the brand's own dates (launches, anniversaries) besides the country's moments"
    )


class Brief(_Model):
    client: Client
    branding: Branding = Branding()
    period: Period
    horizon: Period
    profiles: tuple[Profile, ...] = Field(min_length=1)
    competitors: tuple[Competitor, ...] = ()
    targets: tuple[Persona, ...] = ()
    network_weights: StrategyWeights = StrategyWeights()
    candidate_networks: tuple[Channel, ...] = Field(
        (), description="networks to consider besides the owned ones (e.g. tiktok)"
    )
    kpi: KpiConventions = KpiConventions()
    influencer_tiers: InfluencerTiers = InfluencerTiers()
    swot: Swot = Swot()
    pestel: Pestel = Pestel()
    synthesis: Synthesis = Synthesis()
    analysis: Analysis = Analysis()
    business_objectives: tuple[BusinessObjective, ...] = ()
    goals: tuple[Goal, ...] = ()
    budget: Budget = Budget()
    team: tuple[TeamRole, ...] = ()
    planning: Planning = Planning()

    @model_validator(mode="after")
    def _consistent(self) -> Brief:
        known = {b.id for b in self.business_objectives}
        for goal in self.goals:
            if goal.business_objective and goal.business_objective not in known:
                raise ValueError(
                    f"goal {goal.id!r} serves unknown business objective "
                    f"{goal.business_objective!r} (known: {sorted(known)})"
                )
            personas = [f"{PERSONA_SCOPE}{p.name}" for p in self.targets]
            if goal.scope != "all" and goal.scope not in CHANNELS and goal.scope not in personas:
                raise ValueError(
                    f"goal {goal.id!r} has scope {goal.scope!r}: expected 'all', one of {CHANNELS} "
                    f"or a persona of the brief's targets as 'persona:<name>' ({personas})"
                )
        if self.horizon.start <= self.period.start:
            raise ValueError("the planning horizon must start after the analysed period starts")
        return self

    @property
    def channels(self) -> list[str]:
        """The brand's own networks, in the order of the brief."""
        return list(dict.fromkeys(p.channel for p in self.profiles))

    @property
    def competitor_names(self) -> list[str]:
        return [c.name for c in self.competitors]


def _location(loc: tuple) -> str:
    return ".".join(str(p) for p in loc) or "(top level)"


def load_brief(path: str | Path) -> Brief:
    """Read and validate a ``brief.yaml``.

    Args:
        path: the brief file.

    Returns:
        The validated, immutable brief.

    Raises:
        BriefError: the file is missing, is not YAML, or breaks the model; the message
            lists every problem as ``key.path: what was expected``.
    """
    path = Path(path)
    if not path.is_file():
        raise BriefError(f"{path}: brief not found (every client folder needs a brief.yaml)")
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise BriefError(f"{path}: not valid YAML: {exc}") from exc
    if not isinstance(raw, dict):
        raise BriefError(f"{path}: expected a mapping of keys at the top level")
    try:
        return Brief.model_validate(raw)
    except ValidationError as exc:
        lines = []
        for err in exc.errors():
            msg = err["msg"].removeprefix("Value error, ")
            if err["type"] == "extra_forbidden":
                msg = "unknown key (check its spelling against the README)"
            lines.append(f"  - {_location(err['loc'])}: {msg}")
        raise BriefError(f"{path}: {len(lines)} problem(s) in the brief:\n" + "\n".join(lines)) from None
