"""Filling in what a record lacks before it is stored: its language and its sentiment.

The work is split in three so that it can run in another process: :func:`job_of` picks what a
batch of records needs (plain texts and codes, cheap to send), :func:`compute` does the costly
part (language detection, sentiment) and returns plain values, and :func:`apply` writes them
back into the records. :func:`enrich` does all three here.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.ingest.record import MentionRecord
from app.ingest.vet import ANALYSED_CHARS

__all__ = ["Job", "apply", "compute", "enrich", "job_of"]


@dataclass(slots=True)
class Job:
    """What a batch needs: for each record that lacks its language or sentiment, its index in
    the batch, its text, its language (``None`` to detect) and whether to score it; and the
    languages the workspace expects (the prior for short posts)."""

    indexes: list[int]
    texts: list[str]
    langs: list[str | None]
    score: list[bool]
    expected: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.indexes)


Result = tuple[list[str | None], list[tuple[str, float | None]]]
"""The languages of a job's records, and the sentiments of those it asked to score."""


def job_of(records: list[MentionRecord], expected: tuple[str, ...] = ()) -> Job:
    """Return what ``records`` need computed (an empty job when they need nothing);
    ``expected``: the languages their workspace expects.

    Only a text's first :data:`~app.ingest.vet.ANALYSED_CHARS` characters are sent: its
    language and sentiment are read from them (a 1 MB post costs no more than a long one).
    """
    job = Job([], [], [], [], tuple(expected))
    for index, record in enumerate(records):
        score = record.sentiment is None
        if score or not record.lang:
            job.indexes.append(index)
            text = record.text
            job.texts.append(text if len(text) <= ANALYSED_CHARS else text[:ANALYSED_CHARS])
            job.langs.append(record.lang)
            job.score.append(score)
    return job


def compute(job: Job) -> Result:
    """Detect the missing languages, then score the sentiments asked for.

    Both run once per batch: the detectors are costly per call and cheap per text (and each
    dedupes repeated texts). They are imported here, not at start-up, so that pages and
    commands that never import stay quick.
    """
    from app.nlp import analyze_sentiment, detect_languages

    langs = list(job.langs)
    undetected = [at for at, lang in enumerate(langs) if not lang]
    if undetected:
        found = detect_languages([job.texts[at] for at in undetected], job.expected)
        for at, lang in zip(undetected, found, strict=True):
            langs[at] = lang
    scored = [at for at, score in enumerate(job.score) if score]
    sentiments = analyze_sentiment([job.texts[at] for at in scored], [langs[at] for at in scored])
    return langs, sentiments


def apply(records: list[MentionRecord], job: Job, result: Result) -> None:
    """Write a job's computed languages and sentiments into its records."""
    langs, sentiments = result
    scored = iter(sentiments)
    for index, lang, score in zip(job.indexes, langs, job.score, strict=True):
        record = records[index]
        record.lang = lang
        if score:
            record.sentiment, record.sentiment_score = next(scored)
            record.sentiment_computed = True


def enrich(records: list[MentionRecord], expected: tuple[str, ...] = ()) -> None:
    """Detect missing languages (``expected``: the workspace's), then compute sentiment where
    none was imported (in place)."""
    job = job_of(records, expected)
    if job:
        apply(records, job, compute(job))
