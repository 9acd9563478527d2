"""What the posts and the mentions talk about, and which of those themes engage.

Two kinds of theme, both transparent:

* **hashtags**, as the posts give them (``#vrac``), matched without case or accents;
* **term themes**: the captions' words and two-word phrases weighted by TF-IDF
  (scikit-learn), factorised by NMF into a few themes, each post assigned to the theme that
  carries most of its weight (none when its weight is under :data:`MIN_THEME_WEIGHT`). NMF is
  initialised by NNDSVD and seeded: the same posts give the same themes.

A theme is named by its top terms (accents kept in the display form) and an example post (the
one the theme describes best). Its engagement rate follows the brief's convention on the rated
posts (:func:`helpers.kpis.scope.rated_posts`), with an interval and a verdict against the
network's rate on its other posts (:func:`helpers.method.evidence.compare_groups`): a theme
measured on fewer than ``analysis.min_posts`` posts is ``too_few``, never a finding.

Stop words: scikit-learn's English list and the French list bundled below (:data:`FRENCH_STOP_WORDS`),
plus the words every social text carries (:data:`SOCIAL_STOP_WORDS`). A bundled list needs no
download at run time and no new dependency, and it can be read and amended here.

Numbers and codes only; words are added at display time.
"""

from __future__ import annotations

import re
import unicodedata
import warnings
from collections import Counter
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from helpers.method import evidence

#: French stop words: articles, pronouns, prepositions, conjunctions, auxiliaries and the
#: commonest adverbs and verbs' forms (folded: no accents, lower case).
FRENCH_STOP_WORDS: frozenset[str] = frozenset(
    """
    a ai aie aient aies ait alors as au aucun aucune aupres auquel aura aurai auraient aurais
    aurait auras aurez auriez aurions aurons auront aussi autre autres aux auxquelles auxquels
    avaient avais avait avant avec avez aviez avions avoir avons ayant ayez ayons bah beaucoup
    bien bon ca car ce ceci cela celle celles celui cependant certain certaine certaines certains
    ces cet cette ceux chacun chacune chaque chez ci comme comment contre d dans de dedans dehors
    deja depuis des desormais dessous dessus deux devant doit donc dont du duquel durant e elle
    elles en encore entre es est et etaient etais etait etant ete etes etiez etions etre eu eue
    eues eurent eus eusse eut eux fai fais faisait fait faites fois font furent fut grace hors
    ici il ils j je jusqu jusque l la laquelle le lequel les lesquelles lesquels leur leurs lors
    lorsque lui m ma mais me meme memes mes moi moins mon n ne ni non nos notre nous nouveau
    nouvelle o on ont ou oui par parce parmi pas peu peut peuvent plus plusieurs pour pourquoi
    pourtant puis qu quand que quel quelle quelles quels qui quoi s sa sans se selon sera serai
    seraient serais serait seras serez seriez serions serons seront ses si sien sienne soi soient
    sois soit sommes son sont sous soyez soyons suis sur t ta tandis te tel telle telles tels tes
    toi ton toujours tous tout toute toutes tres trop tu un une unes uns v va vais vers voici
    voila vont vos votre vous vu y deja c est-ce n'est quoi ainsi apres avant aujourd hui chose
    choses fait faire fais vraiment rien tant ya voir vois quelqu aujourd
    """.split()
)

#: Words every social text carries, in both languages (links, platform words, fillers).
SOCIAL_STOP_WORDS: frozenset[str] = frozenset(
    """
    http https www com fr rt via amp lol mdr ptdr svp stp merci thanks thank hi hello bonjour
    coucou salut hey oh ah et cetera etc
    """.split()
)

#: The stop-word lists by language code, folded (no accents, lower case).
STOP_WORDS: dict[str, frozenset[str]] = {
    "fr": FRENCH_STOP_WORDS,
    "en": frozenset(ENGLISH_STOP_WORDS),
}

#: Words shorter than this are dropped (hashtags are kept whatever their length).
MIN_WORD_LENGTH = 3
#: A term must appear in at least this many texts to be a key term (when there are that many).
MIN_TEXTS_PER_TERM = 2
#: A single word is not listed beside a phrase that holds it when the phrase appears in at
#: least this share of the word's texts (``zéro déchet`` makes ``déchet`` redundant).
PHRASE_COVERS = 0.8

_URL = re.compile(r"https?://\S+|www\.\S+", re.IGNORECASE)
_HANDLE = re.compile(r"(?<!\w)@[\w.]+")
_TOKEN = re.compile(r"#\w+|[^\W\d_]+(?:-[^\W\d_]+)*", re.UNICODE)
#: What ends a phrase: punctuation, symbols and emoji (a phrase never spans them).
_BREAK = re.compile(r"[^\w\s'’#-]+|\s-\s", re.UNICODE)


def fold(word: str) -> str:
    """A word's matching key: lower case, accents removed (``Zéro`` → ``zero``)."""
    decomposed = unicodedata.normalize("NFKD", word.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def stop_words(langs: Sequence[str] = ("fr", "en")) -> frozenset[str]:
    """The folded stop words of the languages, with the social ones.

    Raises:
        ValueError: a language without a bundled list.
    """
    unknown = [lang for lang in langs if lang not in STOP_WORDS]
    if unknown:
        raise ValueError(
            f"no stop-word list for {', '.join(map(repr, unknown))} (known: {', '.join(STOP_WORDS)})"
        )
    words: set[str] = set(SOCIAL_STOP_WORDS)
    for lang in langs:
        words |= STOP_WORDS[lang]
    return frozenset(words)


def tokens(text: str, stops: frozenset[str]) -> list[str | None]:
    """The display tokens of a text, lower case with accents kept: hashtags as ``#tag``, words
    split at apostrophes; a stop word, a short word, a number or a punctuation mark is ``None``
    (a phrase never spans it). Links and @handles are dropped."""
    text = _HANDLE.sub(" ", _URL.sub(" ", text or ""))
    out: list[str | None] = []
    for chunk in _BREAK.split(text.replace("’", "'")):
        for raw in _TOKEN.findall(chunk):
            word = raw.lower()
            if word.startswith("#"):
                out.append(word if len(word) > 1 and fold(word[1:]) not in stops else None)
                continue
            key = fold(word)
            keep = len(key) >= MIN_WORD_LENGTH and key not in stops
            out.append(word if keep else None)
        out.append(None)
    return out


def terms(text: str, stops: frozenset[str]) -> list[str]:
    """The terms of a text: hashtags, words and two-word phrases of adjacent kept words
    (display form, lower case, accents kept)."""
    toks = tokens(text, stops)
    out = [t for t in toks if t]
    for left, right in zip(toks, toks[1:], strict=False):
        if left and right and not left.startswith("#") and not right.startswith("#"):
            out.append(f"{left} {right}")
    return out


def excluded_words(names: Sequence[str]) -> frozenset[str]:
    """The folded words of names (brands, handles) and their hashtag forms' words."""
    words: set[str] = set()
    for name in names:
        parts = [fold(w) for w in re.findall(r"[^\W\d_]+", str(name).replace("’", "'"))]
        words.update(parts)
        words.add("".join(parts))
    return frozenset(words)


def _key(term: str) -> str:
    return fold(term.lstrip("#"))


def top_terms(
    texts: Sequence[str],
    n: int = 5,
    langs: Sequence[str] = ("fr", "en"),
    *,
    exclude: Sequence[str] = (),
) -> list[tuple[str, float]]:
    """The hashtags and key terms of a set of texts, most shared first.

    A term is a hashtag, a word or a two-word phrase (stop words of ``langs`` removed, links and
    @handles ignored). Terms are matched without case or accents and shown in their commonest
    written form (``zéro déchet``). Each is weighted by the share of the texts that contain it;
    a term in a single text is left out when there are at least :data:`MIN_TEXTS_PER_TERM`
    texts; a word is not listed beside a phrase that already covers it (:data:`PHRASE_COVERS`),
    nor a word beside its own hashtag.

    Args:
        texts: the texts (captions, mentions); missing ones count as empty.
        n: how many terms to return.
        langs: the stop-word languages (``fr``, ``en``).
        exclude: names whose words are no theme (the brand's and its competitors' names: every
            mention carries them), matched without case or accents.

    Returns:
        ``[(term, share of texts), ...]``, at most ``n``, ties broken alphabetically.

    Raises:
        ValueError: ``n`` under 1, or a language without a stop-word list.
    """
    if n < 1:
        raise ValueError(f"n must be at least 1, got {n}")
    stops = stop_words(langs) | excluded_words(exclude)
    texts = [t if isinstance(t, str) else "" for t in texts]
    if not texts:
        return []
    docs: Counter[str] = Counter()
    forms: dict[str, Counter[str]] = {}
    for text in texts:
        seen = terms(text, stops)
        for term in seen:
            key = ("#" if term.startswith("#") else "") + _key(term)
            forms.setdefault(key, Counter())[term] += 1
        docs.update({("#" if t.startswith("#") else "") + _key(t) for t in seen})
    floor = MIN_TEXTS_PER_TERM if len(texts) >= MIN_TEXTS_PER_TERM else 1
    ranked = sorted(
        ((key, count) for key, count in docs.items() if count >= floor),
        key=lambda kc: (-kc[1], -(" " in kc[0]), kc[0]),
    )
    chosen: list[tuple[str, int]] = []
    for key, count in ranked:
        if _covered(key, count, chosen, docs):
            continue
        chosen.append((key, count))
        if len(chosen) == n:
            break
    return [(forms[key].most_common(1)[0][0], count / len(texts)) for key, count in chosen]


def _covered(key: str, count: int, chosen: list[tuple[str, int]], docs: Counter[str]) -> bool:
    """Whether a term adds nothing: the same word as a chosen hashtag (or the reverse), or a
    word that a phrase holding it covers (the phrase is in :data:`PHRASE_COVERS` of its texts)."""
    bare = key.lstrip("#")
    if any(other.lstrip("#") == bare for other, _ in chosen):
        return True
    if " " in bare or key.startswith("#"):
        return False
    return any(
        " " in other and bare in other.split() and other_count >= PHRASE_COVERS * count
        for other, other_count in docs.items()
    )


# --- themes of a network's posts and mentions ------------------------------------------------

#: Hashtags a network's texts must share to be a theme (a one-off hashtag is no theme).
MIN_HASHTAG_TEXTS = 2
#: Hashtag themes kept per network and source, most used first.
MAX_HASHTAGS = 8
#: Term themes (NMF components) at most per network and source.
MAX_TERM_THEMES = 8
#: Texts per term theme: a network with ``n`` texts gets ``n // (TEXTS_PER_THEME × min_posts)``
#: term themes (at most :data:`MAX_TERM_THEMES`), none under two.
TEXTS_PER_THEME = 3
#: Share of a text's NMF weight its dominant theme needs for the text to belong to it.
MIN_THEME_WEIGHT = 0.5
#: Terms that name a theme.
THEME_TERMS = 3
#: The NMF seed (NNDSVD initialisation is deterministic; the seed settles ties).
SEED = 7
#: Engaging themes of one network that become findings, best interval first.
MAX_FINDINGS_PER_NETWORK = 2
#: Letters two words must share at their start to be taken as one (``consigne``, ``consignés``).
STEM_LENGTH = 6

#: The columns of :func:`theme_table`.
THEME_COLUMNS = [
    "source", "channel", "kind", "theme", "terms", "posts", "share", "rate", "low", "high",
    "reference", "lift", "verdict", "example_id", "example_text", "example_url",
]  # fmt: skip
#: The sources of a theme: the brand's own posts, or the mentions of the brand.
SOURCES = ("posts", "mentions")


def hashtag_themes(texts: Sequence[str]) -> dict[str, list[int]]:
    """The hashtags of the texts that are themes: ``{"#tag": [positions of its texts]}``, the
    :data:`MAX_HASHTAGS` most used on at least :data:`MIN_HASHTAG_TEXTS` texts, matched without
    case or accents and shown in their commonest form."""
    where: dict[str, set[int]] = {}
    forms: dict[str, Counter[str]] = {}
    for pos, text in enumerate(texts):
        for tag in re.findall(r"#\w+", text or ""):
            key = fold(tag)
            where.setdefault(key, set()).add(pos)
            forms.setdefault(key, Counter())[tag.lower()] += 1
    kept = sorted(
        (k for k, v in where.items() if len(v) >= MIN_HASHTAG_TEXTS), key=lambda k: (-len(where[k]), k)
    )
    return {forms[k].most_common(1)[0][0]: sorted(where[k]) for k in kept[:MAX_HASHTAGS]}


def term_themes(
    texts: Sequence[str], n_themes: int, langs: Sequence[str] = ("fr", "en"), exclude: Sequence[str] = ()
) -> list[tuple[list[str], list[int], int]]:
    """Term themes of the texts: TF-IDF of their words and two-word phrases (hashtags and stop
    words left out, a term in at least :data:`MIN_TEXTS_PER_TERM` texts), factorised by NMF
    into ``n_themes`` themes (NNDSVD initialisation, seeded: deterministic).

    A text belongs to the theme carrying at least :data:`MIN_THEME_WEIGHT` of its weight.

    Returns:
        Per theme with texts, largest first: its :data:`THEME_TERMS` top terms (display form),
        the positions of its texts, and the position of its example (the text it weighs most in).
    """
    from sklearn.decomposition import NMF
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.feature_extraction.text import TfidfVectorizer

    if n_themes < 2:
        return []
    stops = stop_words(langs) | excluded_words(exclude)
    forms: dict[str, Counter[str]] = {}

    def analyse(text: str) -> list[str]:
        keys = []
        for term in terms(text, stops):
            if not term.startswith("#"):
                key = _key(term)
                forms.setdefault(key, Counter())[term] += 1
                keys.append(key)
        return keys

    texts = [t if isinstance(t, str) else "" for t in texts]
    vectorizer = TfidfVectorizer(analyzer=analyse, min_df=MIN_TEXTS_PER_TERM, sublinear_tf=True)
    try:
        matrix = vectorizer.fit_transform(texts)
    except ValueError:  # no term in enough texts
        return []
    n_themes = min(n_themes, matrix.shape[1])
    if n_themes < 2:
        return []
    model = NMF(n_components=n_themes, init="nndsvd", random_state=SEED, max_iter=1000)
    with warnings.catch_warnings():  # a factorisation stopped at max_iter still assigns each text
        warnings.simplefilter("ignore", ConvergenceWarning)
        weights = model.fit_transform(matrix)
    vocabulary = vectorizer.get_feature_names_out()
    totals = weights.sum(axis=1)
    dominant = weights.argmax(axis=1)
    found = []
    for component in range(n_themes):
        share = np.divide(weights[:, component], totals, out=np.zeros(len(texts)), where=totals > 0)
        members = [int(i) for i in np.flatnonzero((dominant == component) & (share >= MIN_THEME_WEIGHT))]
        if not members:
            continue
        order = np.argsort(-model.components_[component], kind="stable")
        ranked = [
            forms[vocabulary[i]].most_common(1)[0][0] for i in order if model.components_[component][i] > 0
        ]
        names = name_terms(ranked)
        example = max(members, key=lambda i: (weights[i, component], -i))
        found.append((names, members, example))
    return sorted(found, key=lambda f: (-len(f[1]), f[1][0]))


def name_terms(ranked: Sequence[str], n: int = THEME_TERMS) -> list[str]:
    """The ``n`` first terms of a ranked list that say something new: a word already in a chosen
    phrase is skipped, a phrase replaces a chosen word it holds (``composition``,
    ``composition décryptée``, ``décryptée`` → ``composition décryptée``)."""
    chosen: list[str] = []
    for term in ranked:
        words = set(term.split())
        if words <= {w for c in chosen for w in c.split()}:
            continue
        inside = [c for c in chosen if set(c.split()) < words]
        chosen = [c for c in chosen if c not in inside] + [term]
        if len(chosen) == n:
            break
    return chosen


def theme_count(n_texts: int, min_posts: int) -> int:
    """How many term themes a network's ``n_texts`` texts support (see :data:`TEXTS_PER_THEME`)."""
    return min(MAX_TERM_THEMES, n_texts // (TEXTS_PER_THEME * max(min_posts, 1)))


def compare_themes(
    texts: Sequence[str],
    num: np.ndarray,
    den: np.ndarray,
    aggregation: str,
    rule: evidence.Rule | None = None,
    langs: Sequence[str] = ("fr", "en"),
    exclude: Sequence[str] = (),
) -> pd.DataFrame:
    """The themes of one network's texts (hashtags and term themes), each with its volume and
    rate, compared with the rate of the network's other texts (:func:`evidence.compare_groups`).

    Args:
        texts: the texts (captions or mentions), one per post.
        num, den: interactions and the convention's denominator per post.
        aggregation: the convention's aggregation.
        rule: the sample rule: a theme on fewer than ``min_posts`` posts is ``too_few``.
        langs: the stop-word languages.
        exclude: names that are no theme (the brand's, its competitors').

    Returns:
        ``kind`` (``hashtag``/``terms``), ``theme`` (the hashtag, or ``terms:1``...), ``terms``
        (the naming terms joined by `` · ``), ``posts``, ``share`` (of the texts), ``rate``,
        ``low``, ``high``, ``reference``, ``lift``, ``verdict`` and ``example`` (position of the
        example text), ranked as :func:`evidence.compare_groups` ranks.
    """
    rule = rule or evidence.Rule()
    num, den = np.asarray(num, dtype=float), np.asarray(den, dtype=float)
    texts = [t if isinstance(t, str) else "" for t in texts]
    found: list[tuple[str, str, str, list[int], int]] = []
    for tag, members in hashtag_themes(texts).items():
        example = max(members, key=lambda i: (num[i] if not np.isnan(num[i]) else -1, -i))
        found.append(("hashtag", tag, tag, members, example))
    for k, (names, members, example) in enumerate(
        term_themes(texts, theme_count(len(texts), rule.min_posts), langs, exclude), start=1
    ):
        found.append(("terms", f"terms:{k}", " · ".join(names), members, example))
    columns = ["kind", "theme", "terms", "posts", "share", "rate", "low", "high", "reference", "lift",
               "verdict", "example"]  # fmt: skip
    if not found:
        return pd.DataFrame(columns=columns)
    keys, index, rest = [], [], {}
    for _, theme, _, members, _ in found:
        keys += [theme] * len(members)
        index += members
        other = np.ones(len(texts), dtype=bool)
        other[members] = False
        rest[theme] = evidence.rate(num[other], den[other], aggregation)
    table = evidence.compare_groups(
        pd.DataFrame({"theme": keys}), num[index], den[index], aggregation, pd.Series(rest), rule
    )
    meta = pd.DataFrame(
        [{"kind": k, "theme": t, "terms": n, "share": len(m) / len(texts), "example": e}
         for k, t, n, m, e in found]
    )  # fmt: skip
    return table.merge(meta, on="theme", how="left")[columns]


def theme_table(
    posts: pd.DataFrame,
    conventions: Any,
    followers: pd.DataFrame | None = None,
    rule: evidence.Rule | None = None,
    mentions: pd.DataFrame | None = None,
    brand: str | None = None,
    langs: Sequence[str] = ("fr", "en"),
    exclude: Sequence[str] = (),
) -> pd.DataFrame:
    """The themes of the brand's posts and of the mentions of the brand, per network.

    The posts' rate is the brief's engagement rate (``conventions``: the brief's ``kpi``
    section) on the posts given (pass the rated posts, :func:`helpers.kpis.scope.rated_posts`);
    the mentions' rate is their engagement over their reach (mentions carry no other
    denominator), aggregated as the convention aggregates. Each theme is compared with its
    network's other posts (or mentions) of the same source.

    Args:
        posts: the brand's rated posts (``channel``, ``text``, ``post_id``, ``permalink`` and the
            convention's columns).
        conventions: the brief's ``kpi`` section or an :class:`EngagementConvention`.
        followers: the followers table, when the denominator is followers.
        rule: the sample rule.
        mentions: the listening table (``channel``, ``text``, ``brand``, ``engagement``,
            ``reach``, ``mention_id``, ``url``); left out when ``None``.
        brand: the brand whose mentions count (``mentions.brand``); all mentions when ``None``.
        langs: the stop-word languages.
        exclude: names that are no theme (the brand's and its competitors').

    Returns:
        :data:`THEME_COLUMNS`, posts first then mentions, networks in alphabetical order.

    Raises:
        ValueError: a table lacks a column the analysis needs.
    """
    from helpers.kpis.posts import EngagementConvention
    from helpers.method.observation import post_arrays

    rule = rule or evidence.Rule()
    convention = EngagementConvention.of(conventions)
    _require(posts, "posts", ("channel", "text", "post_id", "permalink"))
    frames = []
    if not posts.empty:
        num, den, _ = post_arrays(posts, convention, followers)
        frames.append(_per_network("posts", posts, num, den, "post_id", "permalink", convention.aggregation,
                                   rule, langs, exclude))  # fmt: skip
    if mentions is not None and not mentions.empty:
        _require(mentions, "mentions", ("channel", "text", "engagement", "reach", "mention_id", "url"))
        if brand is not None:
            _require(mentions, "mentions", ("brand",))
            mentions = mentions[mentions["brand"] == brand]
        num = pd.to_numeric(mentions["engagement"], errors="coerce").astype("float64").to_numpy()
        den = pd.to_numeric(mentions["reach"], errors="coerce").astype("float64").to_numpy()
        frames.append(
            _per_network(
                "mentions",
                mentions,
                num,
                den,
                "mention_id",
                "url",
                convention.aggregation,
                rule,
                langs,
                exclude,
            )
        )
    frames = [f for f in frames if not f.empty]
    if not frames:
        return pd.DataFrame(columns=THEME_COLUMNS)
    return pd.concat(frames, ignore_index=True)[THEME_COLUMNS]


def _require(table: pd.DataFrame, name: str, columns: Sequence[str]) -> None:
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise ValueError(
            f"the {name} table lacks {', '.join(missing)} (columns: {', '.join(map(str, table.columns))})"
        )


def _per_network(
    source: str,
    table: pd.DataFrame,
    num: np.ndarray,
    den: np.ndarray,
    id_col: str,
    url_col: str,
    aggregation: str,
    rule: evidence.Rule,
    langs: Sequence[str],
    exclude: Sequence[str],
) -> pd.DataFrame:
    frames = []
    channels = table["channel"].astype("string")
    for channel in sorted(channels.dropna().unique()):
        mask = (channels == channel).fillna(False).to_numpy(dtype=bool)
        part = table[mask]
        texts = part["text"].astype("string").fillna("").tolist()
        found = compare_themes(texts, num[mask], den[mask], aggregation, rule, langs, exclude)
        if found.empty:
            continue
        example = found.pop("example").astype(int).to_numpy()
        found["example_id"] = part[id_col].astype("string").to_numpy()[example]
        found["example_text"] = [texts[i] for i in example]
        found["example_url"] = part[url_col].astype("string").to_numpy()[example]
        found.insert(0, "channel", channel)
        found.insert(0, "source", source)
        frames.append(found)
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=THEME_COLUMNS)


def engaging_themes(themes: pd.DataFrame, lift_threshold: float, min_posts: int = 1) -> pd.DataFrame:
    """The themes of the brand's posts that engage: verdict ``above`` (the whole interval over
    the network's other posts) on at least ``min_posts`` posts and a lift of ``lift_threshold``
    or more (the brief's ``analysis.lift_threshold``); per network best low bound first."""
    if themes.empty:
        return themes.copy()
    _require(themes, "themes", ("source", "channel", "posts", "lift", "low", "verdict"))
    keep = (
        (themes["source"] == "posts")
        & (themes["verdict"] == "above")
        & (pd.to_numeric(themes["posts"]) >= min_posts)
        & (pd.to_numeric(themes["lift"]) >= lift_threshold)
    )
    chosen = themes[keep.fillna(False)]
    return chosen.sort_values(["channel", "low"], ascending=[True, False]).reset_index(drop=True)


def theme_findings(
    themes: pd.DataFrame | None, weights: dict[str, float], lift_threshold: float, min_posts: int
) -> list[dict]:
    """The themes that engage (:func:`engaging_themes`) as opportunities of the audit, at most
    :data:`MAX_FINDINGS_PER_NETWORK` per network (``themes.csv`` of ``01``; none when ``None``).

    Returns:
        The fields of :class:`helpers.method.synthesis.Finding` (``Finding(**record)``): the
        synthesis builds them, so this module does not import it.
    """
    if themes is None or themes.empty:
        return []
    chosen = (
        engaging_themes(themes, lift_threshold, min_posts).groupby("channel").head(MAX_FINDINGS_PER_NETWORK)
    )
    kinds = {"channel": "channel", "terms": "text", "lift": "percent:0", "rate": "percent:2",
             "low": "percent:2", "high": "percent:2", "posts": "number:0", "share": "percent:0"}  # fmt: skip
    return [
        {
            "id": f"theme_{row['channel']}_{_slug(row['theme'])}",
            "kind": "opportunity",
            "objective": "engagement",
            "kpi": "engagement_rate",
            "scope": f"{row['channel']}:{row['theme']}",
            "value": float(row["rate"]),
            "reference": float(row["reference"]),
            "gap": float(row["lift"]),
            "weight": weights["engagement"],
            "message": "themes.finding",
            "values": {
                "channel": row["channel"],
                "terms": row["terms"],
                "lift": float(row["lift"]),
                "rate": float(row["rate"]),
                "low": float(row["low"]),
                "high": float(row["high"]),
                "posts": int(row["posts"]),
                "share": float(row["share"]),
            },
            "kinds": kinds,
        }
        for _, row in chosen.iterrows()
    ]


def _slug(theme: object) -> str:
    """A theme's id as a finding's id part: ``#vrac`` → ``vrac``, ``terms:2`` → ``terms_2``."""
    return re.sub(r"\W+", "_", fold(str(theme))).strip("_")


# --- themes and the editorial pillars of 05 ---------------------------------------------------

#: The columns of :func:`pillar_themes`.
PILLAR_COLUMNS = ["pillar", "channel", "theme", "terms", "lift", "posts", "shared"]


def _stems(text: str, stops: frozenset[str]) -> set[str]:
    """The folded words of a text (hashtags' bodies included), cut to :data:`STEM_LENGTH`
    letters, a final ``s`` or ``x`` dropped."""
    out = set()
    for raw in re.findall(r"[^\W\d_]+", (text or "").replace("’", "'")):
        key = fold(raw)
        if len(key) < MIN_WORD_LENGTH or key in stops:
            continue
        out.add(key.rstrip("sx")[:STEM_LENGTH] if len(key) > MIN_WORD_LENGTH else key)
    return out


def pillar_themes(
    pillars: Sequence[str],
    themes: pd.DataFrame,
    lift_threshold: float,
    min_posts: int = 1,
    langs: Sequence[str] = ("fr", "en"),
) -> pd.DataFrame:
    """Which editorial pillar each engaging theme (:func:`engaging_themes`) feeds.

    A theme fits a pillar when a word of the pillar and a word of the theme (its naming terms
    and its example text; a hashtag's body) share their first :data:`STEM_LENGTH` letters
    (without case, accents or a final ``s``/``x``); it feeds every pillar it fits. A theme that
    fits none is a suggested new pillar (``pillar`` empty).

    Args:
        pillars: the brief's ``planning.pillars``.
        themes: ``themes.csv`` (:func:`theme_table`).
        lift_threshold, min_posts: the brief's ``analysis`` thresholds.
        langs: the stop-word languages.

    Returns:
        :data:`PILLAR_COLUMNS`: one row per pillar and theme it fits (``shared``: the shared
        stems, joined by `` · ``), pillars in the brief's order; a pillar no engaging theme
        fits has one row without a theme; then the suggested new pillars (``pillar`` NA).
    """
    stops = stop_words(langs)
    pillar_stems = [_stems(p, stops) for p in pillars]
    fed: list[list[dict]] = [[] for _ in pillars]
    suggested: list[dict] = []
    for _, row in engaging_themes(themes, lift_threshold, min_posts).iterrows():
        words = _stems(f"{row['terms']} {row.get('example_text', '')}", stops)
        tag = fold(str(row["theme"]).lstrip("#")) if row["kind"] == "hashtag" else ""
        fits = False
        for k, stems in enumerate(pillar_stems):
            shared = {s for s in stems if s in words or (tag and tag.startswith(s))}
            if shared:
                fed[k].append(_pillar_row(pillars[k], row, shared))
                fits = True
        if not fits:
            suggested.append(_pillar_row(None, row, set()))
    rows = []
    for pillar, matched in zip(pillars, fed, strict=True):
        rows += matched or [{"pillar": pillar}]
    return pd.DataFrame(rows + suggested, columns=PILLAR_COLUMNS)


def _pillar_row(pillar: str | None, row: pd.Series, shared: set[str]) -> dict:
    return {
        "pillar": pillar,
        "channel": row["channel"],
        "theme": row["theme"],
        "terms": row["terms"],
        "lift": float(row["lift"]),
        "posts": int(row["posts"]),
        "shared": " · ".join(sorted(shared)),
    }
