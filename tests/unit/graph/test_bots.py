"""Near-duplicate texts: the fast normalisation paths agree with the defining pattern."""

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from graph.bots import normalize_text

# The definition: drop links and @handles, keep runs of letters, lower case, one space apart.
WORDS = re.compile(r"https?://\S+|www\.\S+|@\w+|([^\W\d_]+)")


def reference(text: str) -> str:
    return " ".join(filter(None, WORDS.findall(text.lower())))


# Pieces that steer the scanner: link and handle starts, letters glued to them, digits,
# underscores, the ASCII control characters str.isspace() counts as spaces, and non-ASCII.
PIECES = ["http://", "https://", "www.", "@", "HTTP://", "xhttp://", "a@b", "_", "7", " ", "\t",
          "\x1c", "\x1f", ".", "!", "#", "é", "Ж", "İ", "ß", "²", "\u00a0", "\u2028", "Promo", "x"]  # fmt: skip


@settings(max_examples=600, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=4)), max_size=12))
def test_normalize_text_matches_the_definition(parts):
    text = "".join(parts)
    assert normalize_text(text) == reference(text)


def test_normalize_text_on_plain_ascii_posts():
    for text in ["Great deal!!! 50% off at shop_1 today", "RT: same   text,\nnew line", "", "123"]:
        assert normalize_text(text) == reference(text)
    assert normalize_text("Check www.x.com and @bob_1 now") == "check and now"
    assert normalize_text("mail@bob@alice xhttp://foo") == "mail xhttp foo"
