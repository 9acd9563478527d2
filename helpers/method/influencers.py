"""Influencers: who already talks about the brand, its keywords or its competitors, scored per persona.

The method (step 1, listening): find the authors who already mention the brand or its keywords,
keep those whose audience matches a persona (even niche ones), judge them on engagement, follower
growth and sentiment, sort them into macro / micro / nano-influencers and ambassadors, and count
new influencers and ambassadors and their share of the target population.

**Candidates.** The authors of the mentions of the brand (``brand`` is the client), of a competitor
(``brand`` is one of the brief's competitors) or of a keyword (the text holds one of the brief's
``listening.keywords``, accents and case folded). Each author gets a kind:

1. ``brand``: the author is the client or a competitor (:func:`helpers.method.observation.brand_names`:
   names, accounts, handles) or one of the brief's ``listening.brands``;
2. ``media``: the listening export's source type says so (``news``), or the author is one of the
   brief's ``listening.media``, or, last, the name holds a media word
   (:data:`helpers.method.observation.MEDIA_WORDS`);
3. ``individual`` otherwise. Only individuals are tiered, scored and shortlisted.

Individuals are tiered by their LARGEST known follower count over all their mentions
(:func:`helpers.method.observation.influencer_tier`, the brief's ``influencer_tiers``).

**Score parts** (each from 0 to 1; NaN when the data does not give it, never 0):

* ``fit``: topic fit with the persona: TF-IDF cosine similarity between everything the author
  wrote in the candidate mentions and the persona's ``keywords`` and ``interests`` (accents and
  case folded, a final plural ``s`` dropped, words and two-word phrases, within one mention),
  divided by the best candidate's for that persona; the matching terms are kept to show why;
* ``mentions``: ``log(1 + mentions of the brand) / log(1 + the most any candidate has)``;
* ``sentiment``: ``(net sentiment towards the brand + 1) / 2`` (the brief's neutral convention);
* ``engagement``: the engagement rate of the author's mentions (interactions over reach, or over
  the author's followers when the brief's denominator is ``followers``; the brief's aggregation),
  compared with all candidate mentions of the same network under the workbook's sample rule
  (:mod:`helpers.method.evidence`): 0.5 when not distinguishable, ``rate / reference /``
  :data:`ENGAGEMENT_CAP` (within 0..1) when the interval lies above or below, NaN under
  ``min_posts`` mentions;
* ``growth``: follower growth per month between the author's first and last known counts
  (:data:`MIN_GROWTH_DAYS` apart at least), divided by :data:`GROWTH_FULL` (within 0..1);
* ``audience``: ``log(1 + followers) / log(1 + the largest count of a candidate)``.

The score is the mean of the known parts weighted by the brief's ``influencers.weights``
(``coverage``: the share of the weights that had data). The **shortlist** keeps, per persona and
tier (macro, micro, nano), the ``influencers.shortlist`` best scores among individuals whose raw fit
reaches :data:`MIN_FIT` and whose net sentiment towards the brand is not negative.

**Ambassadors** are individuals of any tier with at least ``influencers.ambassador_mentions``
mentions of the brand, of which at least ``influencers.ambassador_positive`` are positive.

**Population KPIs** (:func:`population`): the target population is the individual authors of the
brand's mentions over the period; influencers are those of them tiered nano or above. An
influencer or ambassador is *new* when their first mention of the brand falls in the period's
second half (they were not heard in the first).

Numbers and codes only; words are added at display time.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
import unicodedata
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from helpers import kpis
from helpers.client.brief import Brief
from helpers.method import evidence
from helpers.method import observation as obs_

#: The parts of the score, in the order tables show them.
PARTS = ("fit", "mentions", "sentiment", "engagement", "growth", "audience")
#: The tiers a shortlist is made of, largest first.
INFLUENCER_TIERS = ("macro", "micro", "nano")
#: What a candidate's mentions are about.
ABOUT = ("brand", "competitor", "keyword")
#: Raw cosine similarity an author's texts need with a persona's terms to be shortlisted for it.
MIN_FIT = 0.05
#: Follower growth per month that earns the full growth part (0.10 = +10 % a month).
GROWTH_FULL = 0.10
#: Days between an author's first and last known follower counts for a growth to be measured.
MIN_GROWTH_DAYS = 28
#: Engagement rate over the network's reference that earns the full engagement part (2: twice it).
ENGAGEMENT_CAP = 2.0
#: Days in an average month, to express growth per month.
DAYS_PER_MONTH = 365.25 / 12
#: Matching terms kept per candidate and persona to show why they fit.
FIT_TERMS = 3
#: Tokens this short or shorter are not terms (articles, prepositions: "le", "de", "of").
SHORT_TOKEN = 2
CANDIDATE_COLUMNS = [
    "author", "kind", "network", "tier", "followers", "brand_mentions", "competitor_mentions",
    "keyword_mentions", "competitors", "positive", "net_sentiment", "engagement_rate", "engagement_low",
    "engagement_high", "engagement_reference", "engagement_verdict", "growth", "first_seen",
    "first_brand_mention", "ambassador",
]  # fmt: skip


# --- text ------------------------------------------------------------------------------------------


def fold(text: object) -> str:
    """Lower case without accents: ``"Zéro Déchet"`` → ``"zero dechet"`` (NaN → ``""``)."""
    if text is None or (isinstance(text, float) and math.isnan(text)) or text is pd.NA:
        return ""
    decomposed = unicodedata.normalize("NFKD", str(text).casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _singular(token: str) -> str:
    return token[:-1] if len(token) > 3 and token.endswith("s") and not token.endswith("ss") else token


@functools.cache
def _stop_words() -> frozenset[str]:
    """The themes' stop words, folded, each also in the singular :func:`tokens` writes."""
    from helpers.method.themes import stop_words

    return frozenset(w for word in stop_words(("fr", "en")) for w in (fold(word), _singular(fold(word))))


def tokens(text: object) -> list[str]:
    """The terms of a text: folded (:func:`fold`), split on anything but letters and digits, a
    final plural ``s`` dropped (``flacons`` → ``flacon``, ``consignés`` → ``consigne``), tokens of
    :data:`SHORT_TOKEN` characters or fewer and the stop words of the content themes left out
    (:func:`helpers.method.themes.stop_words`, French and English, one list for the workbook)."""
    words = re.split(r"[^0-9a-z]+", fold(text))
    stop = _stop_words()
    kept = (_singular(w) for w in words if len(w) > SHORT_TOKEN and w not in stop)
    return [w for w in kept if w not in stop]


def _analyzer(doc: str) -> list[str]:
    """Words and two-word phrases, never across two lines (two mentions, two keywords)."""
    out: list[str] = []
    for line in doc.split("\n"):
        words = tokens(line)
        out += words
        out += [f"{a} {b}" for a, b in zip(words, words[1:], strict=False)]
    return out


def persona_terms(persona) -> list[str]:
    """The terms a persona is matched on: its ``keywords`` then its ``interests``."""
    return [*getattr(persona, "keywords", ()), *persona.interests]


def topic_fit(texts: pd.Series, personas: dict[str, list[str]]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """TF-IDF cosine similarity between each author's texts and each persona's terms.

    Args:
        texts: per author (index), their mention texts joined by new lines.
        personas: per persona name, its terms (:func:`persona_terms`).

    Returns:
        ``(fit, terms)``: two tables indexed by author with one column per persona: the raw
        cosine (0..1; NaN for an author without any term, or a persona without terms) and the
        :data:`FIT_TERMS` terms that weigh most in it, joined by ``"; "``.
    """
    from sklearn.feature_extraction.text import TfidfVectorizer

    names = list(personas)
    fit = pd.DataFrame(np.nan, index=texts.index, columns=names, dtype="float64")
    terms = pd.DataFrame("", index=texts.index, columns=names, dtype=object)
    docs = ["\n".join(personas[p]) for p in names]
    if texts.empty or not names or not any(_analyzer(d) for d in docs):
        return fit, terms
    if not any(_analyzer(t) for t in texts):
        return fit, terms
    vectorizer = TfidfVectorizer(analyzer=_analyzer, sublinear_tf=True)
    matrix = vectorizer.fit_transform([*texts.tolist(), *docs])
    vocab = np.asarray(vectorizer.get_feature_names_out())
    authors, targets = matrix[: len(texts)], matrix[len(texts) :]
    products = [authors.multiply(targets[i]) for i in range(len(names))]
    has_terms = np.asarray(authors.getnnz(axis=1) > 0)
    for i, name in enumerate(names):
        if targets[i].nnz == 0:
            continue
        prod = products[i].tocsr()
        sims = np.asarray(prod.sum(axis=1)).ravel()
        fit[name] = np.where(has_terms, sims, np.nan)
        for row in np.flatnonzero(sims > 0):
            start, stop = prod.indptr[row], prod.indptr[row + 1]
            order = np.argsort(-prod.data[start:stop])
            picked: list[str] = []
            for term in vocab[prod.indices[start:stop][order]]:
                if len(picked) < FIT_TERMS and not any(set(term.split()) <= set(p.split()) for p in picked):
                    picked.append(term)  # a word already inside a picked phrase adds nothing
            terms.iloc[row, i] = "; ".join(picked)
    return fit, terms


# --- candidates ------------------------------------------------------------------------------------


def about(mentions: pd.DataFrame, brief: Brief) -> pd.Series:
    """What each mention makes its author a candidate for: ``brand`` (the client), ``competitor``
    (a competitor of the brief), ``keyword`` (the text holds one of ``listening.keywords``,
    folded; any brand), or NA (none of them)."""
    brand = mentions["brand"].astype("string")
    out = pd.Series(pd.NA, index=mentions.index, dtype="string")
    keywords = [k for k in (" ".join(tokens(k)) for k in brief.listening.keywords) if k]
    if keywords:
        folded = mentions["text"].map(lambda t: f" {' '.join(tokens(t))} ")
        hit = folded.map(lambda t: any(f" {k} " in t for k in keywords))
        out[hit.to_numpy(dtype=bool)] = "keyword"
    out[brand.isin(list(brief.competitor_names)).fillna(False).to_numpy(dtype=bool)] = "competitor"
    out[(brand == brief.client.name).fillna(False).to_numpy(dtype=bool)] = "brand"
    return out


def candidate_mentions(mentions: pd.DataFrame, brief: Brief) -> pd.DataFrame:
    """The mentions that make their author a candidate (:func:`about`), with an author, and the
    column ``about``."""
    if mentions.empty:
        return mentions.assign(about=pd.Series(dtype="string"))
    tagged = mentions.assign(about=about(mentions, brief))
    named = tagged["author"].notna() & tagged["author"].astype("string").str.strip().ne("")
    return tagged[tagged["about"].notna() & named.fillna(False)].reset_index(drop=True)


def kinds(mentions: pd.DataFrame, brief: Brief) -> pd.Series:
    """Each author's kind (index: author): ``brand``, ``media`` or ``individual``, by the module's
    rules (the brief's names and ``listening.brands``; the source type, ``listening.media``, the
    media words)."""
    brands = obs_.brand_names(brief) | {obs_._squash(b) for b in brief.listening.brands}
    base = obs_.author_kinds(mentions, brands)
    media = {obs_._squash(m) for m in brief.listening.media}
    listed = [a for a in base.index if obs_._squash(a) in media and base[a] != "brand"]
    base.loc[listed] = "media"
    return base


def follower_growth(mentions: pd.DataFrame) -> pd.Series:
    """Per author, follower growth per month between their first and last known counts (NaN when
    fewer than :data:`MIN_GROWTH_DAYS` days apart, or the first count is 0)."""
    counts = mentions.assign(
        _f=pd.to_numeric(mentions["author_followers"], errors="coerce").astype("float64")
    )
    counts = counts.dropna(subset=["_f"]).sort_values("published_at")
    out = {}
    for author, rows in counts.groupby("author", sort=False):
        first, last = rows.iloc[0], rows.iloc[-1]
        days = (last["published_at"] - first["published_at"]).total_seconds() / 86_400
        if days < MIN_GROWTH_DAYS or first["_f"] <= 0:
            out[author] = math.nan
        else:
            out[author] = (last["_f"] / first["_f"]) ** (DAYS_PER_MONTH / days) - 1
    return pd.Series(out, dtype="float64", name="growth")


def _denominator(mentions: pd.DataFrame, convention: str) -> np.ndarray:
    column = "author_followers" if convention == "followers" else "reach"
    return pd.to_numeric(mentions[column], errors="coerce").astype("float64").to_numpy()


def mention_engagement(
    mentions: pd.DataFrame, network: pd.Series, brief: Brief, rule: evidence.Rule
) -> pd.DataFrame:
    """Per author (index), the engagement rate of their candidate mentions with its interval and its
    verdict against all candidate mentions of their main network (:func:`helpers.method.evidence.
    compare_groups`, the sample rule counting mentions)."""
    columns = ["engagement_rate", "engagement_low", "engagement_high", "engagement_reference",
               "engagement_verdict"]  # fmt: skip
    if mentions.empty:
        return pd.DataFrame(columns=columns)
    agg = brief.kpi.aggregation
    num = pd.to_numeric(mentions["engagement"], errors="coerce").astype("float64").to_numpy()
    den = _denominator(mentions, brief.kpi.engagement_rate)
    channel = mentions["channel"].astype(str).to_numpy()
    per_network = {c: evidence.rate(num[channel == c], den[channel == c], agg) for c in np.unique(channel)}
    reference = network.map(per_network).astype("float64")
    known = ~np.isnan(den) & ~np.isnan(num)
    keys = pd.DataFrame({"author": mentions["author"].astype(str).to_numpy()[known]})
    table = evidence.compare_groups(keys, num[known], den[known], agg, reference, rule)
    table = table.set_index("author").rename(
        columns={
            "rate": "engagement_rate",
            "low": "engagement_low",
            "high": "engagement_high",
            "reference": "engagement_reference",
            "verdict": "engagement_verdict",
        }  # fmt: skip
    )
    return table.reindex(network.index)[columns]


def candidates(mentions: pd.DataFrame, brief: Brief, rule: evidence.Rule) -> pd.DataFrame:
    """One row per candidate author (:data:`CANDIDATE_COLUMNS`), individuals first by mentions of
    the brand.

    ``network`` is where most of their candidate mentions are (the listening's source: a network,
    ``blog``, ``forum``, ``news``); ``tier`` is :func:`helpers.method.observation.influencer_tier`
    of their largest known follower count for an individual, their kind otherwise; ``positive`` and
    ``net_sentiment`` are over their mentions of the brand (NaN without any);
    ``competitors`` names the competitors they mention (``"; "``-joined).
    """
    cands = candidate_mentions(mentions, brief)
    if cands.empty:
        return pd.DataFrame(columns=CANDIDATE_COLUMNS)
    cands = cands.assign(
        author=cands["author"].astype(str),
        _followers=pd.to_numeric(cands["author_followers"], errors="coerce").astype("float64"),
    )
    grouped = cands.groupby("author", sort=True)
    table = pd.DataFrame(index=pd.Index(sorted(grouped.groups), name="author"))
    table["kind"] = kinds(cands, brief).reindex(table.index).fillna("individual")
    table["network"] = grouped["channel"].agg(lambda s: s.astype(str).value_counts().sort_index().idxmax())
    table["followers"] = grouped["_followers"].max()
    table["tier"] = [
        obs_.influencer_tier(f, brief.influencer_tiers) if k == "individual" else k
        for f, k in zip(table["followers"], table["kind"], strict=True)
    ]
    counts = cands.groupby(["author", "about"]).size().unstack("about").reindex(columns=list(ABOUT))
    counts = counts.reindex(table.index).fillna(0).astype(int)
    table["brand_mentions"] = counts["brand"]
    table["competitor_mentions"] = counts["competitor"]
    table["keyword_mentions"] = counts["keyword"]
    rivals = cands[cands["about"] == "competitor"].groupby("author")["brand"]
    table["competitors"] = rivals.agg(lambda s: "; ".join(sorted(set(s.astype(str))))).reindex(table.index)
    own = cands[cands["about"] == "brand"]
    table["positive"] = own.groupby("author")["sentiment"].agg(lambda s: float((s == "positive").mean()))
    net = kpis.net_sentiment(own, include_neutral=brief.kpi.net_sentiment_neutral, by="author")
    table["net_sentiment"] = pd.Series(net, dtype="float64").reindex(table.index) if len(own) else math.nan
    table = table.join(mention_engagement(cands, table["network"], brief, rule))
    table["growth"] = follower_growth(cands).reindex(table.index)
    table["first_seen"] = grouped["published_at"].min()
    table["first_brand_mention"] = own.groupby("author")["published_at"].min().reindex(table.index)
    s = brief.influencers
    table["ambassador"] = (
        (table["kind"] == "individual")
        & (table["brand_mentions"] >= s.ambassador_mentions)
        & (table["positive"].fillna(0) >= s.ambassador_positive)
    )
    table = table.reset_index()
    table["_individual"] = table["kind"] == "individual"
    table = table.sort_values(["_individual", "brand_mentions", "author"], ascending=[False, False, True])
    return table.drop(columns="_individual").reset_index(drop=True)[CANDIDATE_COLUMNS]


# --- score -----------------------------------------------------------------------------------------


def _log_share(values: pd.Series) -> pd.Series:
    top = values.max()
    if pd.isna(top) or top <= 0:
        return pd.Series(np.where(values.isna(), np.nan, 0.0), index=values.index)
    return np.log1p(values.clip(lower=0)) / math.log1p(top)


def _engagement_part(row: pd.Series) -> float:
    verdict = row["engagement_verdict"]
    if pd.isna(verdict) or verdict == "too_few":
        return math.nan
    if verdict == "not_distinguishable":
        return 0.5
    ref = row["engagement_reference"]
    if pd.isna(ref) or ref <= 0:
        return math.nan
    return float(min(max(row["engagement_rate"] / ref / ENGAGEMENT_CAP, 0.0), 1.0))


def parts(table: pd.DataFrame) -> pd.DataFrame:
    """The parts of the score that do not depend on the persona (every part but ``fit``), for the
    individuals of :func:`candidates` (0..1, NaN when unknown)."""
    out = pd.DataFrame(index=table.index)
    out["mentions"] = _log_share(table["brand_mentions"].astype("float64"))
    out["sentiment"] = (table["net_sentiment"].astype("float64") + 1) / 2
    out["engagement"] = table.apply(_engagement_part, axis=1) if len(table) else pd.Series(dtype="float64")
    out["growth"] = (table["growth"].astype("float64") / GROWTH_FULL).clip(0, 1)
    out["audience"] = _log_share(table["followers"].astype("float64"))
    return out


def weighted_score(values: pd.DataFrame, weights) -> tuple[pd.Series, pd.Series]:
    """The mean of the known parts weighted by ``weights`` (the brief's ``influencers.weights``),
    and ``coverage``: the share of the weights whose part is known."""
    w = pd.Series({p: float(getattr(weights, p)) for p in PARTS})
    frame = values.reindex(columns=list(PARTS)).astype("float64")
    known = frame.notna().astype(float) * w
    total = known.sum(axis=1)
    score = (frame.fillna(0) * w).sum(axis=1) / total.where(total > 0)
    return score, total / w.sum()


def author_texts(mentions: pd.DataFrame, brief: Brief) -> pd.Series:
    """Per author (index), the texts of their candidate mentions joined by new lines."""
    cands = candidate_mentions(mentions, brief)
    if cands.empty:
        return pd.Series(dtype=object)
    joined = cands.assign(author=cands["author"].astype(str), text=cands["text"].fillna("").astype(str))
    return joined.groupby("author")["text"].agg("\n".join)


def scores(table: pd.DataFrame, texts: pd.Series, brief: Brief) -> pd.DataFrame:
    """One row per individual candidate and persona (``persona`` empty when the brief has none):
    the candidate's columns, ``fit_raw`` (cosine), ``fit_terms``, every part, ``score``,
    ``coverage``, ``strongest`` and ``weakest`` (the known parts of largest and smallest value among
    those weighted above 0), ``rank`` within the persona, and ``shortlisted``."""
    people = table[table["kind"] == "individual"].reset_index(drop=True)
    personas = {p.name: persona_terms(p) for p in brief.targets} or {"": []}
    base = parts(people)
    own = texts.reindex(people["author"]).fillna("").astype(str)
    fit, terms = topic_fit(own, personas)
    weights = brief.influencers.weights
    weighted = [p for p in PARTS if getattr(weights, p) > 0]
    frames = []
    for persona in personas:
        raw = fit[persona].to_numpy() if len(people) else np.array([])
        top = np.nanmax(raw) if len(raw) and not np.all(np.isnan(raw)) else math.nan
        values = base.copy()
        values["fit"] = raw / top if top and not math.isnan(top) else np.where(np.isnan(raw), np.nan, 0.0)
        score, coverage = weighted_score(values, weights)
        known = values[weighted]
        frame = people.copy()
        frame.insert(0, "persona", persona)
        frame["fit_raw"] = raw
        frame["fit_terms"] = terms[persona].to_numpy() if len(people) else []
        for p in PARTS:
            frame[p] = values[p]
        frame["score"] = score
        frame["coverage"] = coverage
        frame["strongest"] = known.idxmax(axis=1, skipna=True) if known.notna().any().any() else pd.NA
        frame["weakest"] = known.idxmin(axis=1, skipna=True) if known.notna().any().any() else pd.NA
        frames.append(frame)
    out = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    if out.empty:
        return out
    out = out.sort_values(["persona", "score"], ascending=[True, False], na_position="last")
    out["rank"] = out.groupby("persona").cumcount() + 1
    eligible = (
        out["tier"].isin(INFLUENCER_TIERS)
        & (out["fit_raw"].fillna(0) >= MIN_FIT if brief.targets else True)
        & ~(out["net_sentiment"] < 0).fillna(False)
        & out["score"].notna()
    )
    tier_rank = out[eligible].groupby(["persona", "tier"]).cumcount() + 1
    out["shortlisted"] = False
    out.loc[tier_rank.index, "shortlisted"] = tier_rank <= brief.influencers.shortlist
    return out.reset_index(drop=True)


def shortlist(scored: pd.DataFrame) -> pd.DataFrame:
    """The shortlisted rows of :func:`scores`, per persona, best score first (each tier holding at
    most ``influencers.shortlist`` of them)."""
    if scored.empty:
        return scored
    short = scored[scored["shortlisted"]]
    return short.sort_values(["persona", "score"], ascending=[True, False]).reset_index(drop=True)


def ambassadors(table: pd.DataFrame) -> pd.DataFrame:
    """The ambassadors of :func:`candidates`, most mentions of the brand first."""
    out = table[table["ambassador"].astype(bool)]
    return out.sort_values(["brand_mentions", "positive"], ascending=False).reset_index(drop=True)


def population(table: pd.DataFrame, start: dt.date, end: dt.date) -> dict[str, float | int]:
    """The method's population KPIs over the period ``start``..``end`` (module docstring).

    Returns:
        ``population`` (individual authors of the brand's mentions), ``influencers`` (of them,
        tiered nano or above), ``ambassadors``, ``new_influencers`` and ``new_ambassadors`` (first
        mention of the brand in the period's second half: from ``midpoint``, the period's first day
        plus half its days rounded down),
        ``influencer_share`` and ``ambassador_share`` of the population (NaN when it is empty),
        ``midpoint`` (ISO date).
    """
    if end < start:
        raise ValueError(f"the period ends ({end}) before it starts ({start})")
    midpoint = start + dt.timedelta(days=((end - start).days + 1) // 2)
    people = table[(table["kind"] == "individual") & (table["brand_mentions"] > 0)]
    first = pd.to_datetime(people["first_brand_mention"], utc=True)
    new = (first.dt.date >= midpoint).to_numpy(dtype=bool)
    influencer = people["tier"].isin(INFLUENCER_TIERS).to_numpy(dtype=bool)
    ambassador = people["ambassador"].astype(bool).to_numpy()
    size = len(people)
    return {
        "population": size,
        "influencers": int(influencer.sum()),
        "ambassadors": int(ambassador.sum()),
        "new_influencers": int((influencer & new).sum()),
        "new_ambassadors": int((ambassador & new).sum()),
        "influencer_share": influencer.sum() / size if size else math.nan,
        "ambassador_share": ambassador.sum() / size if size else math.nan,
        "midpoint": midpoint.isoformat(),
    }


@dataclass
class Influence:
    """Everything :func:`analyse` finds: ``candidates`` (every author, kinds apart), ``scored``
    (individuals per persona, the ``influencers.csv`` table), ``shortlist``, ``ambassadors``,
    ``population``."""

    candidates: pd.DataFrame
    scored: pd.DataFrame
    shortlist: pd.DataFrame
    ambassadors: pd.DataFrame
    population: dict[str, float | int] = field(default_factory=dict)


def analyse(
    mentions: pd.DataFrame, brief: Brief, rule: evidence.Rule, start: dt.date, end: dt.date
) -> Influence:
    """The influencer analysis of the period's mentions (the module's rules)."""
    missing = {"author", "author_followers", "text", "brand", "channel", "sentiment", "published_at"}
    missing -= set(mentions.columns)
    if missing:
        raise ValueError(f"the mentions table lacks {', '.join(sorted(missing))}")
    table = candidates(mentions, brief, rule)
    scored = scores(table, author_texts(mentions, brief), brief)
    return Influence(table, scored, shortlist(scored), ambassadors(table), population(table, start, end))
