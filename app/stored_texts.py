"""Texts stored or built in English, shown in the page's language.

Imports store why a row was rejected and what they warn about in English, as background work
stores why it failed, and services raise their errors in English: programs read them so (the
API and the command line speak English: app/__init__.py forces "en" for them). A page shows
them through :func:`translated` (the ``translated`` filter of the templates): the text is
matched against the English templates below, the very words the code writes with, and
rebuilt from the catalog's translation with the same values, each value translated in turn
("post 12: created_at is missing" is "post %(id)s: %(problem)s" around "created_at is
missing"). A text made of several sentences or parts ("…. Try Recompute again; if it keeps
failing, …") is translated part by part. A text no template matches is shown as stored.

tests/web/test_stored_texts.py fails when the ingest code writes a message no template
matches, and when a Russian import shows an English reason.
"""

from __future__ import annotations

import re
from functools import cache

from flask_babel import get_locale, gettext
from markupsafe import Markup

__all__ = ["MESSAGES", "translated"]


def N_(message: str) -> str:
    """Mark a message for the catalog (pybabel's default keywords) without translating it."""
    return message


# What imports store per row and per file (app/ingest/, app/services/ingest*.py).
IMPORTS = (
    N_("%(field)s is missing"),
    N_("%(field)s %(value)s is not a whole number"),
    N_("%(field)s %(value)s is negative"),
    N_("%(field)s is a JSON %(kind)s, not text"),
    N_("object"),
    N_("array"),
    N_("line %(line)s: tag(s) %(tags)s left out: a tag must be a word"),
    N_("%(count)s more row(s) had tags that are not words, left out"),
    N_("unknown column(s) ignored: %(columns)s"),
    N_("unknown key(s) ignored: %(keys)s"),
    N_("broken CSV: %(error)s"),
    N_("has %(fields)s fields, the header has %(width)s"),
    N_("expected a JSON object with MentionRecord keys"),
    N_("not valid JSON: %(error)s"),
    N_("not valid JSON (%(problem)s): a cut or corrupted line?"),
    N_("invalid JSON"),
    N_("%(problem)s at column %(column)s"),
    N_("%(field)s %(value)s is not a Unix timestamp"),
    N_("%(value)s is not a Unix timestamp in range"),
    N_("sentiment %(value)s is not positive/neutral/negative or a number in [-1, 1]"),
    N_("sentiment %(value)s is outside [-1, 1]"),
    N_("sentiment %(value)s is not a number in [-1, 1]"),
    N_("created_at is empty"),
    N_("created_at %(value)s is not an ISO 8601 timestamp"),
    N_("created_at %(value)s is out of range (years 1 to 9999 in UTC)"),
    N_("created_at %(value)s has an unknown month"),
    N_("created_at %(value)s is not a real date"),
    N_("created_at is not a time with a zone"),
    N_("post %(id)s: %(problem)s"),
    N_("tweet %(id)s: %(problem)s"),
    N_("%(field)s is longer than %(limit)s characters"),
    N_("%(field)s is not a string"),
    N_("%(field)s is not a list"),
    N_("%(field)s holds %(kind)s, not a handle or tag"),
    N_("%(field)s is a value nested too deeply to read"),
    N_("%(field)s hold a value nested too deeply to read"),
    N_("a value nested too deeply to read stands where the post's id is"),
    N_("nested too deeply to read"),
    N_("a value of an unexpected type or size (%(detail)s)"),
    N_("%(field)s %(value)s is beyond any real count; stored as %(stored)s"),
    N_("post %(id)s is %(why)s: kept, but left out of the scores"),
    N_("dated %(date)s, before %(year)s"),
    N_("dated %(date)s, more than a day after now"),
    N_(
        "post %(id)s has %(count)s characters: kept whole, but its language, sentiment, "
        "mentions and topics are read from the first %(limit)s"
    ),
    N_("%(count)s more %(what)s"),
    N_("counts clamped"),
    N_("posts dated out of range"),
    N_("long texts read in part"),
    N_("%(count)s byte sequence(s) that are not UTF-8 were read as U+FFFD"),
    N_(
        "reading stopped on an unexpected value (%(error)s; it was logged): the rows before "
        "it are kept"
    ),
    N_("file not imported: %(reason)s"),
    N_("no row could be read: see the reasons below"),
    N_("reading the files failed: %(error)s"),
    N_("unknown format %(name)s; use one of: auto, %(formats)s"),
    N_(
        "could not recognise the format; supported: MentionRecord CSV (with a header row "
        "naming platform,id,author,created_at,text) or JSON Lines, Twitter API v1.1 and v2 "
        "JSON, Mastodon statuses, Reddit things, VK API responses and Telegram Desktop "
        "exports (result.json). If the file is one of these, choose its format instead of "
        "detecting it."
    ),
    N_("this is a binary file, not a text export (CSV, JSON or JSON Lines)"),
    N_("no such file"),
    N_("cannot read the file: %(error)s"),
    N_(
        "the file is not UTF-8 text (byte %(byte)s cannot be decoded): save it as UTF-8 and "
        "import again"
    ),
    N_("the file is not UTF-8 text (%(reason)s)"),
    N_("the file is empty"),
    N_("the file is empty: expected a CSV header row"),
    N_("not JSON (the file starts with %(start)s)"),
    N_("not valid JSON (%(problem)s at line %(line)s, column %(column)s)"),
    N_("JSON nested too deeply"),
    N_("the CSV header lacks the required column(s) %(missing)s; it has: %(columns)s"),
    N_("not JSON Lines: line %(line)s is not JSON (%(problem)s)"),
    N_("not readable as CSV: %(error)s"),
    N_("the JSON document holds no Mastodon statuses"),
    N_("the JSON document holds no Reddit things"),
    N_("not a Telegram Desktop export: expected a chat with messages[] or chats.list[]"),
    N_(
        "this is not JSON: line %(line)s starts with %(start)s, expected a JSON object '{' or "
        "array '['"
    ),
    N_("broken JSON: %(problem)s at line %(line)s, column %(column)s"),
    N_("broken JSON: %(problem)s"),
    N_("VK API error %(code)s: %(message)s"),
    N_("status has no uri (its global id)"),
    N_("status has no account.acct"),
    N_("account %(account)s has no domain and no url to take it from"),
    N_("status has no created_at"),
    N_("reblogged status has no uri"),
    N_("not a Mastodon status object"),
    N_("thing has no author"),
    N_("author deleted"),
    N_("author %(author)s is not a Reddit username"),
    N_("%(kind)s has no id"),
    N_("%(kind)s %(id)s has no created_utc"),
    N_("comment"),
    N_("submission"),
    N_("not a Reddit thing (a JSON object)"),
    N_("not a comment or submission (%(label)s)"),
    N_("message has no date"),
    N_("message has no id"),
    N_("message %(id)s has no from_id (and the chat is no channel)"),
    N_("chat has no id"),
    N_("not a Telegram message (a JSON object)"),
    N_("skipped %(count)s messages that are not posts (%(kinds)s)"),
    N_("no id_str"),
    N_("no user object"),
    N_("the user has no screen_name"),
    N_("a Twitter user profile (@%(name)s), not a tweet"),
    N_("no id"),
    N_("no author_id (request it with expansions=author_id)"),
    N_("author %(id)s is withheld in %(countries)s and not in includes.users"),
    N_("author %(id)s is not in includes.users"),
    N_("author %(id)s has no username"),
    N_("no created_at (request it with tweet.fields=created_at)"),
    N_("this page holds %(count)s %(what)s, not tweets"),
    N_("Twitter API error, no tweets: %(errors)s"),
    N_("not Twitter v2 data (found: %(keys)s)"),
    N_("an empty object"),
    N_(
        "this looks like a Gnip Activity Streams record (actor/verb/object), not Twitter API "
        "v2 data"
    ),
    N_(
        "this looks like a Twitter API v1.1 tweet (id_str/user), not v2 data; import it with "
        "the twitter-v1 format"
    ),
    N_("tweet %(id)s: no text"),
    N_("item %(id)s has no date"),
    N_("comment deleted"),
    N_("comment has no owner_id: its wall is unknown, so it has no global id"),
    N_("comment has no id"),
    N_("comment %(id)s has no from_id"),
    N_("post has no owner_id: its wall is unknown, so it has no global id"),
    N_("post has no id"),
    N_("not a VK post or comment (a JSON object)"),
    N_("skipped newsfeed items that are not posts: %(kinds)s"),
    N_("the VK response holds no posts or comments"),
    N_("%(count)s VK responses hold no posts or comments"),
    N_("(a number of %(count)s digits)"),
    N_("%(field)s is %(kind)s, not a string"),
    N_("a field has the wrong type"),
)

# Why background work failed (app/services/job_records.py and the kinds' advice).
JOBS = (
    N_("The previous scores are still shown"),
    N_("Try Recompute again"),
    N_(
        "Mentions imported before it stopped are kept, and importing the same file again "
        "skips them"
    ),
    N_("Import the file again"),
    N_("Start the export again"),
    N_("stopped after %(duration)s, the time limit"),
    N_("%(count)s minutes"),
    N_("%(count)s seconds"),
    N_("%(count)s second"),
    N_("if it keeps stopping, raise FLASK_JOB_TIME_LIMIT or %(smaller)s"),
    N_("if it keeps failing, %(smaller)s"),
    N_("its process ended unexpectedly (%(how)s)"),
    N_("stopped on an internal error (%(error)s; it was logged)"),
    N_("did not finish: it timed out or was stopped (the server may have restarted)"),
    N_("was interrupted before it finished"),
    N_("could not be started: the job queue did not answer (%(why)s)"),
    N_("score a shorter window in Settings"),
    N_("split the file into smaller ones"),
    N_("export a smaller view (one topic, a shorter period or fewer people)"),
    N_("The mentions keep the sentiment they had"),
    N_("Train the model again in Settings"),
    N_("correct fewer mentions at once before training"),
    N_("stopped: %(error)s"),
    N_("killed by signal %(name)s"),
    N_("the machine may have run out of memory"),
    N_("exit code %(code)s"),
    N_("if it keeps failing, check that Redis runs at REDIS_URL"),
    N_("needs %(count)s corrections of each sentiment, has %(counts)s"),
)

# ServiceError texts of the core services, shown in flash messages and on forms.
SERVICES = (
    N_("the password must have at most %(count)s characters"),
    N_("%(email)s is not a valid e-mail address: %(error)s"),
    N_("the language must be one of %(languages)s"),
    N_("there is no workspace %(slug)s"),
    N_("%(role)s is not a role; use one of %(roles)s"),
    N_("a workspace needs at least one owner: make someone else owner first"),
    N_("this invitation is for %(email)s; you are signed in as %(user)s"),
    N_("%(code)s is not a language the detector knows; use two-letter codes from: %(codes)s"),
    N_("brand term %(term)s... is longer than 100 characters"),
    N_("the format must be one of %(formats)s"),
    N_(
        "%(count)s exports are already being prepared for this workspace: wait for one to "
        "finish, then start this one"
    ),
    N_("no such scoring run in this workspace"),
    N_("unknown edge kinds: %(kinds)s"),
    N_("hops must be 1 or 2"),
    N_("this author is not in the latest scores"),
    N_("there is no learned model yet: train one first"),
    N_("sentiment must be positive, neutral or negative"),
    N_("choose at least one mention"),
    N_("%(name)s: the first row must name the columns platform, id and sentiment"),
    N_("%(name)s: expected a list of labels"),
    N_("no such sentiment model in this workspace"),
    N_("the export format must be csv or jsonl"),
    N_("%(name)s: cannot be read (%(error)s)"),
    N_("%(name)s: not UTF-8 text"),
    N_("the form expired: reload the page and try again"),
    N_("no such alert in this workspace"),
    N_("class must be one of promoter, passive, detractor"),
    N_("at most %(count)s competitors"),
    N_("the webhook must be an http:// or https:// address"),
    N_("line %(line)s: a term is longer than 200 characters"),
    N_("%(name)s %(value)s is not a time like 2026-11-23T14:00Z"),
    N_("%(name)s must be a time from %(low)s to %(high)s"),
    N_("kind %(kinds)s is unknown: use %(known)s"),
)

# The relationship manager's value checks and permissions (app/crm/services/).
CRM = (
    N_("%(field)s must be true or false"),
    N_("no such campaign in this workspace"),
    N_("%(field)s is not a field of a campaign: use %(fields)s"),
    N_("the campaign ends (%(end)s) before it starts (%(start)s)"),
    N_("no such placement in this workspace"),
    N_("%(field)s is not a field of a placement: use %(fields)s"),
    N_("post_url must be a link starting with https://"),
    N_("a placement needs a person (person_id)"),
    N_("there is no person %(id)s here"),
    N_("%(name)s: empty file"),
    N_("%(name)s: not UTF-8 text; save the CSV as UTF-8"),
    N_("%(name)s: not an Excel workbook (%(error)s)"),
    N_("account %(account)s is not platform:@handle"),
    N_("placement %(id)s is in another campaign"),
    N_("your role (%(role)s) cannot %(what)s; ask a %(needed)s or an owner"),
    N_(
        "someone else changed this since you opened it (you edited version %(given)s, it is "
        "now at version %(version)s): reload to see their change, then make yours again"
    ),
    N_("no such person in this workspace"),
    N_("%(field)s %(id)s is not a member of this workspace"),
    N_("%(field)s is not a field of a person (or not one you can set here): use %(fields)s"),
    N_("%(email)s is not an e-mail address"),
    N_("accounts must be a list of {\"platform\", \"handle\"}"),
    N_("the handle is empty"),
    N_("%(platform)s @%(handle)s is already an account of %(name)s: merge the two people instead"),
    N_("no such account of this person"),
    N_("a person cannot be merged with themselves"),
    N_("an INN has 10 digits (an organisation) or 12 (a person)"),
    N_("account %(number)s must be {\"platform\", \"handle\"}"),
    N_("no such task in this workspace"),
    N_("no such template in this workspace"),
    N_("%(placeholder)s is not a placeholder: use %(placeholders)s"),
    N_("the channel %(channel)s is not one of: %(choices)s"),
    N_("the time of the contact (%(time)s) is in the future: log a contact once it has happened"),
    N_("there is no template %(id)s in this workspace"),
    N_("no such contact in this workspace"),
    N_("only whoever logged a contact, a manager or an owner can delete it"),
    N_("%(field)s must be text"),
    N_("%(field)s is required"),
    N_("the %(field)s is %(length)s characters long; keep it to %(limit)s"),
    N_("%(field)s %(value)s is not one of: %(allowed)s"),
    N_("%(field)s must be a date from %(low)s to %(high)s"),
    N_("%(field)s must be between %(low)s and %(high)s"),
    N_("%(field)s must be a whole number"),
    N_("%(field)s must be a whole number from %(low)s to %(high)s"),
    N_("%(field)s must be an amount like 15000 or 15000.50"),
    N_("%(field)s %(value)s is not an amount like 15000 or 15000.50"),
    N_("%(field)s must be from 0 to %(high)s"),
    N_("%(field)s must be a list"),
    N_("%(field)s: at most %(limit)s items, not %(count)s"),
    N_("%(field)s %(value)s is not a time like 2026-12-01T10:00:00Z"),
    N_("%(field)s must be a list of text"),
    N_("%(field)s: %(item)s... is longer than %(limit)s characters"),
    N_("%(field)s %(value)s is not a date like 2026-12-31"),
    N_("add people"),
    N_("add tasks"),
    N_("complete tasks"),
    N_("edit people"),
    N_("import people"),
    N_("link accounts"),
    N_("log contacts"),
    N_("log touches"),
    N_("move people between stages"),
    N_("move placements"),
    N_("unlink accounts"),
    N_("change placements (agents move them between statuses)"),
    N_("erase people"),
    N_("import placements"),
    N_("manage campaigns"),
    N_("manage placements"),
    N_("manage templates"),
    N_("merge people"),
    N_("set cadences"),
    N_("published without an erid token"),
    N_("the «Реклама» label is not checked"),
    N_("the blogger is not in the registry of bloggers with over 10,000 subscribers"),
    N_("nobody checked whether the blogger is in the registry of bloggers"),
    N_("%(name)s is also in %(count)s other running campaign"),
    N_("%(name)s is also in %(count)s other running campaigns"),
    N_("the person"),
)

# zxcvbn's fixed feedback (its own gettext has no Russian).
PASSWORDS = (
    N_("Use a few words, avoid common phrases."),
    N_("No need for symbols, digits, or uppercase letters."),
    N_("Add another word or two. Uncommon words are better."),
    N_("Straight rows of keys are easy to guess."),
    N_("Short keyboard patterns are easy to guess."),
    N_("Use a longer keyboard pattern with more turns."),
    N_("Repeats like \"aaa\" are easy to guess."),
    N_("Repeats like \"abcabcabc\" are only slightly harder to guess than \"abc\"."),
    N_("Avoid repeated words and characters."),
    N_("Sequences like \"abc\" or \"6543\" are easy to guess."),
    N_("Avoid sequences."),
    N_("Recent years are easy to guess."),
    N_("Avoid recent years."),
    N_("Avoid years that are associated with you."),
    N_("Dates are often easy to guess."),
    N_("Avoid dates and years that are associated with you."),
    N_("This is a top-10 common password."),
    N_("This is a top-100 common password."),
    N_("This is a very common password."),
    N_("This is similar to a commonly used password."),
    N_("A word by itself is easy to guess."),
    N_("Names and surnames by themselves are easy to guess."),
    N_("Common names and surnames are easy to guess."),
    N_("Capitalization doesn't help very much."),
    N_("All-uppercase is almost as easy to guess as all-lowercase."),
    N_("Reversed words aren't much harder to guess."),
    N_("Predictable substitutions like '@' instead of 'a' don't help very much."),
)


MESSAGES = IMPORTS + JOBS + SERVICES + CRM + PASSWORDS
_PLACEHOLDER = re.compile(r"%\((\w+)\)s")


@cache
def _patterns() -> list[tuple[re.Pattern, str]]:
    """Each template as a regex capturing its values, the most specific (longest fixed text)
    first, so that "post has no id" wins over "%(kind)s has no id"."""
    made = []
    for template in MESSAGES:
        regex, position = "", 0
        for match in _PLACEHOLDER.finditer(template):
            # a value that opens the text holds no ": ": "m.csv: 3 more …" is a file's
            # message, not a count of "m.csv: 3"
            value = "(?:(?!: ).)+?" if match.start() == 0 else ".+?"
            regex += re.escape(template[position : match.start()]) + f"(?P<{match.group(1)}>{value})"
            position = match.end()
        regex += re.escape(template[position:])
        fixed = len(_PLACEHOLDER.sub("", template))
        made.append((fixed, re.compile(regex, re.DOTALL), template))
    made.sort(key=lambda item: -item[0])
    return [(pattern, template) for _fixed, pattern, template in made]


def _match(text: str) -> str | None:
    for pattern, template in _patterns():
        found = pattern.fullmatch(text)
        if found:
            values = {name: _translate(value) for name, value in found.groupdict().items()}
            return gettext(template, **values) if values else gettext(template)
    return None


def _translate(text: str, depth: int = 0) -> str:
    """Return ``text`` in the page's language, as far as the templates know its parts."""
    if depth > 8 or not text or not any(char.isalpha() for char in text):
        return text
    found = _match(text)
    if found is not None:
        return found
    # as pages show them: "The reason." with a capital and a full stop added
    core = text.rstrip(".")
    ending = text[len(core) :]
    if core[:1].isupper() and (core[1:2].islower() or not core[1:2]):
        found = _match(core[:1].lower() + core[1:])
        if found is not None:
            return found[:1].upper() + found[1:] + ending
    elif ending:
        found = _match(core)
        if found is not None:
            return found + ending
    for separator in (". ", "; ", ": "):
        if separator in text:
            parts = text.split(separator)
            if separator == ": ":  # "file.csv: the reason": the first part is a name
                parts = [parts[0], separator.join(parts[1:])]
            done = [_translate(part, depth + 1) for part in parts]
            if done != parts:
                return separator.join(done)
    return text


def translated(text):
    """Return a stored or English-built text in the page's language (unchanged in English,
    for markup made by the views, and for texts no template knows)."""
    if text is None or isinstance(text, Markup):
        return text
    text = str(text)
    locale = get_locale()
    if locale is None or locale.language == "en":
        return text
    return _translate(text)
