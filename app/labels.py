"""The words for stored keys (roles, sentiments, kinds, channels), in the page's language.

Keys stay English in the database, the API and exports; pages show these labels. Role names
follow the Russian practice the product comes from (сетевик, лидер мнений, трендсеттер,
усилитель, пользователь).
"""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l

LABELS = {
    "role": {
        "networker": _l("Networker"),
        "thought_leader": _l("Thought leader"),
        "trendsetter": _l("Trendsetter"),
        "amplifier": _l("Amplifier"),
        "user": _l("User"),
    },
    # The features behind the scores (graph.roles.FEATURES), named where no sentence can be
    # made of one (its context is kept for notable authors only).
    "feature": {
        "partners": _l("Conversation partners"),
        "reciprocated": _l("Two-way ties"),
        "coreness": _l("Core of the conversation"),
        "addressed_by": _l("People who address them"),
        "bridging": _l("Other communities reached"),
        "endorsed_by": _l("People who repost, quote or reply to them"),
        "influence_rank": _l("PageRank against the average"),
        "replies_per_post": _l("Replies and quotes per post"),
        "repliers": _l("People who reply to or quote them"),
        "topical_focus": _l("Focus on their main topic"),
        "earliness": _l("Early adoption of topics"),
        "followers_after": _l("People who took up their topics after them"),
        "trend_rank": _l("Trendsetter rank against the average"),
        "repost_share": _l("Share of reposts"),
        "reposted_authors": _l("Authors reposted"),
        "media_share": _l("Share of posts linking to media"),
        "second_hand_reach": _l("Second-hand reach"),
    },
    "role_hint": {
        "networker": _l("Connects otherwise separate groups"),
        "thought_leader": _l("Others reply to and quote them"),
        "trendsetter": _l("Talks about topics early, before they spread"),
        "amplifier": _l("Reposts and spreads others’ posts widely"),
        "user": _l("No strong influence role"),
    },
    "member": {
        "owner": _l("owner"),
        "manager": _l("manager"),
        "agent": _l("agent"),
        "viewer": _l("viewer"),
    },
    "sentiment": {
        "positive": _l("positive"),
        "neutral": _l("neutral"),
        "negative": _l("negative"),
        "unknown": _l("unknown"),
    },
    "kind": {
        "post": _l("post"),
        "reply": _l("reply"),
        "repost": _l("repost"),
        "quote": _l("quote"),
        "mention": _l("mention"),
    },
    "ties": {
        "mention": _l("mentions"),
        "reply": _l("replies"),
        "repost": _l("reposts"),
        "quote": _l("quotes"),
    },
    "deliverable": {
        "post": _l("post"),
        "story": _l("story"),
        "video": _l("video"),
        "repost": _l("repost"),
        "event": _l("event"),
    },
    "channel": {
        "email": _l("email"),
        "direct_message": _l("direct message"),
        "reply": _l("reply"),
        "phone": _l("phone"),
        "meeting": _l("meeting"),
        "other": _l("other"),
    },
    "stage": {
        "identified": _l("identified"),
        "contacted": _l("contacted"),
        "engaged": _l("engaged"),
        "collaborating": _l("collaborating"),
        "advocate": _l("advocate"),
        "paused": _l("paused"),
        "declined": _l("declined"),
    },
    "placement_status": {
        "proposed": _l("proposed"),
        "agreed": _l("agreed"),
        "published": _l("published"),
        "paid": _l("paid"),
        "cancelled": _l("cancelled"),
    },
    "status": {
        "queued": _l("queued"),
        "running": _l("running"),
        "done": _l("done"),
        "failed": _l("failed"),
    },
    "phase": {
        "working": _l("working"),
        "loading": _l("loading the mentions"),
        "scoring": _l("scoring"),
        "writing": _l("writing the scores"),
        "loading the graph": _l("loading the graph"),
        "writing the file": _l("writing the file"),
        # the scoring's own phases (graph.roles reports them; a run shows their times)
        "load": _l("loading the mentions"),
        "frame": _l("building the graph"),
        "topic_members": _l("grouping topics"),
        "partners": _l("counting conversation partners"),
        "communities": _l("finding communities"),
        "pagerank": _l("computing PageRank"),
        "bots": _l("checking for bots"),
        "thought_leader": _l("thought leaders"),
        "trendsetter": _l("trendsetters"),
        "amplifier": _l("amplifiers"),
        "roles": _l("choosing roles"),
        "topics": _l("ranking by topic"),
        "summaries": _l("summing up"),
        "write": _l("writing the scores"),
    },
    "trigger": {
        "manual": _l("by hand"),
        "import": _l("after an import"),
        "cli": _l("command line"),
        "api": _l("API"),
        "upload": _l("upload"),
        "demo": _l("demo data"),
        "settings": _l("after a settings change"),
    },
}


def label(group: str, key) -> str:
    """Return the label of ``key`` in ``group`` for the page's language (the key if unknown)."""
    if key is None:
        return ""
    found = LABELS.get(group, {}).get(str(key))
    return str(found) if found is not None else str(key).replace("_", " ")


def tie_kind(key: str) -> str:
    """Return a tie's direction and kind ("reply →", "← mention") in the page's language."""
    if key.endswith(" →"):
        return f"{label('kind', key[:-2])} →"
    if key.startswith("← "):
        return f"← {label('kind', key[2:])}"
    return label("kind", key)


def people_ties(people: int, ties: int) -> str:
    """Return "3 people, 1 tie" («3 человека, 1 связь») for a graph's size."""
    from app.i18n import ngettext

    return ", ".join(
        (
            ngettext("%(num)s person", "%(num)s people", people),
            ngettext("%(num)s tie", "%(num)s ties", ties),
        )
    )


def kind_count(kind: str, count: int) -> str:
    """Return "3 replies", "1 repost" (Russian: «3 ответа», «5 ответов») for a kind of post."""
    from app.i18n import ngettext, number

    if kind == "post":
        return ngettext("%(num)s post", "%(num)s posts", count)
    if kind == "reply":
        return ngettext("%(num)s reply", "%(num)s replies", count)
    if kind == "repost":
        return ngettext("%(num)s repost", "%(num)s reposts", count)
    if kind == "quote":
        return ngettext("%(num)s quote", "%(num)s quotes", count)
    if kind == "mention":
        return ngettext("%(num)s mention", "%(num)s mentions", count)
    return f"{kind} {number(count)}"


# Words that reach pages through code that translates them itself (Flask-Login's message,
# through its localize_callback): listed so that `make translations` collects them.
COLLECTED_ELSEWHERE = (_l("Please sign in to see this page."),)


GLOSSARY = {
    "degree": (
        _l("Degree"),
        _l(
            "How many different people this author talked with: mentioned, replied to, reposted "
            "or quoted, or was addressed by. More partners, wider reach in the conversation."
        ),
    ),
    "coreness": (
        _l("k-core (“sits in the 2-core”)"),
        _l(
            "The conversation's inner circle: in the k-core, everyone talks with at least k others "
            "of the same circle. A higher k means a denser, more central group."
        ),
    ),
    "pagerank": (
        _l("PageRank"),
        _l(
            "Attention that flows to an author through replies, quotes and reposts, counting more "
            "when it comes from people who themselves get attention. “3x the average” means three "
            "times the typical author's."
        ),
    ),
    "adoption": (
        _l("Adopted a topic early"),
        # The example's figures are variables: a bare "90% of" reads as a "% o" conversion to
        # the catalog's python-format check, and pybabel compile refused the catalog.
        _l(
            "The author used a hashtag or brand term before most others who used it: “before "
            "%(share)s of its %(adopters)s adopters” means 9 in 10 of those %(adopters)s authors "
            "took it up later.",
            share="90%",
            adopters=31,
        ),
    ),
    "two_way": (
        _l("Two-way ties"),
        _l(
            "People the author addressed who also addressed the author back: real conversations, "
            "not one-sided mentions."
        ),
    ),
    "communities": (
        _l("Communities"),
        _l(
            "Groups of authors who talk with each other more than with the rest, found "
            "automatically (Leiden method) and named after their top topics. Talking with people "
            "in several communities makes an author a bridge."
        ),
    ),
    "percentile": (
        _l("Percentile"),
        _l(
            "Where the author stands among all authors of the workspace: the 97th percentile means "
            "higher than 97 in 100 of them."
        ),
    ),
    "scores": (
        _l("Role scores (0–100)"),
        _l(
            "Networker: talks with many people, both ways, across groups. Thought leader: others "
            "reply to, quote and repost them. Trendsetter: takes up topics early and others follow. "
            "Amplifier: passes others' posts on. The highest score past the threshold is the role; "
            "below it the author is a user."
        ),
    ),
    "bot": (
        _l("Bot score (0–1)"),
        _l(
            "How automated an account looks from its posts alone: clockwork timing, near-duplicate "
            "texts, reposting in step with other accounts, reposts only. At the threshold or above "
            "it is flagged as suspicious and its role scores are reduced."
        ),
    ),
    "engagement": (
        _l("Engagement"),
        _l(
            "Likes, reposts and replies that the author's posts received, as the import reported "
            "them."
        ),
    ),
    "advocacy": (
        _l("Advocacy score"),
        _l(
            "Each author with a known sentiment in the period is a promoter (net sentiment +0.5 or "
            "more), a detractor (−0.5 or less) or passive; the score is 100 × (promoters − "
            "detractors) / authors counted, from −100 to +100, like a net promoter score."
        ),
    ),
    "interactions": (
        _l("Interactions (replies, reposts, quotes, mentions)"),
        _l(
            "Who addressed whom: a reply, a repost, a quote or an @mention from one author to "
            "another. They are the lines of the network."
        ),
    ),
    # a campaign's report (app/advocacy/services/effectiveness.py)
    "campaign_posts": (
        _l("Attributed posts"),
        _l(
            "Mentions that belong to the campaign: posted from its start to a week after its end "
            "and carrying one of its hashtags, links or promo codes, plus each placement's linked "
            "post whenever it was posted."
        ),
    ),
    "campaign_engagements": (
        _l("Engagements"),
        _l("Likes + reposts + replies of the attributed posts, as the import reported them."),
    ),
    "campaign_reach": (
        _l("Reach"),
        _l(
            "Followers of the attributed posts' authors, each author counted once (an author "
            "whose followers are unknown adds nothing)."
        ),
    ),
    "campaign_views": (
        _l("Views"),
        _l("Views of the attributed posts whose platform reports them; “—” when none does."),
    ),
    "campaign_new_authors": (
        _l("New authors"),
        _l("Authors of attributed posts whose first mention of the brand ever falls in the period."),
    ),
    "campaign_cost": (
        _l("Cost"),
        _l("Fees plus gift values of the campaign's placements that are not cancelled."),
    ),
    "campaign_cpe": (
        _l("CPE (cost per engagement)"),
        _l("Cost / engagements: what one like, repost or reply cost. “—” with no engagement."),
    ),
    "campaign_cpm": (
        _l("CPM (cost per thousand reached)"),
        _l("1000 × cost / reach: what reaching a thousand followers cost. “—” when reach is 0."),
    ),
    "campaign_cpv": (
        _l("CPV (cost per view)"),
        _l("Cost / views, counting the posts whose views are known. “—” when no views are known."),
    ),
    "campaign_emv": (
        _l("EMV (earned media value)"),
        _l(
            "What the attention would have cost as advertising: the sum over attributed posts of "
            "likes × the like rate + reposts × the repost rate + replies × the reply rate + views "
            "/ 1000 × the rate per thousand views, with the rates of each platform that the "
            "workspace sets in the advocacy settings. “—” until rates are set."
        ),
    ),
    "campaign_roi": (
        _l("ROI (return on investment)"),
        _l(
            "(EMV − cost) / cost: 0.5 means the attention was worth one and a half times what it "
            "cost, −0.5 half of it. “—” without EMV rates or without a cost."
        ),
    ),
    "campaign_lift": (
        _l("Lift"),
        _l(
            "Brand mentions per day during the campaign against the same number of days right "
            "before it: during / before − 1. +0.5 means half as many again; “—” when nothing "
            "came before, or the campaign has not started. A running campaign counts its days "
            "up to today."
        ),
    ),
    "campaign_people_lift": (
        _l("Lift of the campaign's people"),
        _l(
            "The same lift, counting only the mentions posted by the accounts of the people who "
            "have a placement in the campaign."
        ),
    ),
    "campaign_sentiment": (
        _l("Sentiment of the attributed posts"),
        _l(
            "How many attributed posts are positive, neutral or negative (a person's correction "
            "wins over the model); “unknown” when no sentiment could be told."
        ),
    ),
}
"""Plain words for every metric the pages show, by key: (title, explanation)."""

GLOSSARY_TRIGGERS = {
    "coreness": re.compile(r"-core|-ядр"),
    "pagerank": re.compile(r"PageRank"),
    "adoption": re.compile(r"adopted|подхватил"),
    "two_way": re.compile(r"two-way|взаимн"),
    "communities": re.compile(r"communit|сообществ"),
    "percentile": re.compile(r"percentile|перцентил"),
}


def glossary_entry(key: str) -> tuple[str, str]:
    """Return the title and plain-words explanation of a metric."""
    title, text = GLOSSARY[key]
    return str(title), str(text)


def glossary_terms(texts) -> list[str]:
    """Return the glossary keys whose terms appear in ``texts`` (reasons shown on a page)."""
    joined = " ".join(str(text) for text in texts or ())
    return [key for key, pattern in GLOSSARY_TRIGGERS.items() if pattern.search(joined)]
