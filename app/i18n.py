"""The interface's languages (Flask-Babel): which one a request is answered in, the catalogs,
and the formatters templates use for numbers and dates.

The language is, in order: the signed-in person's choice (account page), the workspace's
default language (its settings), then the browser's ``Accept-Language``; English otherwise.
Catalogs live in ``app/translations/<lang>/LC_MESSAGES/messages.po``; the compiled ``.mo``
files are made from them when the app starts (and by ``make translations``), never committed.
"""

from __future__ import annotations

from pathlib import Path

import flask_babel
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import Flask, g, has_request_context, request
from flask_babel import (
    Babel,
    format_date,
    format_datetime,
    format_decimal,
    format_percent,
    get_locale,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

LANGUAGES = {"en": "English", "ru": "Русский"}
"""The interface's languages, by code, each named in itself."""
DEFAULT_LANGUAGE = "en"
TRANSLATIONS = Path(__file__).parent / "translations"

babel = Babel()


def ngettext(singular: str, plural: str, n: int, **variables) -> str:
    """Translate a counted message for the page's language (Russian: three forms), with the
    count as ``%(num)s`` in the language's digits (12,345 / 12 345)."""
    variables.setdefault("num", number(n))
    translations = flask_babel.get_domain().get_translations()
    return translations.ungettext(singular, plural, n) % variables


def select_locale() -> str:
    """Return the language of this request: the user's, the workspace's, the browser's."""
    if not has_request_context() or request.path.startswith("/api/"):
        return DEFAULT_LANGUAGE  # the command line and the API answer programs: in English
    from flask_login import current_user

    if current_user and current_user.is_authenticated and current_user.language in LANGUAGES:
        return current_user.language
    access = g.get("access")  # set by app.web.workspace_view for this request's workspace
    slug = (request.view_args or {}).get("slug")
    if access is not None and access.workspace.slug == slug and access.workspace.language:
        return access.workspace.language
    return request.accept_languages.best_match(list(LANGUAGES), DEFAULT_LANGUAGE)


def compile_catalogs(folder: Path = TRANSLATIONS) -> list[Path]:
    """Compile every ``messages.po`` under ``folder`` into its ``.mo`` when missing or older.

    Returns the files written. Cheap (a few milliseconds), so the app does it at start and a
    checkout that changed a catalog serves the new words without a build step.
    """
    written = []
    for po_path in sorted(folder.glob("*/LC_MESSAGES/messages.po")):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        with po_path.open("rb") as po_file:
            catalog = read_po(po_file, locale=po_path.parent.parent.name)
        temporary = mo_path.with_suffix(".mo.tmp")
        with temporary.open("wb") as mo_file:
            write_mo(mo_file, catalog)
        temporary.replace(mo_path)  # atomic: a second process starting meanwhile reads a whole file
        written.append(mo_path)
    return written


def number(value, digits: int | None = None) -> str:
    """Format a number for the page's language: 12,345.6 in English, 12 345,6 in Russian.

    ``digits`` fixes the decimals of a float; ints are shown whole. ``None`` is a dash.
    """
    if value is None or value == "":
        return "—"
    if isinstance(value, int) or digits is None and float(value).is_integer():
        return format_decimal(value, format="#,##0")
    digits = 2 if digits is None else digits
    pattern = "#,##0." + "0" * digits if digits else "#,##0"
    return format_decimal(value, format=pattern)


def signed(value, digits: int = 2) -> str:
    """Format a number with its sign always shown (+0.25, −0.10), for the page's language."""
    if value is None:
        return "—"
    pattern = "+#,##0." + "0" * digits + ";-#,##0." + "0" * digits
    return format_decimal(value, format=pattern)


def percent(value, digits: int = 0) -> str:
    """Format a share in [0, 1] as a percentage for the page's language (97 %, 97%)."""
    if value is None:
        return "—"
    return format_percent(value, format="#,##0" + ("." + "0" * digits if digits else "") + "%")


def language_name(code: str | None) -> str:
    """Return the name of a language code in its own language (for choices)."""
    return LANGUAGES.get(code or "", _("the browser’s language"))


SCRIPT_WORDS = (
    _l("in a moment"),
    _l("just now"),
    _l("{size} MB"),
    _l("Loading the graph…"),
    _l("the graph could not be loaded"),
    _l("Filters not applied:"),
    _l("The graph could not be loaded: check the connection and reload the page."),
    _l(
        "No one matches these filters. Lower the minimum number of partners, widen the dates, "
        "tick more kinds of ties or clear the topic."
    ),
    _l(
        "showing the {shown} best connected ({dropped} left out: raise the minimum number of "
        "partners or narrow the filters to see them)"
    ),
    _l("Stop layout"),
    _l("Re-run layout"),
    _l("Click a person to see their role and scores; double-click opens their page."),
    _l("Role:"),
    _l("Role scores (0–100)"),
    _l("Platform"),
    _l("Followers"),
    _l("Partners"),
    _l("Community"),
    _l("none"),
    _l("First seen"),
    _l("Open the author page"),
    _l("Other communities or none"),
    _l("No one called “{name}” in this view."),
    _l("The graph libraries did not load: reload the page, or use the downloads."),
    _l("Keep at least one kind of tie."),
    _l("Networker"),
    _l("Thought leader"),
    _l("Trendsetter"),
    _l("Amplifier"),
    _l("User"),
    _l("Tick mentions to set their sentiment together."),
    _l("{count} selected"),
    _l("Advocacy score"),
    _l("Reach-weighted score"),
    _l("Net sentiment ×100"),
    _l("Mentions"),
)
"""The words the scripts show (app/static/js), by their English text."""
SCRIPT_KEYS = {
    "upload too large": _l(
        "These files are {total} together; the limit is {max}. Compress them with gzip, import "
        "fewer at a time, or ask whoever runs the server to import them there."
    ),
}


def _counted(n: int) -> dict[str, str]:
    """The scripts' counted words for ``n``, without the number: "people", «человека»."""
    forms = {
        "person|people": ngettext("%(num)s person", "%(num)s people", n),
        "tie|ties": ngettext("%(num)s tie", "%(num)s ties", n),
    }
    return {key: text.split(" ", 1)[1] for key, text in forms.items()}


def script_words() -> dict:
    """Return the scripts' words in the page's language: English text -> translation, and for
    counted words "one|many" -> the form of each CLDR plural category (one, few, many, other)."""
    words = {
        english: str(word)
        for english, word in zip(_english(SCRIPT_WORDS), SCRIPT_WORDS, strict=True)
    }
    words.update({key: str(word) for key, word in SCRIPT_KEYS.items()})
    samples = {"one": 1, "few": 2, "many": 5, "other": 5}
    by_category = {category: _counted(n) for category, n in samples.items()}
    for key in by_category["one"]:
        words[key] = {category: forms[key] for category, forms in by_category.items()}
    return words


def _english(lazy_strings) -> list[str]:
    return [lazy._args[0] if hasattr(lazy, "_args") else str(lazy) for lazy in lazy_strings]


def html_lang() -> str:
    """Return the language code for ``<html lang>``."""
    return str(get_locale() or DEFAULT_LANGUAGE)


def init_app(app: Flask) -> None:
    """Bind Flask-Babel with the locale selector, compile the catalogs, add the filters."""
    app.config.setdefault("BABEL_DEFAULT_LOCALE", DEFAULT_LANGUAGE)
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(TRANSLATIONS))
    try:
        compile_catalogs()
    except OSError as error:  # a read-only install: use the .mo files it shipped with, if any
        app.logger.warning("could not compile the translation catalogs: %s", error)
    babel.init_app(app, locale_selector=select_locale)
    # Flask-Babel keeps the locale in the app context's g; a request decides it afresh.
    app.before_request(flask_babel.refresh)
    app.jinja_env.filters["num"] = number
    app.jinja_env.filters["signed"] = signed
    app.jinja_env.filters["percent"] = percent
    app.jinja_env.globals["html_lang"] = html_lang
    app.jinja_env.globals["script_words"] = script_words
    app.jinja_env.globals["format_datetime"] = format_datetime
    app.jinja_env.globals["format_date"] = format_date
    app.jinja_env.globals["LANGUAGES"] = LANGUAGES
    from app.labels import glossary_entry, glossary_terms, kind_count, label, people_ties, tie_kind

    app.jinja_env.globals["label_of"] = label
    app.jinja_env.globals["kind_count"] = kind_count
    app.jinja_env.globals["tie_kind"] = tie_kind
    app.jinja_env.globals["people_ties"] = people_ties
    from app.reasons import reason

    app.jinja_env.filters["in_words"] = reason
    from app.stored_texts import translated

    app.jinja_env.filters["translated"] = translated
    app.jinja_env.globals["glossary_entry"] = glossary_entry
    app.jinja_env.globals["glossary_terms"] = glossary_terms
    app.jinja_env.policies["ext.i18n.trimmed"] = True  # {% trans %} blocks ignore line breaks
