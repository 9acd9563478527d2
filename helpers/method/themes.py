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
from collections import Counter
from collections.abc import Sequence

from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

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
    choses fait faire fais vraiment rien tant ya voir vois
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
