"""Filling in what a record lacks before it is stored: its language and its sentiment."""

from __future__ import annotations

from app.ingest.record import MentionRecord


def enrich(records: list[MentionRecord]) -> None:
    """Detect missing languages, then compute sentiment where none was imported (in place).

    Both run once per batch: the detectors are costly per call and cheap per text. They are
    imported here, not at start-up, so that pages and commands that never import stay quick.
    """
    from app.nlp import analyze_sentiment, detect_languages

    undetected = [record for record in records if not record.lang]
    if undetected:
        for record, lang in zip(
            undetected, detect_languages([r.text for r in undetected]), strict=True
        ):
            record.lang = lang
    unscored = [record for record in records if record.sentiment is None]
    if unscored:
        results = analyze_sentiment([r.text for r in unscored], [r.lang for r in unscored])
        for record, (label, score) in zip(unscored, results, strict=True):
            record.sentiment, record.sentiment_score = label, score
            record.sentiment_computed = True
