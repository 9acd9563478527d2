"""Personas from individual-level records: the ``customers`` table, clustered with k-means.

The method segments the audience into personas by shared traits (demographics, location,
behaviour, interests). Platform analytics describe the top of the funnel (the ``audience``
table, shares only); a CRM extract or a survey describes the bottom of the funnel, person by
person (the ``customers`` table). This module clusters those records:

1. :func:`encode` turns each record into numbers. Gender, network and region are one-hot
   (regions held by fewer than 3 % of the records are grouped as ``other``); interests are
   multi-hot (``skincare;zero waste``: one column each, rare ones left out); age, orders in
   12 months, average basket and tenure (years since ``customer_since``) are standardised,
   orders and basket on a log scale. Missing values are handled explicitly: a missing number
   takes the median of the known ones (0 once standardised, so it pulls towards no group), a
   missing gender, network or region is a row of zeros in its block, missing interests a row of
   zeros. The counts of missing values are reported.
2. :func:`choose_k` runs scikit-learn's ``KMeans`` (fixed ``random_state``, ``n_init`` set, one
   thread) for every k from 3 to 6 and keeps the k with the best silhouette score (the smaller k
   on a tie).
3. :func:`describe` gives each group its portrait: size and share, median age and age band,
   dominant gender and its share, top networks and interests with their shares, main region,
   mean orders and basket, median tenure, and the brief persona it matches when the match is
   clear (:func:`match_target`).

Everything is deterministic: the same records give the same personas, numbered by size.
Fewer than :data:`MIN_RECORDS` records raise :class:`TooFewRecordsError`; the notebook then keeps
the sketches drawn from the brief.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd
from sklearn.cluster import KMeans
from sklearn.metrics import silhouette_score
from threadpoolctl import threadpool_limits  # installed with scikit-learn

MIN_RECORDS = 50
K_RANGE: tuple[int, ...] = (3, 4, 5, 6)
RANDOM_STATE = 0
N_INIT = 10
#: Above this many records the silhouette is computed on a fixed random sample of them.
SILHOUETTE_SAMPLE = 4_000
#: Regions and interests held by fewer records than this share are not features of their own.
MIN_CATEGORY_SHARE = 0.03
#: Weight of each block of features in the distance (region counts half: it is often noisy).
BLOCK_WEIGHTS = {"gender": 1.0, "channel": 1.0, "region": 0.5, "interests": 1.0, "numeric": 1.0}
NUMERIC = ("age", "orders_12m", "basket", "tenure")
LOG_SCALED = ("orders_12m", "basket")
#: Age bands of the audience tables; the last one is open.
AGE_BANDS: tuple[tuple[int, int | None], ...] = (
    (13, 17), (18, 24), (25, 34), (35, 44), (45, 54), (55, 64), (65, None),
)  # fmt: skip
#: A group whose most frequent gender is under this share is named "mixed".
DOMINANT_GENDER = 0.6
#: A brief persona matches a group when its score reaches this and beats the next one by MATCH_MARGIN.
MATCH_MIN = 0.6
MATCH_MARGIN = 0.1
TOP_CHANNELS, TOP_INTERESTS = 3, 3
MIN_SHOWN_SHARE = 0.05


class ClusteringError(ValueError):
    """The records cannot be clustered into personas; the message says why."""


class TooFewRecordsError(ClusteringError):
    """Fewer records than :data:`MIN_RECORDS`: too few to draw personas from."""


@dataclass(frozen=True)
class Encoded:
    """The records as numbers, one row per record."""

    matrix: np.ndarray
    features: tuple[str, ...]
    #: missing values per column of the table
    missing: dict[str, int]


@dataclass(frozen=True)
class ClusterPersona:
    """One group of records, described as a persona."""

    number: int  # 1 for the largest group
    size: int
    share: float
    median_age: float | None
    age_band: tuple[int, int | None] | None  # bands covering the group's middle half of ages
    gender: str | None  # the most frequent known gender
    gender_share: float
    channels: tuple[tuple[str, float], ...]  # top networks (``none`` included) and their shares
    interests: tuple[tuple[str, float], ...]  # top interests and the share of the group holding each
    region: str | None
    region_share: float
    orders: float | None  # mean orders in 12 months
    basket: float | None  # mean average basket
    tenure: float | None  # median years since customer_since
    match: str | None = None  # the brief persona it matches, if the match is clear
    match_score: float = float("nan")

    @property
    def age_label(self) -> str:
        """``25-44``, ``65+`` or an empty string."""
        if self.age_band is None:
            return ""
        low, high = self.age_band
        return f"{low}+" if high is None else f"{low}-{high}"

    @property
    def who(self) -> str:
        """``female``, ``male``, ``other`` or ``mixed`` (no gender reaches the dominant share)."""
        if self.gender is None or self.gender_share < DOMINANT_GENDER:
            return "mixed"
        return self.gender


@dataclass(frozen=True)
class Segmentation:
    """The personas found in the records, with how the number of groups was chosen."""

    personas: tuple[ClusterPersona, ...]
    k: int
    silhouettes: dict[int, float]
    records: int
    labels: np.ndarray  # persona number of each record, in the order of the records given
    features: tuple[str, ...]
    missing: dict[str, int] = field(default_factory=dict)

    @property
    def silhouette(self) -> float:
        return self.silhouettes[self.k]

    def table(self) -> pd.DataFrame:
        """One row per persona, in plain values (shares as fractions, lists as ``a:0.80;b:0.12``).

        No words: a persona's name is written in the reader's language when shown
        (:func:`persona_names`); ``who`` is the trait it starts from.
        """
        rows = []
        for p in self.personas:
            rows.append(
                {
                    "persona": p.number,
                    "who": p.who,
                    "size": p.size,
                    "share": round(p.share, 4),
                    "median_age": p.median_age,
                    "age_band": p.age_label,
                    "gender": p.gender,
                    "gender_share": round(p.gender_share, 4),
                    "channels": _pairs(p.channels),
                    "interests": _pairs(p.interests),
                    "region": p.region,
                    "region_share": round(p.region_share, 4),
                    "orders_12m": _round(p.orders, 2),
                    "basket": _round(p.basket, 2),
                    "tenure_years": _round(p.tenure, 2),
                    "brief_persona": p.match,
                    "match_score": _round(p.match_score, 3),
                    "k": self.k,
                    "silhouette": round(self.silhouette, 4),
                }
            )
        return pd.DataFrame(rows)


def _round(value: float | None, digits: int) -> float | None:
    return None if value is None or np.isnan(value) else round(float(value), digits)


def _pairs(pairs: Iterable[tuple[str, float]]) -> str:
    return ";".join(f"{name}:{share:.2f}" for name, share in pairs)


# --- encoding ---------------------------------------------------------------------------------


def split_interests(value: object) -> tuple[str, ...]:
    """``"Skincare; zero waste"`` → ``("skincare", "zero waste")``; empty or missing → ``()``."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ()
    seen: dict[str, None] = {}
    for part in re.split(r"[;,|]", str(value)):
        word = " ".join(part.split()).lower()
        if word:
            seen[word] = None
    return tuple(seen)


def tenure_years(customers: pd.DataFrame, reference: dt.date | None = None) -> pd.Series:
    """Years from ``customer_since`` to ``reference`` (default: the latest ``customer_since``)."""
    since = pd.to_datetime(customers["customer_since"], errors="coerce")
    if reference is None:
        end = since.max()
    else:
        end = pd.Timestamp(reference)
    if pd.isna(end):
        return pd.Series(np.nan, index=customers.index)
    return ((end - since).dt.days / 365.25).clip(lower=0)


def _numbers(customers: pd.DataFrame, reference: dt.date | None) -> pd.DataFrame:
    out = pd.DataFrame(index=customers.index)
    for name in ("age", "orders_12m", "basket"):
        out[name] = pd.to_numeric(customers[name], errors="coerce").astype("float64")
    out["tenure"] = tenure_years(customers, reference)
    return out


def _categories(values: pd.Series) -> pd.Series:
    """Text values trimmed; missing and empty ones as ``NA``."""
    text = values.astype("string").str.strip()
    return text.where(text.notna() & text.ne(""), pd.NA)


def _one_hot(values: pd.Series, prefix: str, min_share: float = 0.0) -> pd.DataFrame:
    """One column per value (rare values grouped as ``other``); a missing value is all zeros."""
    known = values.dropna()
    counts = known.value_counts()
    kept = sorted(counts[counts >= min_share * len(values)].index)
    grouped = values.where(values.isin(kept) | values.isna(), "other")
    columns = kept + (["other"] if (grouped == "other").any() and "other" not in kept else [])
    return pd.DataFrame(
        {f"{prefix}={value}": (grouped == value).fillna(False).astype(float) for value in columns},
        index=values.index,
    )


def _multi_hot(lists: pd.Series, min_share: float) -> pd.DataFrame:
    counts: dict[str, int] = {}
    for items in lists:
        for item in items:
            counts[item] = counts.get(item, 0) + 1
    kept = sorted(name for name, n in counts.items() if n >= min_share * len(lists))
    return pd.DataFrame(
        {f"interest={name}": [float(name in items) for items in lists] for name in kept}, index=lists.index
    )


def _standardised(numbers: pd.DataFrame) -> pd.DataFrame:
    out = {}
    for name in NUMERIC:
        values = numbers[name]
        if name in LOG_SCALED:
            values = np.log1p(values.clip(lower=0))
        known = values.dropna()
        if len(known) < 2 or float(known.std(ddof=0)) == 0.0:
            continue  # nothing to learn from a column that is empty or constant
        filled = values.fillna(float(known.median()))
        out[name] = (filled - float(known.mean())) / float(known.std(ddof=0))
    return pd.DataFrame(out, index=numbers.index)


def encode(customers: pd.DataFrame, reference: dt.date | None = None) -> Encoded:
    """Turn customer records into a numeric matrix for clustering.

    Args:
        customers: the ``customers`` table (see :mod:`helpers.client.schemas`).
        reference: the date tenure is counted to (default: the latest ``customer_since``).

    Returns:
        The matrix (one row per record, blocks weighted by :data:`BLOCK_WEIGHTS`), the feature
        names (``gender=female``, ``interest=skincare``, ``age``...) and the missing values per
        column.
    """
    interests = customers["interests"].map(split_interests)
    blocks = {
        "gender": _one_hot(_categories(customers["gender"]).str.lower(), "gender"),
        "channel": _one_hot(_categories(customers["channel"]).str.lower(), "channel"),
        "region": _one_hot(_categories(customers["region"]), "region", MIN_CATEGORY_SHARE),
        "interests": _multi_hot(interests, MIN_CATEGORY_SHARE),
        "numeric": _standardised(_numbers(customers, reference)),
    }
    parts = [frame * np.sqrt(BLOCK_WEIGHTS[name]) for name, frame in blocks.items() if not frame.empty]
    frame = pd.concat(parts, axis=1) if parts else pd.DataFrame(index=customers.index)
    missing = {
        name: int(_categories(customers[name].astype("string")).isna().sum())
        for name in ("age", "gender", "region", "channel", "orders_12m", "basket", "customer_since")
    }
    missing["interests"] = int((interests.map(len) == 0).sum())
    return Encoded(frame.to_numpy(dtype=float), tuple(frame.columns), missing)


# --- choosing k -------------------------------------------------------------------------------


def choose_k(
    matrix: np.ndarray, ks: Sequence[int] = K_RANGE, random_state: int = RANDOM_STATE
) -> tuple[int, np.ndarray, dict[int, float]]:
    """Cluster for each k and keep the one with the best silhouette score.

    Returns:
        The k chosen, the group of each row (0-based, as KMeans numbers them) and the
        silhouette score of every k tried.

    Raises:
        ClusteringError: fewer distinct records than the smallest k.
    """
    distinct = len(np.unique(matrix, axis=0))
    tried = [k for k in ks if 2 <= k < len(matrix) and k <= distinct]
    if not tried:
        raise ClusteringError(f"only {distinct} distinct records: too alike to form {min(ks)} groups or more")
    sample = SILHOUETTE_SAMPLE if len(matrix) > SILHOUETTE_SAMPLE else None
    silhouettes: dict[int, float] = {}
    labels: dict[int, np.ndarray] = {}
    for k in tried:
        model = KMeans(n_clusters=k, n_init=N_INIT, random_state=random_state)
        with threadpool_limits(limits=1):  # one thread: the same result on any machine, and faster here
            labels[k] = model.fit_predict(matrix)
        if len(set(labels[k])) < 2:
            continue
        silhouettes[k] = float(
            silhouette_score(matrix, labels[k], sample_size=sample, random_state=random_state)
        )
    if not silhouettes:
        raise ClusteringError("the records fall into a single group: no personas can be told apart")
    best = max(silhouettes, key=lambda k: (round(silhouettes[k], 6), -k))
    return best, labels[best], silhouettes


# --- describing the groups --------------------------------------------------------------------


def parse_band(text: str) -> tuple[int, int | None] | None:
    """``"25-34"`` → ``(25, 34)``, ``"65+"`` → ``(65, None)``; anything else → ``None``."""
    found = re.fullmatch(r"\s*(\d+)\s*(?:[-–]\s*(\d+)|\+)\s*", str(text))
    if not found:
        return None
    return int(found.group(1)), (int(found.group(2)) if found.group(2) else None)


def _band_of(age: float) -> tuple[int, int | None]:
    """The audience band of an age (the first band for younger ages)."""
    years = int(np.floor(age))
    return next(band for band in AGE_BANDS if band[1] is None or years <= band[1])


def age_band(ages: pd.Series) -> tuple[int, int | None] | None:
    """The audience bands that hold the middle half of the ages (quartiles), merged: ``(25, 44)``."""
    known = ages.dropna()
    if known.empty:
        return None
    low = _band_of(float(known.quantile(0.25)))
    high = _band_of(float(known.quantile(0.75)))
    return low[0], high[1]


def _in_bands(ages: pd.Series, bands: Iterable[tuple[int, int | None]]) -> pd.Series:
    inside = pd.Series(False, index=ages.index)
    for low, high in bands:
        inside |= (ages >= low) & (ages <= (high if high is not None else np.inf))
    return inside


def _shares(values: pd.Series) -> pd.Series:
    """Shares of each known value, largest first (ties by value, for determinism)."""
    known = values.dropna()
    if known.empty:
        return pd.Series(dtype=float)
    counts = known.value_counts()
    frame = pd.DataFrame({"value": counts.index.astype(str), "n": counts.to_numpy()})
    frame = frame.sort_values(["n", "value"], ascending=[False, True], kind="stable")
    return pd.Series((frame["n"] / len(known)).to_numpy(), index=frame["value"].to_numpy())


def _interest_shares(lists: pd.Series) -> pd.Series:
    """Share of the records that give interests holding each interest, largest first."""
    given = lists[lists.map(len) > 0]
    if given.empty:
        return pd.Series(dtype=float)
    exploded = given.explode()
    counts = exploded.value_counts()
    frame = pd.DataFrame({"value": counts.index.astype(str), "n": counts.to_numpy()})
    frame = frame.sort_values(["n", "value"], ascending=[False, True], kind="stable")
    return pd.Series((frame["n"] / len(given)).to_numpy(), index=frame["value"].to_numpy())


def _top(shares: pd.Series, n: int) -> tuple[tuple[str, float], ...]:
    shown = shares[shares >= MIN_SHOWN_SHARE].head(n)
    return tuple((str(k), float(v)) for k, v in shown.items())


def _mean(values: pd.Series) -> float | None:
    known = values.dropna()
    return float(known.mean()) if len(known) else None


def _median(values: pd.Series) -> float | None:
    known = values.dropna()
    return float(known.median()) if len(known) else None


def target_score(group: pd.DataFrame, target) -> float:
    """How well a group fits a brief persona, 0 to 1 (``nan`` when nothing can be compared).

    The mean of what the persona names and the records know: the share of the group in the
    persona's age bands, the share of its genders, and the mean share holding each of its
    interests.
    """
    parts = []
    bands = [b for b in (parse_band(a) for a in target.ages) if b is not None]
    ages = pd.to_numeric(group["age"], errors="coerce").dropna()
    if bands and len(ages):
        parts.append(float(_in_bands(ages, bands).mean()))
    genders = _categories(group["gender"]).str.lower().dropna()
    if target.genders and len(genders):
        parts.append(float(genders.isin([g.lower() for g in target.genders]).mean()))
    lists = group["interests"].map(split_interests)
    given = lists[lists.map(len) > 0]
    if target.interests and len(given):
        wanted = [split_interests(i)[0] for i in target.interests if split_interests(i)]
        parts.append(float(np.mean([given.map(lambda items, w=w: w in items).mean() for w in wanted])))
    return float(np.mean(parts)) if parts else float("nan")


def match_target(group: pd.DataFrame, targets: Sequence) -> tuple[str | None, float]:
    """The brief persona a group matches, and its score; ``None`` when no match is clear.

    A match is clear when the best score reaches :data:`MATCH_MIN` and beats the second best
    by :data:`MATCH_MARGIN`.
    """
    scores = [(target_score(group, target), target.name) for target in targets]
    scores = sorted((s for s in scores if not np.isnan(s[0])), key=lambda s: -s[0])
    if not scores:
        return None, float("nan")
    best, name = scores[0]
    runner_up = scores[1][0] if len(scores) > 1 else 0.0
    if best >= MATCH_MIN and best - runner_up >= MATCH_MARGIN:
        return name, best
    return None, best


def _portrait(group: pd.DataFrame, total: int, number: int, tenure: pd.Series) -> ClusterPersona:
    ages = pd.to_numeric(group["age"], errors="coerce")
    genders = _shares(_categories(group["gender"]).str.lower())
    regions = _shares(_categories(group["region"]))
    return ClusterPersona(
        number=number,
        size=len(group),
        share=len(group) / total,
        median_age=_median(ages),
        age_band=age_band(ages),
        gender=str(genders.index[0]) if len(genders) else None,
        gender_share=float(genders.iloc[0]) if len(genders) else float("nan"),
        channels=_top(_shares(_categories(group["channel"]).str.lower()), TOP_CHANNELS),
        interests=_top(_interest_shares(group["interests"].map(split_interests)), TOP_INTERESTS),
        region=str(regions.index[0]) if len(regions) else None,
        region_share=float(regions.iloc[0]) if len(regions) else float("nan"),
        orders=_mean(pd.to_numeric(group["orders_12m"], errors="coerce")),
        basket=_mean(pd.to_numeric(group["basket"], errors="coerce")),
        tenure=_median(tenure.loc[group.index]),
    )


def describe(
    customers: pd.DataFrame,
    labels: np.ndarray,
    targets: Sequence = (),
    reference: dt.date | None = None,
) -> tuple[list[ClusterPersona], np.ndarray]:
    """Portraits of the groups, numbered 1, 2... from the largest.

    Returns:
        The personas and, for each record, its persona's number.
    """
    labels = np.asarray(labels)
    ages = pd.to_numeric(customers["age"], errors="coerce")

    def order(group: int) -> tuple[int, float, int]:
        median = _median(ages[labels == group])
        return -int((labels == group).sum()), median if median is not None else 0.0, group

    groups = sorted(set(labels.tolist()), key=order)
    tenure = tenure_years(customers, reference)
    personas, numbers = [], np.zeros(len(labels), dtype=int)
    for number, group_id in enumerate(groups, start=1):
        mask = labels == group_id
        numbers[mask] = number
        persona = _portrait(customers.loc[mask], len(customers), number, tenure)
        match, score = match_target(customers.loc[mask], targets)
        personas.append(replace(persona, match=match, match_score=score))
    return personas, numbers


def segment(
    customers: pd.DataFrame,
    targets: Sequence = (),
    reference: dt.date | None = None,
    *,
    min_records: int = MIN_RECORDS,
    ks: Sequence[int] = K_RANGE,
) -> Segmentation:
    """Cluster customer records into personas.

    Args:
        customers: the ``customers`` table.
        targets: the brief's personas (``brief.targets``), to match the groups against.
        reference: the date tenure is counted to (default: the latest ``customer_since``).
        min_records: fewer records than this raise :class:`TooFewRecordsError`.
        ks: the numbers of groups to try.

    Raises:
        TooFewRecordsError: fewer than ``min_records`` records.
        ClusteringError: the records are too alike to form groups.
    """
    if len(customers) < min_records:
        raise TooFewRecordsError(
            f"{len(customers)} customer records: at least {min_records} are needed to draw personas from them"
        )
    customers = customers.reset_index(drop=True)
    encoded = encode(customers, reference)
    if encoded.matrix.shape[1] == 0:
        raise ClusteringError("the customer records hold no usable trait (all columns empty)")
    k, labels, silhouettes = choose_k(encoded.matrix, ks)
    personas, numbers = describe(customers, labels, targets, reference)
    return Segmentation(
        tuple(personas), k, silhouettes, len(customers), numbers, encoded.features, encoded.missing
    )


# --- words ------------------------------------------------------------------------------------
