"""Detecting the language of post texts, cheaply and in batches.

Most posts are decided by their script alone: Cyrillic, Arabic, Hebrew, Greek, Thai, kana,
Hangul, Han and the Indic scripts each point at one language (with a few letter checks to
separate, say, Ukrainian from Russian). Only texts written mostly in Latin letters need a
statistical model. They go to CLD2 (pycld2: Chromium's detector, its model compiled in), whose
answer is kept when it is one of the common Latin-script languages below; the others go to
lingua in one parallel call per batch, restricted to those languages in low-accuracy mode, which
picks the closest of them. On the shared samples' labelled posts this is right more often than
lingua alone (94.8% against 91.2%, short posts 90.6% against 79.2%) and four times as fast
(bench/language_accuracy.py, bench/RESULTS.md).

Before deciding, URLs, ``@mentions``, ``#tags``, VK ``[id1|name]`` links and HTML entities are
removed: they are not evidence of a language.

Short posts are where detectors fail ("Thanks, safe flight" read as Dutch), so a batch's own
languages are a prior: the Latin-script languages that CLD2 names reliably for at least a fifth
of the batch's longer posts (or the languages a caller expects, a workspace's say). A short post
whose CLD2 answer is unreliable and outside the prior is decided among the prior's languages,
and a post of one or two letters ("ok", "no.") gets the prior's language. Cyrillic posts are
decided by their letters, Russian when none shows otherwise; a workspace that expects one other
Cyrillic-script language and not Russian gets that one for such short posts. Only a post with no
letters at all, or one or two letters and no prior, gets ``None``. Only the first :data:`MAX_CHARS` characters are looked at: a
long post's opening says its language, and some steps here cost more than linear time on a
huge text without spaces.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING

import pycld2

if TYPE_CHECKING:
    from lingua import LanguageDetector

__all__ = ["KNOWN_LANGUAGES", "LATIN_LANGUAGES", "detect_languages"]

# The Latin-script languages a text can get: the common ones on social media. CLD2's answer is
# kept when it is one of these; otherwise lingua chooses among them. Each extra language costs
# lingua throughput (all languages run at ~2,500 texts/s; adding Swedish to these ten cost ~5%
# and misread more short English posts), so this stays a short list; a text in another
# Latin-script language gets the closest of these.
LATIN_LANGUAGES = ("en", "es", "pt", "fr", "de", "it", "nl", "tr", "pl", "id")

# Fewer letters than this (after stripping) and any answer would be a guess, unless a prior
# (the batch's or the workspace's languages) says which.
MIN_LETTERS = 3
# Posts with fewer letters than this are short: the prior decides where CLD2 is unsure.
SHORT_LETTERS = 20
# A batch's prior: Latin languages CLD2 names reliably for this share of its longer posts,
# once there are enough of those.
PRIOR_SHARE = 0.2
PRIOR_MIN_POSTS = 20
# Characters of a text looked at: more than any tweet or toot, so only long posts are cut.
MAX_CHARS = 2000
# A Han, kana or Hangul character carries roughly a syllable or a word, not a letter.
CJK_WEIGHT = 3

_NOISE_RE = re.compile(
    r"https?://\S+|www\.\S+"  # links
    r"|(?<![\w@])[@#][\w.\-]+"  # @mentions, #tags
    r"|\[(?:id|club|public)\d+\|[^\]]*\]"  # VK links: [id123|Name]
    r"|&(?:[a-zA-Z]+|#\d+);"  # HTML entities (&amp; in Twitter v1 text)
    r"|\bRT\b"  # the retweet marker
)

# One pass over the text: each run of letters of one script is a match named by its script.
_LATIN_LETTERS = r"A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff"
_LATIN_LETTERS_RE = re.compile(f"[{_LATIN_LETTERS}]")
# Any letter of a script other than Latin (the ranges of _SCRIPT_RE below).
_OTHER_SCRIPT_RE = re.compile(
    r"[\u0370-\u03ff\u0400-\u052f\u0531-\u058f\u05d0-\u05ff\u0620-\u06ff\u0750-\u077f"
    r"\u08a0-\u08ff\u0900-\u0dff\u0e00-\u0eff\u1000-\u10ff\u1100-\u11ff\u1200-\u137f"
    r"\u1780-\u17ff\u1f00-\u1fff\u3040-\u30ff\u3130-\u318f\u31f0-\u31ff\u3400-\u4dbf"
    r"\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\ufb50-\ufdff\ufe70-\ufeff\uff66-\uff9f]"
)
_SCRIPT_RE = re.compile(
    f"(?P<latin>[{_LATIN_LETTERS}]+)"
    r"|(?P<cyrillic>[\u0400-\u052f]+)"
    r"|(?P<greek>[\u0370-\u03ff\u1f00-\u1fff]+)"
    r"|(?P<armenian>[\u0531-\u058f]+)"
    r"|(?P<hebrew>[\u05d0-\u05ff]+)"
    r"|(?P<arabic>[\u0620-\u064a\u066e-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]+)"
    r"|(?P<devanagari>[\u0900-\u097f]+)"
    r"|(?P<bengali>[\u0980-\u09ff]+)"
    r"|(?P<gurmukhi>[\u0a00-\u0a7f]+)"
    r"|(?P<gujarati>[\u0a80-\u0aff]+)"
    r"|(?P<tamil>[\u0b80-\u0bff]+)"
    r"|(?P<telugu>[\u0c00-\u0c7f]+)"
    r"|(?P<kannada>[\u0c80-\u0cff]+)"
    r"|(?P<malayalam>[\u0d00-\u0d7f]+)"
    r"|(?P<sinhala>[\u0d80-\u0dff]+)"
    r"|(?P<thai>[\u0e00-\u0e7f]+)"
    r"|(?P<lao>[\u0e80-\u0eff]+)"
    r"|(?P<myanmar>[\u1000-\u109f]+)"
    r"|(?P<georgian>[\u10a0-\u10ff]+)"
    r"|(?P<ethiopic>[\u1200-\u137f]+)"
    r"|(?P<khmer>[\u1780-\u17ff]+)"
    r"|(?P<kana>[\u3040-\u30ff\u31f0-\u31ff\uff66-\uff9f]+)"
    r"|(?P<hangul>[\u1100-\u11ff\u3130-\u318f\uac00-\ud7af]+)"
    r"|(?P<han>[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+)"
)

# Scripts used by essentially one language on social media.
_SCRIPT_LANGUAGE = {
    "greek": "el",
    "armenian": "hy",
    "hebrew": "he",
    "devanagari": "hi",
    "bengali": "bn",
    "gurmukhi": "pa",
    "gujarati": "gu",
    "tamil": "ta",
    "telugu": "te",
    "kannada": "kn",
    "malayalam": "ml",
    "sinhala": "si",
    "thai": "th",
    "lao": "lo",
    "myanmar": "my",
    "georgian": "ka",
    "ethiopic": "am",
    "khmer": "km",
}
_CJK = ("kana", "hangul", "han")
# The Cyrillic-script languages told apart by their own letters (Russian when none shows).
CYRILLIC_LANGUAGES = ("ru", "uk", "be", "bg", "kk", "sr", "mk")
# Every code a text can get: what a workspace may say it expects.
KNOWN_LANGUAGES = tuple(sorted({*LATIN_LANGUAGES, *CYRILLIC_LANGUAGES, *_SCRIPT_LANGUAGE.values(),
                                "ar", "fa", "ur", "ja", "ko", "zh"}))  # fmt: skip
_CYRILLIC_LETTERS_RE = re.compile(r"[\u0400-\u052f]")

_THREE_ASCII_LETTERS_RE = re.compile(r"[A-Za-z][^A-Za-z]*[A-Za-z][^A-Za-z]*[A-Za-z]")
# Letters that exist in one Cyrillic alphabet and not in Russian.
_KAZAKH_RE = re.compile(r"[әғқңөұүһӘҒҚҢӨҰҮҺ]")
_SERBIAN_RE = re.compile(r"[ђћџљњјЂЋЏЉЊЈ]")
_MACEDONIAN_RE = re.compile(r"[ѓќѕЃЌЅ]")
_BELARUSIAN_RE = re.compile(r"[ўЎ]")
_UKRAINIAN_RE = re.compile(r"[їєґЇЄҐ]")
_CYRILLIC_I_RE = re.compile(r"[іІ]")
_RUSSIAN_ONLY_RE = re.compile(r"[ыэёЫЭЁ]")
# In Bulgarian ъ is a vowel (във, път, България); in Russian it only precedes е, ё, ю, я.
_BULGARIAN_HARD_SIGN_RE = re.compile(r"[ъЪ](?![еёюяЕЁЮЯ])")

# Persian and Urdu add letters to the Arabic alphabet.
_URDU_RE = re.compile(r"[ٹڈڑںےۓ]")
_PERSIAN_RE = re.compile(r"[پچژگ]")

_detectors: dict[tuple[str, ...], LanguageDetector] = {}
# The process that started lingua's (Rust rayon) thread pool. A child forked after that
# inherits a pool without threads: a parallel call there never returns, so it goes sequential.
_parallel_pid: int | None = None


def detect_languages(texts: Sequence[str], expected: Sequence[str] = ()) -> list[str | None]:
    """Return the ISO 639-1 code of each text's language, or ``None`` when undecidable.

    ``expected``: languages the caller expects (a workspace's); its Latin-script ones are the
    prior for short posts, instead of the batch's own (see the module's docstring). One
    expected Cyrillic-script language other than Russian is given to short Cyrillic posts that
    no letter shows to be Russian or another language ("Дякую" is Ukrainian to a Ukrainian
    workspace), and one expected Cyrillic language to posts of one or two Cyrillic letters.
    """
    decided: dict[str, str | None] = {}  # stripped text -> code: reposts repeat texts
    for_model: dict[str, None] = {}
    few_letters: dict[str, None] = {}  # one or two letters: the prior's, if there is one
    cyrillic = tuple(code for code in expected if code in CYRILLIC_LANGUAGES)
    stripped_texts = [_NOISE_RE.sub(" ", text[:MAX_CHARS]) if text else "" for text in texts]
    for stripped in stripped_texts:
        if stripped in decided or stripped in for_model or stripped in few_letters:
            continue
        decision = _decide_cheaply(stripped, cyrillic)
        if decision is _LATIN:
            for_model[stripped] = None
        elif decision is None and _LATIN_LETTERS_RE.search(stripped):
            few_letters[stripped] = None
        elif decision is None and len(cyrillic) == 1 and _CYRILLIC_LETTERS_RE.search(stripped):
            decided[stripped] = cyrillic[0]
        else:
            decided[stripped] = decision
    latin, prior = _detect_latin(list(for_model), tuple(c for c in expected if c in LATIN_LANGUAGES))
    decided.update(zip(for_model, latin, strict=True))
    decided.update(dict.fromkeys(few_letters, prior[0] if len(prior) == 1 else None))
    return [decided[stripped] for stripped in stripped_texts]


class _Latin:
    """Marker: the text is mostly Latin letters and needs the statistical model."""


_LATIN = _Latin()


def _decide_cheaply(text: str, cyrillic: tuple[str, ...] = ()) -> str | _Latin | None:
    """Return a language code decided without the model, ``_LATIN`` for the model, or None.

    ``cyrillic``: the Cyrillic-script languages expected (see :func:`_cyrillic_language`).
    """
    if text.isascii():
        if not _THREE_ASCII_LETTERS_RE.search(text):
            return None
        return _LATIN
    if not _OTHER_SCRIPT_RE.search(text):
        # Latin letters with emoji or typography around them: no need to count scripts.
        if len(_LATIN_LETTERS_RE.findall(text)) < MIN_LETTERS:
            return None
        return _LATIN
    counts = _script_counts(text)
    if sum(counts.values()) < MIN_LETTERS:
        return None
    script = max(counts, key=counts.__getitem__)
    if script == "latin":
        return _LATIN
    if script in _CJK:
        return _cjk_language(counts)
    if script == "cyrillic":
        return _cyrillic_language(text, cyrillic)
    if script == "arabic":
        return _arabic_language(text)
    return _SCRIPT_LANGUAGE[script]


def _script_counts(text: str) -> dict[str, int]:
    """Return the (weighted) number of letters of each script in ``text``."""
    counts: dict[str, int] = {}
    for match in _SCRIPT_RE.finditer(text):
        script = match.lastgroup
        length = match.end() - match.start()
        if script in _CJK:
            length *= CJK_WEIGHT
        counts[script] = counts.get(script, 0) + length
    # Japanese mixes kana and Han: weigh them together against the other scripts.
    if "kana" in counts and "han" in counts:
        counts["kana"] += counts.pop("han")
    return counts


def _cjk_language(counts: dict[str, int]) -> str:
    """Return ja when there is kana, ko for Hangul, zh for Han alone."""
    if "kana" in counts:
        return "ja"
    if counts.get("hangul", 0) >= counts.get("han", 0):
        return "ko"
    return "zh"


def _cyrillic_language(text: str, expected: tuple[str, ...] = ()) -> str:
    """Return the Cyrillic-script language shown by its own letters; Russian by default, or
    for a short post the one expected language when Russian is not expected."""
    if _KAZAKH_RE.search(text):
        return "kk"
    if _SERBIAN_RE.search(text):
        return "sr"
    if _MACEDONIAN_RE.search(text):
        return "mk"
    if _BELARUSIAN_RE.search(text):
        return "be"
    russian_letters = _RUSSIAN_ONLY_RE.search(text) is not None
    if _UKRAINIAN_RE.search(text) or (_CYRILLIC_I_RE.search(text) and not russian_letters):
        return "uk"
    if not russian_letters and _BULGARIAN_HARD_SIGN_RE.search(text):
        return "bg"
    if (len(expected) == 1 and expected[0] != "ru" and not russian_letters
            and _is_short(text)):  # fmt: skip
        return expected[0]
    return "ru"


def _arabic_language(text: str) -> str:
    """Return ur or fa when their extra letters show, else ar."""
    if _URDU_RE.search(text):
        return "ur"
    if _PERSIAN_RE.search(text):
        return "fa"
    return "ar"


def _detect_latin(
    texts: list[str], expected: tuple[str, ...] = ()
) -> tuple[list[str | None], tuple[str, ...]]:
    """Return the language code of each Latin-script text, and the prior used.

    CLD2's answer is kept when it names one of :data:`LATIN_LANGUAGES`, unless the text is
    short, CLD2 is unsure, and the answer is outside the prior: those, and the texts CLD2 names
    nothing for, go to lingua (among the prior's languages for the short ones).
    """
    guesses = [_cld2_guess(text) for text in texts]
    short = list(map(_is_short, texts))
    prior = expected or _batch_prior(guesses, short)
    found: list[str | None] = []
    to_lingua, to_prior = [], []
    for index, ((code, reliable), is_short) in enumerate(zip(guesses, short, strict=True)):
        if code in LATIN_LANGUAGES and (reliable or not is_short or not prior or code in prior):
            found.append(code)
            continue
        found.append(None)
        (to_prior if prior and is_short else to_lingua).append(index)
    for index, code in zip(to_lingua, _lingua([_encodable(texts[i]) for i in to_lingua]), strict=True):
        found[index] = code
    chosen = _lingua([_encodable(texts[i]) for i in to_prior], prior) if len(prior) > 1 else None
    for k, index in enumerate(to_prior):
        found[index] = chosen[k] if chosen is not None else prior[0]
    return found, prior


def _batch_prior(guesses: list[tuple[str | None, bool]], short: list[bool]) -> tuple[str, ...]:
    """Return the Latin languages CLD2 names reliably for a fifth of the batch's longer posts."""
    sure = [code for (code, reliable), is_short in zip(guesses, short, strict=True)
            if reliable and not is_short and code in LATIN_LANGUAGES]  # fmt: skip
    if len(sure) < PRIOR_MIN_POSTS:
        return ()
    counts = Counter(sure)
    return tuple(sorted(code for code, n in counts.items() if n >= PRIOR_SHARE * len(sure)))


def _letter_count(text: str) -> int:
    return sum(map(str.isalpha, text))  # no generator frame per character: 1.6x faster


def _is_short(text: str) -> bool:
    """Return whether ``text`` has fewer than :data:`SHORT_LETTERS` letters (most posts show
    that many in their first few words, so the rest is seldom counted)."""
    if len(text) < SHORT_LETTERS:
        return True
    return _letter_count(text[:64]) < SHORT_LETTERS and _letter_count(text) < SHORT_LETTERS


def _cld2_guess(text: str) -> tuple[str | None, bool]:
    """Return CLD2's best guess at a text's language ("un" when it has none) and whether
    CLD2 calls it reliable."""
    try:
        reliable, _bytes, details = pycld2.detect(text, isPlainText=True, bestEffort=True)
    except (pycld2.error, UnicodeError):
        return None, False  # control characters or lone surrogates: lingua reads those
    return details[0][1], bool(reliable)


def _encodable(text: str) -> str:
    """Return ``text`` with lone surrogates (a JSON escape can make them) replaced by "?":
    lingua refuses a text that is not valid UTF-8."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-8", "replace").decode("utf-8")
    return text


def _lingua(texts: list[str], among: tuple[str, ...] = LATIN_LANGUAGES) -> list[str | None]:
    """Return lingua's language code for each text (one of ``among``), in one batch."""
    if not texts:
        return []
    global _parallel_pid
    detector = _latin_detector(among)
    if _parallel_pid in (None, os.getpid()):
        _parallel_pid = os.getpid()
        languages = detector.detect_languages_in_parallel_of(texts)
    else:
        languages = [detector.detect_language_of(text) for text in texts]
    return [_iso_code(language) for language in languages]


def _iso_code(language) -> str | None:
    """Return the lower-case ISO 639-1 code of a lingua ``Language``."""
    return None if language is None else language.iso_code_639_1.name.lower()


def _latin_detector(among: tuple[str, ...] = LATIN_LANGUAGES) -> LanguageDetector:
    """Return a lingua detector for the languages ``among``, built on first use (models load
    in ~0.1 s) and kept."""
    detector = _detectors.get(among)
    if detector is None:
        from lingua import IsoCode639_1, LanguageDetectorBuilder

        codes = [getattr(IsoCode639_1, code.upper()) for code in among]
        detector = LanguageDetectorBuilder.from_iso_codes_639_1(*codes)
        detector = _detectors[among] = detector.with_low_accuracy_mode().build()
    return detector
