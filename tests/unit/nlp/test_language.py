"""Language detection: script shortcuts, the English check, CLD2 then lingua for Latin script."""

from __future__ import annotations

import multiprocessing
import os
import pickle

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.nlp import detect_languages, language


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Отличный сервис, очень доволен! Заказываю уже третий раз.", "ru"),
        ("Привіт! Дуже дякую за швидку доставку, все прийшло цілим.", "uk"),
        ("Вчера в София беше слънчево, а днес вали във всички квартали.", "bg"),
        ("Thanks for the quick reply, the parcel arrived this morning.", "en"),
        ("Hola, ¿cómo estás? Muchas gracias por la ayuda con el pedido.", "es"),
        ("Bonjour à tous, je suis très content de la livraison aujourd'hui.", "fr"),
        ("Guten Morgen, wie geht es dir heute? Das Paket ist angekommen.", "de"),
        ("今日はとても良い天気ですね。散歩に行きましょう。", "ja"),
        ("오늘 날씨가 정말 좋네요", "ko"),
        ("今天天气很好，我们去公园吧", "zh"),
        ("مرحبا، كيف حالك اليوم؟", "ar"),
        ("שלום, מה שלומך היום?", "he"),
        ("Καλημέρα σε όλους, τι κάνετε;", "el"),
        ("สวัสดีครับ วันนี้อากาศดีมาก", "th"),
        ("नमस्ते, आप कैसे हैं?", "hi"),
    ],
)
def test_detects_language(text, expected):
    assert detect_languages([text]) == [expected]


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "😀😀🎉🔥",
        "ok",
        "https://t.co/abc123 @someone #tag",
        "12345 !!! ???",
        "@alice @bob",
    ],
)
def test_undecidable_is_none(text):
    assert detect_languages([text]) == [None]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # The mentions, tags and links are English-looking noise around a Russian sentence.
        ("@brand_support #delivery https://example.com/order Спасибо, всё пришло вовремя", "ru"),
        ("RT @news_ru: Курьер опоздал на два часа https://t.co/x", "ru"),
        ("[id6099|Дмитрий], спасибо за ответ", "ru"),
        # Japanese with a few English words is still Japanese.
        ("RT @x: それではお聞きください。THE RAMPAGE from EXILE で『Hamburg Disco』", "ja"),
    ],
)
def test_ignores_mentions_tags_links(text, expected):
    assert detect_languages([text]) == [expected]


@pytest.mark.parametrize(
    "text",
    ["Thank you so much", "It's fine, don't worry about it", "Your ok David, thanks"],
)
def test_short_english_is_english(text):
    # lingua's low-accuracy mode called "Thank you" German; CLD2 reads it right.
    assert detect_languages([text]) == ["en"]


def test_batch_keeps_order_and_repeats():
    texts = [
        "Thanks for the quick reply, the parcel arrived this morning.",
        "Привет, как дела? Всё хорошо.",
        "",
        "Hola, ¿cómo estás? Muchas gracias por la ayuda con el pedido.",
        "Thanks for the quick reply, the parcel arrived this morning.",
        "Bonjour à tous, je suis très content de la livraison aujourd'hui.",
    ]
    assert detect_languages(texts) == ["en", "ru", None, "es", "en", "fr"]
    assert detect_languages([]) == []


def test_codes_are_lower_case_iso_639_1():
    codes = detect_languages(["Das ist ein schöner Tag in Berlin und wir gehen spazieren."])
    assert codes == ["de"]
    assert all(code is None or (len(code) == 2 and code.islower()) for code in codes)


def test_function_pickles_by_reference():
    assert pickle.loads(pickle.dumps(detect_languages)) is detect_languages


def _detect_in_child(texts):
    return detect_languages(texts)


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_works_in_forked_worker_after_parent_used_it():
    # lingua's Rust thread pool does not survive fork: a parallel call in the child would hang,
    # so the child must fall back to sequential detection.
    texts = [
        "Hola, ¿cómo estás? Muchas gracias por la ayuda con el pedido.",
        "Привет, как дела?",
        "Jag älskar att läsa böcker på kvällarna när det regnar ute",  # CLD2 -> lingua
    ]
    expected = detect_languages(texts)
    assert expected[:2] == ["es", "ru"]
    context = multiprocessing.get_context("fork")
    with context.Pool(1) as pool:
        result = pool.apply_async(_detect_in_child, (texts,))
        assert result.get(timeout=60) == expected


def test_detector_is_built_once():
    detect_languages(["Jag älskar att läsa böcker på kvällarna när det regnar ute"])
    detector = language._latin_detector()
    detect_languages(["Ang cute naman ng mga bata dito sa amin"])
    assert language._latin_detector() is detector


@pytest.mark.parametrize(
    "text",
    # lingua alone (low-accuracy mode, before issue 9) read these short posts from the shared
    # samples as Dutch, German, French or Indonesian; CLD2 reads them as English.
    ["I want KFC.", "Kfc has my heart.", "@joshthemorgan It's fine.", "We Rollin' https://t.co/x"],
)
def test_short_english_that_lingua_misread(text):
    assert detect_languages([text]) == ["en"]


@pytest.mark.parametrize(
    "text",
    [
        "Jag älskar att läsa böcker på kvällarna när det regnar ute",  # CLD2: Swedish
        "Ang cute naman ng mga bata dito sa amin",  # CLD2: Tagalog
    ],
)
def test_language_outside_the_list_gets_the_closest_of_the_list(text):
    # CLD2 names a language outside LATIN_LANGUAGES: lingua chooses among the list, as before.
    assert language._cld2_guess(text)[0] not in language.LATIN_LANGUAGES
    assert detect_languages([text])[0] in language.LATIN_LANGUAGES


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Hola amigos, ¿cómo estáis?\x01 muchas gracias por todo el apoyo", "es"),
        ("Hola amigos, c\udce9mo est\u00e1is, muchas gracias por todo el apoyo", "es"),
    ],
)
def test_text_cld2_refuses_goes_to_lingua(text, expected):
    # CLD2 refuses control characters and lone surrogates (a JSON escape can make those).
    assert language._cld2_guess(text)[0] is None
    assert detect_languages([text]) == [expected]


@pytest.mark.timeout(20)
def test_only_the_opening_of_a_huge_text_is_read():
    # A megabyte without spaces took minutes (some regular expressions here are quadratic on
    # such text): only the first MAX_CHARS characters are read.
    huge = ["a" * 1_000_000, "[id1|" * 200_000, "x" * 1_000_000 + " Привет, как дела?"]
    letters, vk_links, cut_before_russian = detect_languages(huge)
    assert letters in language.LATIN_LANGUAGES
    assert vk_links is None
    assert cut_before_russian in language.LATIN_LANGUAGES
    english_then_russian = "Thanks for the quick reply. " * 100 + "Спасибо, всё пришло. " * 1000
    assert detect_languages([english_then_russian]) == ["en"]


ENGLISH_BATCH = [
    f"Flight {i} was delayed again and nobody at the gate could tell us anything useful"
    for i in range(30)
]


# Real short posts of the shared samples (labelled English by Twitter) that CLD2 and lingua
# alone read as Dutch, Italian, Indonesian and German, and one-word ones nothing decides alone.
SHORT = ["omg i have kfc", "@DaRealDavid_db yessir", "@XainabNadeem Its ok he got me kfc",
         "@artemagnus95 Fresh af🔥🏀", "no.", "OK, 10"]  # fmt: skip


def test_a_batch_of_english_is_the_prior_for_its_short_posts():
    assert detect_languages(SHORT) != ["en"] * len(SHORT)  # alone, they are misread
    assert detect_languages(ENGLISH_BATCH + SHORT)[-len(SHORT):] == ["en"] * len(SHORT)


def test_the_prior_does_not_overrule_a_long_post_in_another_language():
    german = "Der Flug war wieder verspätet und niemand am Schalter konnte uns etwas sagen"
    assert detect_languages(ENGLISH_BATCH + [german])[-1] == "de"


def test_expected_languages_are_the_prior_even_in_a_small_batch():
    assert detect_languages(["Safe flight Anna", "no."], expected=("en", "ru")) == ["en", "en"]
    assert detect_languages(["no."]) == [None]  # one word, no prior: undecidable


def test_posts_without_letters_stay_unknown():
    assert detect_languages(ENGLISH_BATCH + ["🙂🙂", "@anna https://t.co/x", "2024"])[-3:] == [None] * 3


def test_only_the_opening_of_a_long_text_is_read():
    from app.nlp.language import MAX_CHARS

    english = "The delivery was quick and the courier was kind. " * (MAX_CHARS // 40)
    russian = "Доставка была быстрой, курьер вежливый. " * 5000
    assert detect_languages([english + russian, russian + english]) == ["en", "ru"]


def test_an_expected_cyrillic_language_decides_short_posts_no_letter_decides():
    # "Дякую" has no letter Russian lacks: read as Russian, unless the workspace expects
    # Ukrainian and not Russian.
    assert detect_languages(["Дякую, все добре"]) == ["ru"]
    assert detect_languages(["Дякую, все добре"], expected=("uk", "en")) == ["uk"]
    assert detect_languages(["Дякую, все добре"], expected=("uk", "ru")) == ["ru"]
    # Letters still decide: Russian-only letters, and long posts, are not the prior's.
    assert detect_languages(["Ты лучший"], expected=("uk",)) == ["ru"]
    long_russian = "Спасибо вам большое за хорошую доставку, все пришло вовремя и в полном порядке"
    assert detect_languages([long_russian], expected=("uk",)) == ["ru"]
    # One or two Cyrillic letters: the one expected Cyrillic language, else unknown.
    assert detect_languages(["Да!"]) == [None]
    assert detect_languages(["Да!"], expected=("ru", "en")) == ["ru"]
    assert detect_languages(["Да!"], expected=("ru", "uk")) == [None]


def test_known_languages_are_every_code_a_text_can_get():
    assert {"en", "ru", "uk", "kk", "ja", "zh", "ar", "he"} <= set(language.KNOWN_LANGUAGES)
    assert set(language.LATIN_LANGUAGES) <= set(language.KNOWN_LANGUAGES)


@given(st.text(max_size=200) | st.text(alphabet="ab1 #@яё.", max_size=120))
def test_the_short_text_shortcut_counts_letters_as_a_full_count_does(text):
    """_is_short looks at the first 64 characters first: it must answer as a full count."""
    assert language._is_short(text) == (sum(char.isalpha() for char in text) < language.SHORT_LETTERS)
