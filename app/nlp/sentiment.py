"""Sentiment of post texts: VADER for English, a VADER-style lexicon analyzer for Russian.

Each text gets ``(label, score)``: ``score`` is a compound valence in [-1, 1] and ``label`` is
``positive`` (score >= 0.05), ``negative`` (<= -0.05) or ``neutral`` — VADER's thresholds. A
text in another language, or of unknown language, gets ``("unknown", None)``.

The Russian analyzer follows VADER's rules on two shipped lexicons (PolSentiLex, AFINN-ru; see
``lexicons/ATTRIBUTION.md``) rescaled to VADER's -4..4: words are lemmatised with pymorphy3
(cached per word: vocabularies repeat, and pymorphy3 parses ~36,000 words/s) and ё is read as
е; a negation among the three preceding words of the same clause flips and dampens a valence
(x -0.74), boosters
("очень", "слегка") scale it (negative concord: "никогда не" negates once), a contrastive "но" halves what precedes it and raises what follows,
words in capitals and exclamation marks add emphasis, and the sum is normalised like VADER's
compound, ``s / sqrt(s^2 + 15)``. Emoticons, emoji and Latin words ("ok", "lol") are scored
with VADER's own lexicon, and the RuNet smileys ")))" and "(((" as ":)" and ":(".

Results are cached per exact text (reposts repeat texts) in bounded caches. Everything heavy is
built on first use, so importing is cheap and a forked or spawned worker builds its own.
"""

from __future__ import annotations

import math
import re
import string
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

__all__ = ["BOOSTERS", "NEGATIONS", "analyze_sentiment", "clear_caches", "normalize_word"]

POSITIVE_THRESHOLD = 0.05
NEGATIVE_THRESHOLD = -0.05
# VADER's empirically derived constants (vaderSentiment.vaderSentiment).
B_INCR = 0.293
B_DECR = -0.293
C_INCR = 0.733
N_SCALAR = -0.74
NORMALIZE_ALPHA = 15
EXCLAMATION_WEIGHT = 0.292
MAX_EXCLAMATIONS = 4
QUESTION_WEIGHT = 0.18
MAX_QUESTION_AMPLIFIER = 0.96
# A booster two or three words away counts a little less than one right before the word.
DISTANCE_DAMPING = (1.0, 0.95, 0.9)
BUT_BEFORE = 0.5
BUT_AFTER = 1.5

# Word lists read better as words than as quoted lists, hence the noqa: SIM905 below.
NEGATIONS = frozenset(
    "не нет ни никогда нельзя без ничуть нисколько отнюдь никак вовсе".split()  # noqa: SIM905
)
_INCREMENTS = """
    очень крайне слишком чрезвычайно весьма абсолютно совершенно невероятно безумно сильно
    реально действительно по-настоящему максимально полностью особенно исключительно чертовски
    самый самая самое самые самого самой самым самых так такой такая такое такие более
    наиболее гораздо намного довольно дико
"""
_DECREMENTS = "слегка немного немножко чуть чуть-чуть едва почти отчасти частично слабо малость"
BOOSTERS = {
    **dict.fromkeys(_INCREMENTS.split(), B_INCR),
    **dict.fromkeys(_DECREMENTS.split(), B_DECR),
}
CONTRASTS = frozenset({"но", "однако", "зато"})

# Lexicon scales -> VADER's -4..4: PolSentiLex means are -2..2, AFINN scores -5..5.
POLSENTILEX_SCALE = 2.0
AFINN_SCALE = 0.8
LEXICONS = Path(__file__).resolve().parent / "lexicons"
POLSENTILEX_FILE = "polsentilex-ru.tsv"
AFINN_FILE = "afinn-ru.tsv"

TEXT_CACHE_SIZE = 100_000
LEMMA_CACHE_LIMIT = 300_000

# Words (with inner hyphens: "чуть-чуть"), single emoji, emoticons, RuNet smileys.
_TOKEN_RE = re.compile(
    r"(?P<word>[^\W\d_]+(?:-[^\W\d_]+)*)"
    r"|(?P<emoji>[\U0001f000-\U0001faff\u2600-\u27bf\u2b50])"
    r"|(?P<emoticon>(?<!\S)[:;=8xX][-'^]?[()\[\]DdPpOo3/\\|*$@]+(?!\S)|<3|\){2,}|\({2,})"
    r"|(?P<boundary>[.,;:!?\u2026\u2014]+)"
)
_RUNET_SMILEYS = {")": ":)", "(": ":("}

_vader: SentimentIntensityAnalyzer | None = None
_russian_lexicon: dict[str, float] | None = None
_emoji_valences: dict[str, float] = {}
_lemmas: dict[str, str] = {}
_morph = None


def analyze_sentiment(
    texts: Sequence[str], langs: Sequence[str | None]
) -> list[tuple[str, float | None]]:
    """Return ``(label, score)`` for each text, scored by the analyzer of its language."""
    if len(texts) != len(langs):
        raise ValueError(f"{len(texts)} texts but {len(langs)} languages")
    return [
        _analyze_one(text or "", _base_language(lang))
        for text, lang in zip(texts, langs, strict=True)
    ]


def clear_caches(*, lemmas: bool = True) -> None:
    """Forget cached results, and lemmas unless told not to (for benchmarks and tests)."""
    _english_score.cache_clear()
    _russian_score.cache_clear()
    if lemmas:
        _lemmas.clear()


def normalize_word(word: str) -> str:
    """Return ``word`` lower-cased with ё read as е, as the lexicons spell it."""
    return word.lower().replace("ё", "е")


def _base_language(lang: str | None) -> str | None:
    """Return the primary subtag of a language tag ("en-GB" -> "en")."""
    if not lang:
        return None
    return lang.replace("_", "-").split("-", 1)[0].lower()


def _analyze_one(text: str, lang: str | None) -> tuple[str, float | None]:
    """Return the label and score of one text in language ``lang``."""
    if lang == "en":
        score = _english_score(text)
    elif lang == "ru":
        score = _russian_score(text)
    else:
        return ("unknown", None)
    return (_label(score), score)


def _label(score: float) -> str:
    """Return VADER's label for a compound score."""
    if score >= POSITIVE_THRESHOLD:
        return "positive"
    if score <= NEGATIVE_THRESHOLD:
        return "negative"
    return "neutral"


@lru_cache(maxsize=TEXT_CACHE_SIZE)
def _english_score(text: str) -> float:
    """Return VADER's compound score of an English text."""
    if not _has_vader_word(text):
        return 0.0  # what VADER returns for it, found ten times faster
    return _vader_analyzer().polarity_scores(text)["compound"]


def _has_vader_word(text: str) -> bool:
    """Say whether VADER could give ``text`` a score other than 0.0.

    VADER gives a valence only to words of its lexicon (boosters and negations merely modify
    one), so a text none of whose words is in the lexicon scores exactly 0.0; a third of
    tweets are such texts. The words are VADER's own: split on whitespace, punctuation
    stripped from a word's ends unless that leaves two characters or fewer, lower-cased.
    A text with an emoji is left to VADER, which first replaces emoji with words.
    """
    analyzer = _vader_analyzer()
    if not _emoji_characters().isdisjoint(text):
        return True
    lexicon = analyzer.lexicon
    for token in text.split():
        stripped = token.strip(string.punctuation)
        if (stripped if len(stripped) > 2 else token).lower() in lexicon:
            return True
    return False


@lru_cache(maxsize=1)
def _emoji_characters() -> frozenset[str]:
    """Return the characters VADER replaces with words (its emoji lexicon is per character)."""
    return frozenset(emoji for emoji in _vader_analyzer().emojis if len(emoji) == 1)


@lru_cache(maxsize=TEXT_CACHE_SIZE)
def _russian_score(text: str) -> float:
    """Return the VADER-style compound score of a Russian text."""
    tokens, clauses = _tokenize(text)
    if not tokens:
        return 0.0
    keys = [normalize_word(token) for token, _ in tokens]
    valences = [_token_valence(token, kind) for token, kind in tokens]
    cap_differential = _cap_differential(tokens)
    sentiments = [
        _modified_valence(index, tokens, clauses, keys, valences, cap_differential)
        for index in range(len(tokens))
    ]
    sentiments = _contrast_check(keys, sentiments)
    return _compound(sum(sentiments), text)


def _tokenize(text: str) -> tuple[list[tuple[str, str | None]], list[int]]:
    """Return the (token, kind) pairs of a text and the clause number of each."""
    tokens: list[tuple[str, str | None]] = []
    clauses: list[int] = []
    clause = 0
    for match in _TOKEN_RE.finditer(text):
        if match.lastgroup == "boundary":
            clause += 1
        else:
            tokens.append((match.group(), match.lastgroup))
            clauses.append(clause)
    return tokens, clauses


def _token_valence(token: str, kind: str | None) -> float:
    """Return the lexicon valence of a token (0.0 when it carries none)."""
    if kind == "emoji":
        return _emoji_valence(token)
    if kind == "emoticon":
        smiley = _RUNET_SMILEYS.get(token[0], token) if token[0] in "()" else token
        return _vader_analyzer().lexicon.get(smiley, 0.0)
    word = normalize_word(token)
    if word in NEGATIONS or word in BOOSTERS:
        return 0.0
    if word.isascii():
        return _vader_analyzer().lexicon.get(word, 0.0)
    lexicon = _lexicon()
    valence = lexicon.get(word)
    if valence is None:
        valence = lexicon.get(_lemma(word), 0.0)
    return valence


def _modified_valence(
    index: int,
    tokens: list[tuple[str, str | None]],
    clauses: list[int],
    keys: list[str],
    valences: list[float],
    cap_differential: bool,
) -> float:
    """Return a token's valence after emphasis, boosters and negations before it (VADER)."""
    valence = valences[index]
    if valence == 0.0:
        return 0.0
    token, kind = tokens[index]
    if kind == "word" and cap_differential and token.isupper():
        valence += C_INCR if valence > 0 else -C_INCR
    negated = False
    for distance in (1, 2, 3):
        before = index - distance
        # Unlike VADER, negations and boosters stop at punctuation: in "не закажу, ужасно" the
        # "не" belongs to another clause.
        if before < 0 or clauses[before] != clauses[index]:
            break
        # As in VADER, a word that carries sentiment itself modifies nothing.
        if valences[before] != 0.0:
            continue
        scalar = _booster_scalar(tokens[before][0], keys[before], valence, cap_differential)
        valence += scalar * DISTANCE_DAMPING[distance - 1]
        # Russian negation is concordant: "никогда не закажу" negates once, not twice.
        if keys[before] in NEGATIONS and not negated:
            valence *= N_SCALAR
            negated = True
    return valence


def _booster_scalar(token: str, key: str, valence: float, cap_differential: bool) -> float:
    """Return how much a booster before a word adds to its valence (VADER's scalar_inc_dec)."""
    scalar = BOOSTERS.get(key, 0.0)
    if scalar == 0.0:
        return 0.0
    if valence < 0:
        scalar = -scalar
    if cap_differential and token.isupper():
        scalar += C_INCR if valence > 0 else -C_INCR
    return scalar


def _cap_differential(tokens: list[tuple[str, str | None]]) -> bool:
    """Return whether some but not all words are in capitals (emphasis, not a shouted post)."""
    words = [token for token, kind in tokens if kind == "word"]
    capitals = sum(word.isupper() for word in words)
    return 0 < capitals < len(words)


def _contrast_check(keys: list[str], sentiments: list[float]) -> list[float]:
    """Return sentiments halved before the first "но"/"однако" and raised after it."""
    position = next((index for index, key in enumerate(keys) if key in CONTRASTS), None)
    if position is None:
        return sentiments
    return [
        sentiment * (BUT_BEFORE if index < position else BUT_AFTER if index > position else 1.0)
        for index, sentiment in enumerate(sentiments)
    ]


def _compound(total: float, text: str) -> float:
    """Return VADER's compound: punctuation emphasis added, then normalised to [-1, 1]."""
    if total == 0.0:
        return 0.0
    emphasis = _punctuation_emphasis(text)
    total += emphasis if total > 0 else -emphasis
    return round(total / math.sqrt(total * total + NORMALIZE_ALPHA), 4)


def _punctuation_emphasis(text: str) -> float:
    """Return VADER's emphasis for exclamation marks (up to 4) and repeated question marks."""
    emphasis = min(text.count("!"), MAX_EXCLAMATIONS) * EXCLAMATION_WEIGHT
    questions = text.count("?")
    if questions > 3:
        emphasis += MAX_QUESTION_AMPLIFIER
    elif questions > 1:
        emphasis += questions * QUESTION_WEIGHT
    return emphasis


def _lemma(word: str) -> str:
    """Return the dictionary form of a lower-case word, cached."""
    lemma = _lemmas.get(word)
    if lemma is None:
        if len(_lemmas) >= LEMMA_CACHE_LIMIT:
            _lemmas.clear()
        lemma = normalize_word(_morph_analyzer().parse(word)[0].normal_form)
        _lemmas[word] = lemma
    return lemma


def _emoji_valence(emoji: str) -> float:
    """Return the summed VADER valence of the words describing an emoji ("😍" -> smiling...)."""
    valence = _emoji_valences.get(emoji)
    if valence is None:
        analyzer = _vader_analyzer()
        description = analyzer.emojis.get(emoji, "")
        valence = sum(analyzer.lexicon.get(word, 0.0) for word in description.lower().split())
        _emoji_valences[emoji] = valence
    return valence


def _vader_analyzer() -> SentimentIntensityAnalyzer:
    """Return the VADER analyzer, built on first use (it reads its lexicons from disk)."""
    global _vader
    if _vader is None:
        from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

        _vader = SentimentIntensityAnalyzer()
    return _vader


def _morph_analyzer():
    """Return the pymorphy3 analyzer, built on first use (~0.1 s, ~15 MB of dictionaries)."""
    global _morph
    if _morph is None:
        import pymorphy3

        _morph = pymorphy3.MorphAnalyzer(lang="ru")
    return _morph


def _lexicon() -> dict[str, float]:
    """Return the Russian lemma -> valence map, loaded on first use."""
    global _russian_lexicon
    if _russian_lexicon is None:
        _russian_lexicon = merge_lexicons(
            _read_tsv(LEXICONS / POLSENTILEX_FILE, POLSENTILEX_SCALE),
            _read_tsv(LEXICONS / AFINN_FILE, AFINN_SCALE),
        )
    return _russian_lexicon


def merge_lexicons(*lexicons: dict[str, float]) -> dict[str, float]:
    """Return one lemma -> valence map, averaging the lexicons where they overlap."""
    valences: dict[str, list[float]] = {}
    for lexicon in lexicons:
        for lemma, valence in lexicon.items():
            valences.setdefault(lemma, []).append(valence)
    return {lemma: sum(values) / len(values) for lemma, values in valences.items()}


def _read_tsv(path: Path, scale: float) -> dict[str, float]:
    """Return a ``lemma<TAB>score`` file as a dict, scores multiplied by ``scale``."""
    lexicon = {}
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            lemma, score = line.rstrip("\n").split("\t")
            lexicon[lemma] = float(score) * scale
    return lexicon
