"""Sentiment: VADER for English, the lexicon analyzer for Russian, unknown for the rest."""

from __future__ import annotations

import multiprocessing
import os
import pickle
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.nlp import analyze_sentiment, sentiment

LABELS = {"positive", "neutral", "negative"}


def score_ru(text: str) -> tuple[str, float | None]:
    return analyze_sentiment([text], ["ru"])[0]


def score_en(text: str) -> tuple[str, float | None]:
    return analyze_sentiment([text], ["en"])[0]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I love this shop, great service and friendly staff!", "positive"),
        ("Terrible delivery, the worst experience ever. Never again.", "negative"),
        ("The parcel was delivered on Tuesday at 10 am.", "neutral"),
        ("This is not good at all", "negative"),
    ],
)
def test_english_labels(text, expected):
    label, score = score_en(text)
    assert label == expected
    assert -1.0 <= score <= 1.0


def test_english_matches_vader_compound():
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    text = "The food was good but the service was horribly slow!!"
    compound = SentimentIntensityAnalyzer().polarity_scores(text)["compound"]
    assert score_en(text) == ("negative" if compound <= -0.05 else "positive", compound)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Отличный сервис, очень доволен!", "positive"),
        ("Спасибо, всё пришло вовремя, курьер вежливый", "positive"),
        ("Хороший магазин, рекомендую", "positive"),
        ("Ужасная доставка, никогда больше не закажу", "negative"),
        ("Это просто отстой, худший сервис", "negative"),
        ("Плохое качество, товар сломался через день", "negative"),
        ("Курьер приехал во вторник в 10 часов", "neutral"),
        ("Заказ номер 12345 передан в доставку", "neutral"),
    ],
)
def test_russian_labels(text, expected):
    label, score = score_ru(text)
    assert label == expected
    assert -1.0 <= score <= 1.0


def test_no_sentiment_words_is_neutral_zero():
    assert score_ru("Курьер приехал во вторник") == ("neutral", 0.0)
    assert score_en("The courier came on Tuesday") == ("neutral", 0.0)
    assert score_ru("") == ("neutral", 0.0)
    assert score_en("") == ("neutral", 0.0)


@pytest.mark.parametrize(
    ("plain", "negated"),
    [
        ("плохо", "не плохо"),
        ("хороший сервис", "не хороший сервис"),
        ("рекомендую", "не рекомендую"),
        ("доволен", "совсем не доволен"),
    ],
)
def test_russian_negation_flips_and_dampens(plain, negated):
    _, plain_score = score_ru(plain)
    _, negated_score = score_ru(negated)
    assert plain_score != 0.0
    assert negated_score * plain_score < 0
    assert abs(negated_score) < abs(plain_score)


def test_not_bad_is_not_negative():
    assert score_ru("не плохо")[0] != "negative"
    assert score_ru("Не плохо")[0] != "negative"


def test_concordant_negation_negates_once():
    # "никогда не" is one negation in Russian, not two that cancel out.
    assert score_ru("никогда не был доволен")[0] == "negative"
    assert score_ru("никогда не рекомендую")[0] == "negative"


@pytest.mark.parametrize("text", ["Никогда не закажу, ужасно", "Больше не приду. Ужасно!"])
def test_negation_stops_at_punctuation(text):
    assert score_ru(text)[0] == "negative"


@pytest.mark.parametrize(
    ("text", "form"),
    [
        ("ужасной", "ужасный"),
        ("ужасную доставку", "ужасная доставка"),
        ("отличными", "отличный"),
        ("довольны", "доволен"),
    ],
)
def test_lemmatisation_finds_inflected_forms(text, form):
    label, score = score_ru(text)
    assert label != "neutral"
    assert score * score_ru(form)[1] > 0


def test_yo_is_read_as_ye():
    assert score_ru("Всё ужасно") == score_ru("Все ужасно")


def test_boosters_scale():
    _, plain = score_ru("хороший")
    _, boosted = score_ru("очень хороший")
    _, damped = score_ru("слегка хороший")
    assert damped < plain < boosted
    _, bad = score_ru("плохой")
    _, very_bad = score_ru("крайне плохой")
    assert very_bad < bad < 0


def test_exclamation_and_capitals_add_emphasis():
    _, plain = score_ru("Отличный сервис")
    _, exclaimed = score_ru("Отличный сервис!!!")
    _, shouted = score_ru("ОТЛИЧНЫЙ сервис")
    assert plain < exclaimed
    assert plain < shouted


def test_contrast_weighs_what_follows():
    assert score_ru("Доставка быстрая, но курьер хамил")[0] == "negative"
    assert score_ru("Курьер хамил, но доставка отличная")[0] == "positive"


@pytest.mark.parametrize(
    ("text", "expected"), [("Всё отлично)))", "positive"), ("Опять(((", "negative")]
)
def test_runet_smileys(text, expected):
    assert score_ru(text)[0] == expected


def test_emoji_in_russian_text():
    assert score_ru("Спасибо 😍")[1] > score_ru("Спасибо")[1]


def test_compound_is_normalised_like_vader():
    text = "ужасно ужасно ужасно ужасно ужасно ужасно ужасно ужасно ужасно ужасно"
    label, score = score_ru(text)
    assert label == "negative"
    assert -1.0 <= score < -0.9


@pytest.mark.parametrize("lang", ["es", "uk", "de", "ja", None, "", "und"])
def test_other_languages_are_unknown(lang):
    assert analyze_sentiment(["Отличный сервис, great service"], [lang]) == [("unknown", None)]


@pytest.mark.parametrize("lang", ["en-GB", "EN", "en_US"])
def test_language_tags_use_their_primary_subtag(lang):
    assert analyze_sentiment(["I love it"], [lang])[0][0] == "positive"


def test_batch_in_order_with_mixed_languages():
    texts = ["I love it!", "Ужасно", "Hola", "", "I love it!"]
    langs = ["en", "ru", "es", None, "en"]
    results = analyze_sentiment(texts, langs)
    assert [label for label, _ in results] == [
        "positive",
        "negative",
        "unknown",
        "unknown",
        "positive",
    ]
    assert results[0] == results[4]
    assert all(label in LABELS | {"unknown"} for label, _ in results)


def test_mismatched_lengths_raise():
    with pytest.raises(ValueError, match="2 texts but 1 languages"):
        analyze_sentiment(["a", "b"], ["en"])


def test_results_are_cached_by_text():
    sentiment.clear_caches()
    analyze_sentiment(["Отличный сервис"] * 3, ["ru"] * 3)
    info = sentiment._russian_score.cache_info()
    assert (info.misses, info.hits) == (1, 2)


def test_function_pickles_by_reference():
    assert pickle.loads(pickle.dumps(analyze_sentiment)) is analyze_sentiment


def _analyze_in_child(texts, langs):
    return analyze_sentiment(texts, langs)


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_works_in_forked_worker():
    texts, langs = ["Отличный сервис!", "Terrible service"], ["ru", "en"]
    expected = analyze_sentiment(texts, langs)
    with multiprocessing.get_context("fork").Pool(1) as pool:
        assert pool.apply_async(_analyze_in_child, (texts, langs)).get(timeout=60) == expected


LEXICONS = Path(sentiment.__file__).parent / "lexicons"


@pytest.mark.parametrize(
    "name",
    [
        "polsentilex-ru.tsv",
        "afinn-ru.tsv",
        "ATTRIBUTION.md",
        "LICENSE-PolSentiLex-CC-BY-4.0.txt",
        "LICENSE-AFINN-ru-MIT.md",
        "LICENSE-AFINN-Apache-2.0.txt",
    ],
)
def test_shipped_lexicon_files_exist(name):
    assert (LEXICONS / name).stat().st_size > 0


def test_shipped_lexicons_are_small_and_well_formed():
    assert sum(path.stat().st_size for path in LEXICONS.iterdir()) < 1_000_000
    for name, bound in (("polsentilex-ru.tsv", 2.0), ("afinn-ru.tsv", 5.0)):
        lines = (LEXICONS / name).read_text(encoding="utf-8").splitlines()
        assert len(lines) > 2000
        for line in lines:
            lemma, score = line.split("\t")
            assert lemma == lemma.lower() and "ё" not in lemma
            assert -bound <= float(score) <= bound


def test_licences_say_what_they_are():
    assert "Attribution 4.0 International" in (
        LEXICONS / "LICENSE-PolSentiLex-CC-BY-4.0.txt"
    ).read_text(encoding="utf-8")
    assert "MIT License" in (LEXICONS / "LICENSE-AFINN-ru-MIT.md").read_text(encoding="utf-8")
    attribution = (LEXICONS / "ATTRIBUTION.md").read_text(encoding="utf-8")
    assert "Koltsova" in attribution and "Nielsen" in attribution and "Changes" in attribution


# Words VADER scores, words that only modify ("very", "not", "but", "kind of"), words it does
# not know, and tokens whose punctuation VADER strips or keeps ("bad!", ":)", "ok.").
_ENGLISH_TOKENS = [
    "good", "GOOD", "bad!", "love", "hate,", "no", "not", "never", "very", "VERY", "but",
    "kind", "of", "least", "at", "delivery", "order", "the", "parcel", "Tuesday", "@bob",
    "#great", "https://t.co/x", "RT", ":)", ":(", "ok.", "lol", "??", "!!!", "😀", "💔", "x",
    "a", "..", "won't", "isn't", "yeah", "right", "the", "bomb", "kiss", "death",
]  # fmt: skip


@given(st.lists(st.sampled_from(_ENGLISH_TOKENS), max_size=12), st.sampled_from([" ", "  ", "\n"]))
def test_english_score_is_vaders_compound(tokens, separator):
    # Texts with no lexicon word are answered without VADER: the score must still be VADER's.
    text = separator.join(tokens)
    expected = sentiment._vader_analyzer().polarity_scores(text)["compound"]
    assert sentiment._english_score.__wrapped__(text) == expected


@pytest.mark.parametrize(
    "text", ["the parcel came on Tuesday", "RT @bob: order 12 https://t.co/x #delivery", ""]
)
def test_text_without_vader_words_scores_zero_without_vader(text, monkeypatch):
    def not_called(text):
        raise AssertionError("VADER was asked")

    assert sentiment._has_vader_word(text) is False
    monkeypatch.setattr(sentiment._vader_analyzer(), "polarity_scores", not_called)
    assert sentiment._english_score.__wrapped__(text) == 0.0
