"""Russian and English interface (issue 12, item 7).

The language comes from the person's choice, then the workspace's default, then the browser's
Accept-Language. Every template string is translatable (none left as bare text) and every
message has a Russian translation; counts take Russian's three plural forms.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from app.i18n import TRANSLATIONS, compile_catalogs
from app.services import ingest
from app.services import users as user_service
from app.services import workspaces as workspace_service
from factories import PASSWORD, login, make_user, make_workspace, mention, write_csv

ROOT = Path(__file__).resolve().parents[2]
RU = {"Accept-Language": "ru-RU,ru;q=0.9,en;q=0.5"}
# Words a template may show as they are in any language: the product's name, file formats,
# placeholders of code samples, the time zone; the platforms' keys as typed into a platform field
# (twitter, vk), a link's scheme (https://…) and erid, the ad-marking token's name in both languages.
NOT_WORDS = {
    "Influence", "CRM", "GEXF", "GraphML", "CSV", "Excel", "handle", "TOKEN", "SLUG", "UTC",
    "twitter", "vk", "https", "erid",
}  # fmt: skip


def bare_words(source: str) -> list[str]:
    """The Latin words of a template shown without going through gettext: text between tags
    and the shown attributes (title, placeholder, aria-label, data-confirm, label)."""
    text = re.sub(r"\{#.*?#\}", " ", source, flags=re.DOTALL)
    text = re.sub(r"\{%-?\s*trans\b.*?\{%-?\s*endtrans\s*-?%\}", " ", text, flags=re.DOTALL)
    text = re.sub(r"\{%-?\s*block body_class\s*%\}.*?\{%\s*endblock\s*%\}", " ", text)
    text = re.sub(r"\{%.*?%\}|\{\{.*?\}\}", " ", text, flags=re.DOTALL)
    text = re.sub(r"<(script|style|code)\b.*?</\1>", " ", text, flags=re.DOTALL)
    text = re.sub(r"&[a-z]+;|&#\d+;", " ", text)
    words = []
    for match in re.finditer(
        r"\b(?:title|placeholder|aria-label|alt|data-confirm|label)=\"([^\"]*)\"", text
    ):
        words += re.findall(r"[A-Za-z]{2,}", match.group(1))
    words += re.findall(r"[A-Za-z]{2,}", re.sub(r"<[^>]*>", " ", text))
    return [word for word in words if word not in NOT_WORDS]


def shown(html: str) -> str:
    """The page without its script blocks (the scripts' words are keyed by their English)."""
    return re.sub(r"<script\b.*?</script>", "", html, flags=re.DOTALL)


def russian_catalog():
    with (TRANSLATIONS / "ru" / "LC_MESSAGES" / "messages.po").open("rb") as po_file:
        return read_po(po_file, locale="ru")


def extracted_messages() -> set[str | tuple]:
    """Every msgid `make translations` collects from the code and the templates."""
    method_map = [
        ("app/**.py", "python"),
        ("templates/**.html", "jinja2"),
        ("app/**/templates/**.html", "jinja2"),
    ]
    options = {
        "templates/**.html": {"trimmed": "true"},
        "app/**/templates/**.html": {"trimmed": "true"},
    }
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(ROOT),
        method_map,
        options,
        keywords={
            "_": None,
            "gettext": None,
            "ngettext": (1, 2),
            "lazy_gettext": None,
            "N_": None,  # texts stored in English, translated when shown (app.stored_texts)
        },  # fmt: skip
    ):
        found.add(message if isinstance(message, str) else tuple(message))
    return found


def test_the_scanner_finds_bare_text():
    assert bare_words('<p>Hello {{ name }}</p><b title="Open it">{{ _("x") }}</b>') == [
        "Open", "it", "Hello",
    ]  # fmt: skip
    assert bare_words('<p>{% trans %}Hello{% endtrans %} {{ _("World") }}</p>') == []


def test_no_template_shows_text_that_cannot_be_translated():
    problems = {
        str(path.relative_to(ROOT)): words
        for path in sorted(
            [*(ROOT / "templates").rglob("*.html"), *(ROOT / "app").glob("*/templates/**/*.html")]
        )
        if (words := bare_words(path.read_text(encoding="utf-8")))
    }
    assert not problems, f"text outside gettext: {problems}"


def test_every_message_has_a_russian_translation():
    catalog = russian_catalog()
    missing = []
    for message in extracted_messages():
        msgid = message[0] if isinstance(message, tuple) else message
        entry = catalog.get(msgid)
        if (
            entry is None
            or not entry.string
            or (isinstance(entry.string, tuple) and not all(entry.string))
        ):
            missing.append(msgid)
    assert not missing, (
        f"{len(missing)} messages without a Russian translation: {sorted(missing)[:20]}"
    )


def test_russian_plurals_have_three_forms():
    catalog = russian_catalog()
    assert catalog.num_plurals == 3
    plural = [m for m in catalog if m.pluralizable and m.id]
    assert plural and all(len(m.string) == 3 and all(m.string) for m in plural)


def test_catalogs_compile_when_changed(tmp_path):
    folder = tmp_path / "translations" / "ru" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    (folder / "messages.po").write_bytes(
        (TRANSLATIONS / "ru" / "LC_MESSAGES" / "messages.po").read_bytes()
    )
    assert compile_catalogs(tmp_path / "translations") == [folder / "messages.mo"]
    assert compile_catalogs(tmp_path / "translations") == []  # up to date: nothing to do


def test_the_catalogs_pass_babels_checks_as_pybabel_compile_runs_them(tmp_path):
    """`make translations` ends with `pybabel compile`, which refuses a catalog whose
    translation breaks a python-format message (an entry with "90% of" once read as a "% o"
    conversion, and the command exited 1)."""
    from babel.messages.frontend import CommandLineInterface

    problems = []
    for po_path in sorted(TRANSLATIONS.glob("*/LC_MESSAGES/messages.po")):
        with po_path.open("rb") as po_file:
            catalog = read_po(po_file, locale=po_path.parent.parent.name)
        problems += [
            (po_path.parent.parent.name, message.id, [str(error) for error in errors])
            for message, errors in catalog.check()
        ]
        copy = tmp_path / po_path.relative_to(TRANSLATIONS)
        copy.parent.mkdir(parents=True)
        copy.write_bytes(po_path.read_bytes())
    assert not problems, f"entries pybabel compile refuses: {problems[:5]}"
    status = CommandLineInterface().run(["pybabel", "--quiet", "compile", "-d", str(tmp_path)])
    assert not status, "pybabel compile failed"
    assert list(tmp_path.glob("*/LC_MESSAGES/messages.mo"))


@pytest.fixture
def workspace(app, client, tmp_path):
    owner = make_user("anna@example.com", "Анна")
    workspace = make_workspace("acme", owner=owner)
    rows = [mention(str(i), "hub" if i % 2 else f"fan{i}", f"@hub привет #доставка {i}",
                    created_at=f"2026-11-0{1 + i % 5}T10:00:00Z") for i in range(1, 9)]  # fmt: skip
    ingest.import_files(workspace, [write_csv(tmp_path / "m.csv", rows)])
    login(client)
    return workspace


def test_the_browser_language_decides_before_any_choice(workspace, client):
    english = client.get("/w/acme/").get_data(as_text=True)
    assert '<html lang="en">' in english and "Mentions" in english
    russian = shown(client.get("/w/acme/", headers=RU).get_data(as_text=True))
    assert '<html lang="ru">' in russian and "Упоминания" in russian
    assert ">Mentions<" not in russian


def test_the_workspace_language_beats_the_browser_and_the_person_beats_both(workspace, client):
    workspace_service.set_language(workspace, "ru")
    assert '<html lang="ru">' in client.get("/w/acme/").get_data(as_text=True)
    response = client.post(
        "/account", data={"language-language": "en", "language-submit": "1"}, headers=RU
    )
    assert response.status_code == 302
    page = client.get("/w/acme/", headers=RU).get_data(as_text=True)
    assert '<html lang="en">' in page


def test_the_language_is_chosen_on_the_account_page_and_in_the_settings(workspace, client):
    page = client.post(
        "/account", data={"language-language": "ru", "language-submit": "1"},
        follow_redirects=True,
    ).get_data(as_text=True)  # fmt: skip
    assert "Язык сохранён." in page and '<html lang="ru">' in page
    settings = client.post("/w/acme/settings", data={
        "name": "Acme", "brand_terms": "Acme", "timezone": "UTC", "work_start": "09:00",
        "work_end": "18:00", "work_days": ["1", "2"], "score_window_days": "90", "language": "ru",
    })  # fmt: skip
    assert settings.status_code == 302
    assert workspace.language == "ru"


def test_russian_pages_use_the_role_names_and_three_plural_forms(workspace, client, app):
    from flask_babel import force_locale, ngettext

    from app.services import scoring

    scoring.compute(workspace, trigger="manual")
    with app.test_request_context(), force_locale("ru"):
        forms = [ngettext("%(num)s contact", "%(num)s contacts", n) for n in (1, 2, 5, 11, 21, 22)]
    assert forms == ["1 контакт", "2 контакта", "5 контактов", "11 контактов", "21 контакт",
                     "22 контакта"]  # fmt: skip
    page = shown(client.get("/w/acme/influencers", headers=RU).get_data(as_text=True))
    assert "Сетевик" in page and "Лидер мнений" in page and "Трендсеттер" in page
    assert "Усилитель" in page and "Networker" not in page


def test_numbers_and_dates_follow_the_language(workspace, client, app):
    from flask_babel import force_locale

    from app.i18n import number

    with app.test_request_context(), force_locale("ru"):
        assert number(1234567) == "1\xa0234\xa0567"
        assert number(0.5, 2) == "0,50"
    with app.test_request_context(), force_locale("en"):
        assert number(1234567) == "1,234,567"
    russian = client.get("/w/acme/", headers=RU).get_data(as_text=True)
    assert re.search(r">0\d\.11\.2026, 1\d:00</time>", russian)  # the posts' dates, Russian style
    english = client.get("/w/acme/").get_data(as_text=True)
    assert re.search(r">11/\d/26, 1\d:00\s?AM</time>", english)


def test_every_page_answers_in_russian(workspace, client):
    user_service.set_language(user_service.get_by_email("anna@example.com"), "ru")
    for path in ["/", "/w/acme/", "/w/acme/influencers", "/w/acme/topics", "/w/acme/communities",
                 "/w/acme/suspicious", "/w/acme/scores", "/w/acme/network", "/w/acme/import",
                 "/w/acme/members", "/w/acme/settings", "/w/acme/network/exports", "/account"]:  # fmt: skip
        page = shown(client.get(path).get_data(as_text=True))
        assert '<html lang="ru">' in page, path
        for english in ("Sign out", "Skip to content", "Previous", "Recent imports", "Filter"):
            assert f">{english}<" not in page, (path, english)


def test_signed_out_pages_follow_the_browser(app, client):
    page = client.get("/login", headers=RU).get_data(as_text=True)
    assert "Войти" in page and "Пароль" in page
    make_user("b@example.com", "B")
    page = client.post(
        "/login", data={"email": "b@example.com", "password": "wrong password!"}, headers=RU
    ).get_data(as_text=True)
    assert "Неверный адрес или пароль." in page
    assert (
        client.post("/login", data={"email": "b@example.com", "password": PASSWORD}).status_code
        == 302
    )


def test_every_reason_template_has_russian_words():
    from app.reasons import FEATURES_RU
    from graph.roles import FEATURES

    assert set(FEATURES) <= set(FEATURES_RU), "a new feature needs its Russian reason"


@pytest.mark.parametrize(
    "english, russian",
    [
        ("in conversation with 14 distinct people (97th percentile)",
         "общается с 14 разными людьми (97-й перцентиль)"),
        ("has 1 two-way ties (51st percentile)", "взаимных связей: 1 (51-й перцентиль)"),
        ("adopted #coding before 100% of its 31 adopters (99th percentile)",
         "подхватил #coding раньше 100% из 31 подхвативших (99-й перцентиль)"),
        ("no role: best is thought leader at 31, role threshold 50",
         "роли нет: лучшая оценка — лидер мнений (31), порог роли 50"),
        ("not enough evidence for the role: needs 5 reposts of 3 distinct authors (has 2 of 1)",
         "для роли мало оснований: нужно 5 репостов 3 разных авторов (есть 2 из 1)"),
        ("something new the app does not know", "something new the app does not know"),
    ],
)  # fmt: skip
def test_reasons_read_in_russian(app, english, russian):
    from flask_babel import force_locale

    from app.reasons import reason

    with app.test_request_context(), force_locale("ru"):
        assert reason(english) == russian
    with app.test_request_context(), force_locale("en"):
        assert reason(english) == english


def test_the_author_page_gives_its_reasons_in_russian(workspace, client):
    from app.services import scoring
    from app.services.mentions import find_author

    scoring.compute(workspace, trigger="manual")
    hub = find_author(workspace, "twitter", "hub")
    page = shown(client.get(f"/w/acme/authors/{hub.id}", headers=RU).get_data(as_text=True))
    assert "перцентиль" in page and "percentile)" not in page


def test_bot_reasons_read_in_russian(app):
    from flask_babel import force_locale

    from app.reasons import reason

    english = "posts like clockwork: 12 posts, gaps between them vary by 0% (coefficient of variation 0.00)"
    with app.test_request_context(), force_locale("ru"):
        assert reason(english) == (
            "постит как по часам: 12 постов, промежутки между ними отличаются на 0% "
            "(коэффициент вариации 0.00)"
        )
