"""The canonical import row (DESIGN.md §4) and the errors a parser reports.

Every source format is parsed into :class:`MentionRecord`; a row that cannot be turned into one
becomes a :class:`RowError`, and a file that cannot be read at all raises :class:`FileError`.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from operator import attrgetter

SENTIMENT_LABELS = ("positive", "neutral", "negative")
NEUTRAL_BAND = 0.05  # VADER's own thresholds: compound >= 0.05 positive, <= -0.05 negative
# Posts dated before this or more than FUTURE_TOLERANCE after now are kept but left out of the
# scores (app.ingest.vet): social platforms with public posts start in 2006, and a clock a
# few hours off is not a post from the future.
EARLIEST_POST = datetime(2006, 1, 1, tzinfo=UTC)
FUTURE_TOLERANCE = timedelta(days=1)


class FileError(Exception):
    """The file cannot be read at all (wrong format, not text, broken JSON document, ...)."""


@dataclass(slots=True)
class RowError:
    """One rejected row: ``line`` is the 1-based line in the file, or ``None`` when unknown.

    ``where`` names the item inside a JSON document (``messages[12]``) when there is no line.
    """

    line: int | None
    reason: str
    where: str | None = None


@dataclass(slots=True)
class MentionRecord:
    """One post, as every parser yields it.

    ``mentions`` and ``tags`` are final: the generic CSV/JSONL parser adds the ``@handles`` and
    ``#tags`` found in the text, platform parsers fill them from the platform's entities. The
    ingest service does not look in the text again. ``tags`` are topics: a bare word is a
    hashtag; ``r/python`` (a subreddit) is kept as it is.
    """

    platform: str
    id: str
    author: str
    created_at: datetime
    text: str = ""
    author_name: str | None = None
    author_followers: int | None = None
    author_url: str | None = None
    url: str | None = None
    lang: str | None = None
    reply_to_id: str | None = None
    reply_to_author: str | None = None
    repost_of_id: str | None = None
    repost_of_author: str | None = None
    quote_of_id: str | None = None
    quote_of_author: str | None = None
    mentions: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    likes: int | None = None
    reposts: int | None = None
    replies: int | None = None
    views: int | None = None
    sentiment: str | None = None
    sentiment_score: float | None = None
    sentiment_computed: bool = False  # set by the ingest when it computed the sentiment

    def __reduce__(self):
        # Records cross from the reading process to the writing one by the hundred thousand:
        # as a plain tuple of fields they pickle about twice as fast as by default.
        return (MentionRecord, _record_fields(self))

    @property
    def kind(self) -> str:
        """Return ``repost``, ``quote``, ``reply`` or ``post``, in that order of precedence."""
        if self.repost_of_id or self.repost_of_author:
            return "repost"
        if self.quote_of_id or self.quote_of_author:
            return "quote"
        if self.reply_to_id or self.reply_to_author:
            return "reply"
        return "post"


_record_fields = attrgetter(*MentionRecord.__dataclass_fields__)


def normalize_handle(handle: str) -> str:
    """Return the comparison key of a handle: no leading ``@``, stripped, lower-cased."""
    return handle.strip().lstrip("@").strip().lower()


# Besides letters and digits (and their combining marks), what a tag may hold: "#c++",
# "#at&t", "r/rstats", "#covid-19", "#web3.0".
TOPIC_JOINERS = frozenset("_-./+#&'’")


def is_topic_word(tag: str) -> bool:
    """Return whether ``tag`` (with or without its ``#``) can be a topic: a word of letters or
    digits in any script, with a few joiners, not markup or symbols ("#<svg", "→", "#")."""
    word = tag.strip().lstrip("#")
    if not word or not any(char.isalnum() for char in word):
        return False
    return all(
        char.isalnum() or char in TOPIC_JOINERS or unicodedata.category(char)[0] == "M"
        for char in word
    )


def brand_topic(term: str, *, apart: bool = False) -> str:
    """Return the topic a brand term is stored as: a one-word term is the same topic as its
    hashtag ("Python" and "#python" are one topic), a phrase stays itself ("yandex market").

    ``apart`` (a workspace's choice) keeps every term itself: "python" beside "#python".
    """
    term = term.strip().lower()
    if apart:
        return term
    if term and not any(char.isspace() for char in term) and is_topic_word(term):
        return normalize_topic(term)
    return term


def normalize_topic(tag: str) -> str:
    """Return the stored form of a topic: ``#word`` for a bare word, lower-cased."""
    tag = tag.strip().lower()
    if not tag:
        return ""
    if tag.startswith("#") or "/" in tag:
        return tag
    return "#" + tag


_LABEL_SCORES = {"positive": 1.0, "neutral": 0.0, "negative": -1.0}
_LABEL_ALIASES = {"pos": "positive", "neg": "negative", "neu": "neutral"}


def parse_sentiment(value: str | float | int | None) -> tuple[str | None, float | None]:
    """Turn an imported sentiment (a label or a number in [-1, 1]) into ``(label, score)``.

    Raises ``ValueError`` with a message fit for the user when the value is neither.
    """
    if value is None:
        return None, None
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise ValueError(
            f"sentiment {_short(value)} is not positive/neutral/negative or a number in [-1, 1]"
        )
    if isinstance(value, str):
        text = value.strip().lower()
        if not text:
            return None, None
        label = _LABEL_ALIASES.get(text, text)
        if label in _LABEL_SCORES:
            return label, _LABEL_SCORES[label]
        try:
            number = float(text)
        except ValueError:
            raise ValueError(
                f"sentiment {value!r} is not positive/neutral/negative or a number in [-1, 1]"
            ) from None
    else:
        try:
            number = float(value)
        except OverflowError:  # an integer beyond a double
            raise ValueError(f"sentiment {_short(value)} is outside [-1, 1]") from None
    if not -1.0 <= number <= 1.0 or number != number:
        raise ValueError(f"sentiment {_short(value)} is outside [-1, 1]")
    return label_for_score(number), number


def label_for_score(score: float) -> str:
    """Return the label of a polarity score in [-1, 1] (VADER's thresholds)."""
    if score >= NEUTRAL_BAND:
        return "positive"
    if score <= -NEUTRAL_BAND:
        return "negative"
    return "neutral"


def parse_timestamp(value: str) -> datetime:
    """Parse an ISO 8601 timestamp (``Z`` allowed); no zone means UTC. Returns aware UTC.

    Raises ``ValueError`` naming the bad value.
    """
    text = value.strip()
    if not text:
        raise ValueError("created_at is empty")
    try:
        if text.endswith("z"):  # Python reads "Z" itself, not "z"
            text = text[:-1] + "Z"
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(f"created_at {value!r} is not an ISO 8601 timestamp") from None
    if moment.tzinfo is UTC:  # "Z": the usual case, already as wanted
        return moment
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    try:
        return moment.astimezone(UTC)
    except OverflowError:  # 0001-01-01T00:00+01:00 is in year 0 in UTC, 9999-12-31T23:00-05:00 in 10000
        raise ValueError(f"created_at {value!r} is out of range (years 1 to 9999 in UTC)") from None


def from_epoch(seconds: float | int | str) -> datetime:
    """Return an aware UTC datetime for a Unix timestamp; raise ``ValueError`` when it is not
    one (or names a time before year 1 or after 9999)."""
    try:
        return datetime.fromtimestamp(float(seconds), tz=UTC)
    except (OverflowError, OSError, ValueError, TypeError):
        raise ValueError(f"{_short(seconds)} is not a Unix timestamp in range") from None


def _short(value) -> str:
    """Return ``repr(value)`` cut to 40 characters, for messages."""
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."
