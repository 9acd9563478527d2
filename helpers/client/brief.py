"""The client brief: who the client is and what the strategist decided.

``load_brief`` reads ``brief.yaml``, validates it once against an immutable model that
forbids unknown keys, and raises :class:`BriefError` naming the file and every bad key, with
the value found and what was expected. Every field not marked required has a documented default.

The model holds what any brief must satisfy (known currency, country, region and zone, finite
and positive numbers, ordered influencer tiers, dates between 1990 and 2100). Reading a brief
*file* checks, besides: UTF-8 text, no key given twice, and that the planning horizon and every
goal's deadline come after the analysed period ends (a horizon under way is planned from the
day after the data). A client's check (``workbook check``, and
``workbook run`` before anything runs) checks the logo too (:func:`logo_problem`): an image inside
the client folder. "The future" is the period's end, never today's date, so that a brief checks the same way
whenever it is read (the demo and the tests stay deterministic).
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from pathlib import Path
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from helpers.client.schemas import CHANNELS, YEARS

Channel = Literal["facebook", "instagram", "linkedin", "x", "tiktok", "youtube"]
Objective = Literal["awareness", "community", "engagement", "satisfaction", "leads"]
OBJECTIVES: tuple[str, ...] = ("awareness", "community", "engagement", "satisfaction", "leads")

#: A goal's scope can be one of the brief's personas: ``persona:<name>``.
PERSONA_SCOPE = "persona:"


class BriefError(ValueError):
    """The brief cannot be used; the message names the file and each problem."""


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


def _plausible_year(value: dt.date) -> dt.date:
    if not YEARS[0] <= value.year <= YEARS[1]:
        raise ValueError(f"expected a date between {YEARS[0]} and {YEARS[1]}, got {value}")
    return value


#: A date of the brief: a real calendar day between 1990 and 2100.
Day = Annotated[dt.date, AfterValidator(_plausible_year)]


@functools.cache
def _currencies() -> frozenset[str]:
    from babel.numbers import list_currencies

    return frozenset(list_currencies())


@functools.cache
def _countries() -> dict[str, list[str]]:
    import holidays

    return holidays.list_supported_countries()


class Client(_Model):
    name: str = Field(min_length=1, description="Brand name shown on the deliverables")
    sector: str = ""
    business_model: Literal["B2C", "B2B"] = "B2C"
    country: str = Field("FR", description="ISO 3166-1 alpha-2, for public holidays")
    region: str | None = Field(None, description="subdivision code for regional holidays")
    timezone: str = "Europe/Paris"
    lang: Literal["fr", "en"] = "fr"
    currency: str = Field("EUR", description="ISO 4217 code")
    founded: int | None = Field(None, ge=1000, le=YEARS[1])
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
        if value not in _countries():
            raise ValueError(
                f"country {value!r} is not one the public holidays are known for (the 'holidays' "
                "package): expected an ISO 3166-1 code such as 'FR', 'BE', 'CA'"
            )
        return value

    @field_validator("currency")
    @classmethod
    def _currency_code(cls, value: str) -> str:
        if value not in _currencies():
            raise ValueError(f"unknown currency {value!r}: expected an ISO 4217 code such as 'EUR' or 'USD'")
        return value

    @field_validator("region")
    @classmethod
    def _known_region(cls, value: str | None, info: ValidationInfo) -> str | None:
        country = info.data.get("country")
        if value is None or country is None:
            return value
        import holidays

        try:
            holidays.country_holidays(country, subdiv=value)
        except NotImplementedError:
            known = _countries().get(country, [])
            shown = ", ".join(known[:12]) + (", ..." if len(known) > 12 else "")
            raise ValueError(
                f"region {value!r} is not a subdivision of {country} the public holidays are known for "
                f"(expected one of: {shown or 'none: leave region out'})"
            ) from None
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
    start: Day
    end: Day

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
    nano: int = Field(1_000, ge=1)
    micro: int = Field(10_000, ge=1)
    macro: int = Field(100_000, ge=1)

    @model_validator(mode="after")
    def _ordered(self) -> InfluencerTiers:
        if not self.nano < self.micro < self.macro:
            raise ValueError(
                f"expected nano < micro < macro followers, got nano {self.nano}, micro {self.micro}, "
                f"macro {self.macro}"
            )
        return self


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
    deadline: Day
    business_objective: str | None = None
    actions: tuple[str, ...] = ()


class TeamRole(_Model):
    role: Literal["content_lead", "creator", "editor"]
    people: float = Field(1.0, gt=0, le=10_000, description="people in the role (0.5: half a person)")
    hours_per_week: float = Field(35.0, gt=0, le=168, description="hours a week each gives to social media")


class Persona(_Model):
    name: str
    ages: tuple[str, ...] = Field((), description="age bands as in the audience table, e.g. '25-34'")
    genders: tuple[str, ...] = ()
    interests: tuple[str, ...] = ()
    description: str = ""
    keywords: tuple[str, ...] = Field(
        (),
        description="words and phrases of the persona's topics in the content's language "
        '("zéro déchet", "vrac"): matched with the interests against what authors write',
    )


class Listening(_Model):
    """What the listening covers besides the brand's and its competitors' names, and who is who."""

    keywords: tuple[str, ...] = Field(
        (),
        description="the brand's keywords (products, topics): authors of mentions holding one are "
        "influencer candidates too",
    )
    media: tuple[str, ...] = Field(
        (), description="authors (names or handles) known to be media, kept apart from influencers"
    )
    brands: tuple[str, ...] = Field(
        (), description="authors (names or handles) known to be brands, kept apart from influencers"
    )


class InfluencerWeights(_Model):
    """Weights of the influencer score's parts (:mod:`helpers.method.influencers`); 0 leaves a
    part out. Topic fit weighs most: a niche author who speaks to a persona beats a larger
    off-topic one."""

    fit: float = Field(2.0, ge=0, le=100, description="topic fit with the persona")
    mentions: float = Field(1.0, ge=0, le=100, description="mentions of the brand")
    sentiment: float = Field(1.0, ge=0, le=100, description="net sentiment towards the brand")
    engagement: float = Field(1.0, ge=0, le=100, description="engagement on their mentions")
    growth: float = Field(0.5, ge=0, le=100, description="follower growth")
    audience: float = Field(0.5, ge=0, le=100, description="follower count")

    @model_validator(mode="after")
    def _some(self) -> InfluencerWeights:
        if not any(getattr(self, name) > 0 for name in type(self).model_fields):
            raise ValueError("at least one influencer weight must be above 0")
        return self


class Influencers(_Model):
    """How influencer candidates are scored and who counts as an ambassador."""

    weights: InfluencerWeights = InfluencerWeights()
    ambassador_mentions: int = Field(
        5, ge=1, le=10_000, description="mentions of the brand an individual needs to be an ambassador"
    )
    ambassador_positive: float = Field(
        0.6, gt=0, le=1, description="share of positive mentions an ambassador needs (0.6 = 60 %)"
    )
    shortlist: int = Field(3, ge=1, le=100, description="candidates kept per persona and tier")


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
        (),
        description="finding ids chosen as the problems to state; empty: the weaknesses and threats "
        "among the analysis.findings most severe findings",
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
    interactions_threshold: int | None = Field(
        None,
        ge=0,
        le=1_000_000_000,
        description="interactions a post must exceed to count among the posts \"generating more than N "
        "interactions\" (the same N on every network); unset: twice the network's median interactions "
        "per post over the period",
    )


Money = Annotated[float, Field(ge=0, le=1e12)]


class Budget(_Model):
    hourly_cost: Money = 45.0
    monthly_ads: dict[Channel, Money] = Field(default_factory=dict)


#: A weekday of the brief, as in the notable dates' rules.
Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
WEEKDAYS: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class NotableDate(_Model):
    date: Day
    name: str


class Planning(_Model):
    frequency: dict[Channel, Annotated[float, Field(ge=0, le=1000)]] = Field(
        default_factory=dict,
        description="posts per week per network (0: none); the method's defaults fill gaps",
    )
    holidays: Literal["avoid", "target"] = "avoid"
    pillars: tuple[str, ...] = ()
    effort_hours: dict[str, Annotated[float, Field(gt=0, le=1000)]] = Field(
        default_factory=dict, description="hours per post by format; defaults fill gaps"
    )
    notable_dates: tuple[NotableDate, ...] = Field(
        (), description="the brand's own dates (launches, anniversaries) besides the country's moments"
    )
    days: dict[Channel, tuple[Weekday, ...]] = Field(
        default_factory=dict,
        description="weekdays to publish on per network (mon..sun); unset: the weekdays the brand used "
        "for it in the period",
    )
    keep_frequency: bool = Field(
        False,
        description="keep the frequencies when the plan exceeds the team's capacity (the plan then "
        "states the hours to find) instead of lowering the lowest-priority network's",
    )

    @field_validator("days")
    @classmethod
    def _days_given(cls, value: dict[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
        for channel, days in value.items():
            if not days:
                raise ValueError(f"{channel}: name at least one weekday (mon..sun), or leave the network out")
            if len(set(days)) < len(days):
                raise ValueError(f"{channel}: a weekday is given twice ({', '.join(days)})")
        return value


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
    listening: Listening = Listening()
    influencers: Influencers = Influencers()
    swot: Swot = Swot()
    pestel: Pestel = Pestel()
    synthesis: Synthesis = Synthesis()
    analysis: Analysis = Analysis()
    business_objectives: tuple[BusinessObjective, ...] = ()
    goals: tuple[Goal, ...] = ()
    budget: Budget = Budget()
    team: tuple[TeamRole, ...] = ()
    planning: Planning = Planning()
    exports_ignore: tuple[str, ...] = Field(
        (), description="files of exports/ left out on purpose: glob patterns such as 'old/*' or '*.pdf'"
    )

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


class _DuplicateKeyError(ValueError):
    """A mapping of the brief gives one key twice."""


class _BriefLoader(yaml.SafeLoader):
    """YAML's safe loader, but a key given twice in one mapping is an error (YAML keeps the last
    one without a word), and a date that does not exist (``2025-02-30``) stays text, for the model
    to refuse with its key."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict:
        seen: dict = {}
        for key_node, _ in node.value:
            try:
                key = self.construct_object(key_node, deep=deep)
                hash(key)
            except (TypeError, yaml.YAMLError):
                continue  # the safe loader reports it
            if key in seen:
                raise _DuplicateKeyError(
                    f"line {key_node.start_mark.line + 1}: the key {key!r} is given twice "
                    f"(first on line {seen[key] + 1}): keep one"
                )
            seen[key] = key_node.start_mark.line
        return super().construct_mapping(node, deep=deep)

    def construct_yaml_timestamp(self, node: yaml.ScalarNode):  # noqa: ANN201
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError:
            return self.construct_scalar(node)


_BriefLoader.add_constructor("tag:yaml.org,2002:timestamp", _BriefLoader.construct_yaml_timestamp)


def _shown(value: object) -> str:
    """A value found in the brief, for a message (nothing for mappings and lists)."""
    if isinstance(value, dict | list | tuple) or value is None:
        return ""
    text = repr(value.isoformat() if isinstance(value, dt.date) else value)
    return f" (got {text[:80]})"


def _read_yaml(path: Path) -> dict:
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        from helpers.client.textfiles import bad_byte_message

        offset = exc.start + (3 if data.startswith(b"\xef\xbb\xbf") else 0)
        why = "is not UTF-8: save the brief as UTF-8 (your editor's 'Save with Encoding')"
        raise BriefError(bad_byte_message(str(path), data, offset, "utf-8", why)) from None
    try:
        raw = yaml.load(text, Loader=_BriefLoader)  # noqa: S506 (a safe loader)
    except _DuplicateKeyError as exc:
        raise BriefError(f"{path}: {exc}") from None
    except (yaml.YAMLError, ValueError, TypeError, OverflowError) as exc:
        shown = str(exc).replace('"<unicode string>"', path.name)
        raise BriefError(f"{path}: not valid YAML: {shown}") from None
    if not isinstance(raw, dict):
        raise BriefError(f"{path}: expected a mapping of keys at the top level")
    return raw


def _image_kind(head: bytes) -> str | None:
    """The kind of image a file starts with (PNG, JPEG, GIF, WebP, SVG), or None."""
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if head.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "GIF"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "WebP"
    text = head.lstrip(b"\xef\xbb\xbf").lstrip().lower()
    if text.startswith((b"<svg", b"<?xml", b"<!--", b"<!doctype svg")) and b"<svg" in text:
        return "SVG"
    return None


def logo_problem(brief: Brief, folder: Path) -> str | None:
    """What is wrong with the brief's logo (``branding.logo``), or None: it must be a file inside
    the client ``folder`` (links leading out refused) that is an image (PNG, JPEG, SVG, GIF or WebP,
    by its first bytes). Checked by ``workbook check`` and before a run: the deliverables embed it."""
    logo = brief.branding.logo
    if not logo:
        return None
    root = folder.resolve()
    path = (folder / logo).resolve()
    if not path.is_relative_to(root):
        return f"branding.logo: {logo!r} leads outside the client folder (a link?): expected a file inside it"
    if not path.is_file():
        return f"branding.logo: {logo!r}: no such file in the client folder {folder}"
    with path.open("rb") as handle:
        head = handle.read(2048)
    if _image_kind(head) is None:
        return (
            f"branding.logo: {logo!r} is not an image: expected a PNG, JPEG, SVG, GIF or WebP file "
            f"(it starts with {head[:8]!r})"
        )
    import mimetypes

    mime = mimetypes.guess_type(path.name)[0] or ""
    if not mime.startswith("image/"):
        return f"branding.logo: {logo!r}: expected a file name ending .png, .jpg, .svg, .gif or .webp"
    return None


def _file_problems(brief: Brief) -> list[str]:
    """What a brief file must satisfy besides the model: a plan that ends after the period it
    analyses (a horizon already under way is planned from the day after the data)."""
    problems = []
    end = brief.period.end
    if brief.horizon.end <= end:
        problems.append(
            f"horizon.end: {brief.horizon.end} is not after the analysed period, which ends on {end}: "
            "the plan covers days after the data (a horizon under way is planned from the day after "
            "the data, keeping its length; move the horizon on)"
        )
    for i, goal in enumerate(brief.goals):
        if goal.deadline <= end:
            problems.append(
                f"goals.{i}.deadline: {goal.deadline} (goal {goal.id!r}) is not after the analysed period, "
                f"which ends on {end}: a goal's deadline lies ahead of the data"
            )
    return problems


def load_brief(path: str | Path) -> Brief:
    """Read and validate a ``brief.yaml``.

    Args:
        path: the brief file.

    Returns:
        The validated, immutable brief.

    Raises:
        BriefError: the file is missing, not UTF-8, not YAML (or gives a key twice), breaks the
            model, or its horizon or deadlines come before the period's end (see the module
            docstring); the message lists every problem as ``key.path: what was expected (got
            value)``. The logo is checked apart (:func:`logo_problem`): only the deliverables need it.
    """
    path = Path(path)
    if not path.is_file():
        raise BriefError(f"{path}: brief not found (every client folder needs a brief.yaml)")
    raw = _read_yaml(path)
    try:
        brief = Brief.model_validate(raw)
    except ValidationError as exc:
        lines = []
        for err in exc.errors():
            msg = err["msg"].removeprefix("Value error, ")
            if err["type"] == "extra_forbidden":
                msg = "unknown key (check its spelling against the README)"
            shown = "" if err["type"] in ("extra_forbidden", "missing") else _shown(err.get("input"))
            shown = "" if "got " in msg or shown[6:-1] in msg else shown
            lines.append(f"  - {_location(err['loc'])}: {msg}{shown}")
        raise BriefError(f"{path}: {len(lines)} problem(s) in the brief:\n" + "\n".join(lines)) from None
    problems = _file_problems(brief)
    if problems:
        lines = "\n".join(f"  - {p}" for p in problems)
        raise BriefError(f"{path}: {len(problems)} problem(s) in the brief:\n{lines}")
    return brief
