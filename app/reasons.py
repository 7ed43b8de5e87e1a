"""The reasons behind roles and scores in the page's language.

The scoring package (graph/, pure, no Flask) writes its reasons in English into each snapshot
("in conversation with 14 distinct people (97th percentile)"). Pages in another language show
them translated here: each English sentence is matched against patterns made from the very
templates graph.roles writes with (so a changed template cannot drift silently: it stops
matching and shows in English), and rebuilt in Russian with the same numbers and topics.
"""

from __future__ import annotations

import re
from functools import cache

from flask_babel import get_locale

from graph.roles import FEATURES

ROLE_NAMES_RU = {
    "networker": "сетевик",
    "thought leader": "лидер мнений",
    "trendsetter": "трендсеттер",
    "amplifier": "усилитель",
}

FEATURES_RU = {
    "partners": "общается с {v} разными людьми",
    "reciprocated": "взаимных связей: {v}",
    "coreness": "входит в {v}-ядро разговора",
    "addressed_by": "упоминают или ведут с ним взаимный разговор {v} разных людей, {share} авторов",
    "bridging": "общается с людьми из других сообществ: {v}",
    "endorsed_by": "репостят, цитируют или отвечают {v} разных людей, {share} авторов",
    "influence_rank": "PageRank на графе ответов, цитат и репостов в {v} раза выше среднего",
    "replies_per_post": "{v} ответов и цитат на каждый собственный пост",
    "repliers": "отвечают или цитируют {v} разных людей",
    "topical_focus": "{v} постов — о теме {topic}",
    "earliness": "подхватил {topic} раньше {v} из {adopters} подхвативших",
    "followers_after": "{v} человек из окружения подхватили их темы после них, {share} авторов",
    "trend_rank": "ранг трендсеттера в {v} раза выше среднего",
    "repost_share": "{v} из {posts} постов — репосты",
    "reposted_authors": "репостил {v} разных авторов",
    "media_share": "{v} постов ссылаются на СМИ или блоги",
    "second_hand_reach": "их репосты читатели распространили дальше {v} раз",
}

OTHER_RU = (
    (r"score reduced by (?P<n>\d+)% for bot-like behaviour",
     "оценка снижена на {n}% за поведение, похожее на бота"),
    (r"no role: best is (?P<role>[a-z ]+) at (?P<n>\d+), role threshold (?P<t>\d+)",
     "роли нет: лучшая оценка — {role} ({n}), порог роли {t}"),
    (r"not enough evidence for the role: (?P<rest>.+)", "для роли мало оснований: {rest}"),
    (r"needs (?P<a>\d+) people in conversation with them and (?P<b>\d+) who address them "
     r"\(has (?P<c>\d+) and (?P<d>\d+), suspicious accounts not counted\)",
     "нужно {a} собеседников и {b} обращающихся к ним (есть {c} и {d}, подозрительные "
     "аккаунты не в счёт)"),
    (r"needs a post of their own that others reply to, quote or repost",
     "нужен собственный пост, на который отвечают, который цитируют или репостят"),
    (r"needs (?P<a>\d+) people replying to, quoting or reposting them \(has (?P<b>\d+), "
     r"suspicious accounts not counted\)",
     "нужно {a} человек, которые отвечают, цитируют или репостят (есть {b}, подозрительные "
     "аккаунты не в счёт)"),
    (r"needs (?P<a>\d+) people taking up their topics after them \(has (?P<b>\d+)\)",
     "нужно {a} человек, подхвативших их темы после них (есть {b})"),
    (r"a suspicious account cannot be an amplifier",
     "подозрительный аккаунт не может быть усилителем"),
    (r"needs (?P<a>\d+) reposts of (?P<b>\d+) distinct authors \(has (?P<c>\d+) of (?P<d>\d+)\)",
     "нужно {a} репостов {b} разных авторов (есть {c} из {d})"),
    (r"(?P<n>[\d,]+) posts? in the window, in touch with (?P<m>[\d,]+) (?:person|people)",
     "постов в окне: {n}, собеседников: {m}"),
    (r"their main topic", "их главной теме"),
    # graph.bots
    (r"marked as not a bot by a person", "человек отметил: не бот"),
    (r"confirmed as a bot by a person", "человек подтвердил: бот"),
    (r"posts like clockwork: (?P<n>\d+) posts, gaps between them vary by (?P<p>\d+)% "
     r"\(coefficient of variation (?P<cv>[\d.]+)\)",
     "постит как по часам: {n} постов, промежутки между ними отличаются на {p}% "
     "(коэффициент вариации {cv})"),
    (r"(?P<a>\d+) of (?P<b>\d+) own posts are near-duplicates \(same text posted by several "
     r"accounts or repeated\)",
     "{a} из {b} собственных постов — почти дубликаты (тот же текст у нескольких аккаунтов "
     "или повторы)"),
    (r"reposted (?P<n>\d+) items within the same minute as many other accounts "
     r"\((?P<p>\d+)% of their (?P<r>\d+) reposts\)",
     "репостил {n} материалов в ту же минуту, что и многие другие аккаунты ({p}% из {r} "
     "репостов)"),
    (r"stuffs hashtags: (?P<p>\d+)% of their own posts are mostly hashtags",
     "злоупотребляет хештегами: {p}% собственных постов — в основном хештеги"),
)  # fmt: skip
PERCENTILE = re.compile(r"^(?P<body>.*) \((?P<n>\d+)(?:st|nd|rd|th) percentile\)$")


def _pattern(template: str) -> re.Pattern:
    """Turn a graph.roles reason template into a regex capturing its fields."""
    parts = re.split(r"(\{\w+(?::[^}]*)?\})", " ".join(template.split()))
    regex = ""
    for part in parts:
        field = re.fullmatch(r"\{(\w+)(?::[^}]*)?\}", part)
        regex += f"(?P<{field.group(1)}>.+?)" if field else re.escape(part)
    return re.compile(f"^{regex}$")


@cache
def _patterns() -> list[tuple[re.Pattern, str]]:
    made = [
        (_pattern(spec[2]), FEATURES_RU[name])
        for name, spec in FEATURES.items()
        if name in FEATURES_RU
    ]
    return made + [(re.compile(f"^{regex}$"), russian) for regex, russian in OTHER_RU]


# A feature without the context for its sentence: its name and value ("addressed by: 14").
NAMED_FEATURE = re.compile(r"^(?P<name>[a-z ]+): (?P<v>-?[\d.e+]+)$")


def _russian(text: str) -> str:
    match = PERCENTILE.match(text)
    if match:
        return f"{_russian(match.group('body'))} ({match.group('n')}-й перцентиль)"
    match = NAMED_FEATURE.match(text)
    if match and match.group("name").replace(" ", "_") in FEATURES:
        from app.labels import label

        name = label("feature", match.group("name").replace(" ", "_"))
        return f"{name[:1].lower()}{name[1:]}: {match.group('v')}"
    for pattern, russian in _patterns():
        match = pattern.match(text)
        if match:
            fields = match.groupdict()
            if "role" in fields:
                fields["role"] = ROLE_NAMES_RU.get(fields["role"], fields["role"])
            if "rest" in fields:
                fields["rest"] = _russian(fields["rest"])
            if "topic" in fields and fields["topic"] == "their main topic":
                fields["topic"] = "их главной теме"
            return russian.format(**fields)
    return text


def reason(text) -> str:
    """Return a stored reason in the page's language (unchanged in English or when unknown)."""
    if text is None:
        return ""
    text = str(text)
    locale = get_locale()
    if locale is None or locale.language != "ru":
        return text
    return _russian(text)
