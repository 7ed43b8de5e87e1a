"""Finding ``@handles`` and ``#tags`` in post text, and turning HTML post bodies into text."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

# A handle may carry an instance (Mastodon: @user@example.social); it may not follow a word
# character (so e-mail addresses are not mentions).
MENTION_RE = re.compile(
    r"(?<![\w@/])@([A-Za-z0-9_](?:[\w.\-]*\w)?(?:@[A-Za-z0-9.\-]+\.[A-Za-z]{2,})?)"
)
# Hashtags are Unicode words: #доставка, #delivery, #東京; not an anchor in a URL (/#x).
HASHTAG_RE = re.compile(r"(?<![\w&/#])#(\w[\w\-]*)", re.UNICODE)


def extract_mentions(text: str) -> list[str]:
    """Return the ``@handles`` in ``text`` (without ``@``), first occurrence order, no repeats."""
    seen: dict[str, None] = {}
    for handle in MENTION_RE.findall(text or ""):
        seen.setdefault(handle.rstrip(".-"), None)
    return list(seen)


def extract_tags(text: str) -> list[str]:
    """Return the ``#tags`` in ``text`` (without ``#``), first occurrence order, no repeats."""
    seen: dict[str, None] = {}
    for tag in HASHTAG_RE.findall(text or ""):
        if tag.isdigit():  # "#1" is a rank, not a topic
            continue
        seen.setdefault(tag, None)
    return list(seen)


class _TextExtractor(HTMLParser):
    """Collect the text of an HTML fragment, with line breaks for <br> and paragraphs."""

    BREAKS = {"br", "p", "div", "li", "blockquote"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._hidden += 1
        elif tag == "br":
            self.parts.append("\n")
        elif tag in self.BREAKS and self.parts:
            self.parts.append("\n\n")
        # Mastodon hides the scheme and long URL tails in <span class="invisible">: keep them,
        # the full URL is the useful text.

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self._hidden:
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden:
            self.parts.append(data)


def html_to_text(fragment: str) -> str:
    """Return the plain text of an HTML post body (Mastodon ``content``)."""
    if not fragment:
        return ""
    if "<" not in fragment:
        return html.unescape(fragment)
    parser = _TextExtractor()
    parser.feed(fragment)
    parser.close()
    text = "".join(parser.parts)
    # Trailing blanks per line, without a regex: "[ \t]+\n" is quadratic on a long run of spaces.
    text = "\n".join(line.rstrip(" \t") for line in text.split("\n"))
    return re.sub(r"\n{3,}", "\n\n", text).strip()
