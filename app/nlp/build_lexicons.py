"""Build the compact Russian lexicons shipped in ``app/nlp/lexicons/`` from their sources.

Run once when a source changes (the output is committed)::

    .venv/bin/python -m app.nlp.build_lexicons /work/shared/data/ru-sentiment-lexicons

PolSentiLex: the per-lemma mean of the crowd votes (-2..2), keeping lemmas whose mean is at
least 0.5 away from zero (weaker means are one odd vote among neutral ones). AFINN-ru: the
single-word Cyrillic entries, lemmatised with pymorphy3 (about 40% of the keys are inflected),
duplicates merged by their mean, machine-translation debris (names, function words) dropped.
Both files are ``lemma<TAB>score``, sorted, UTF-8.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
from collections import defaultdict
from pathlib import Path

from app.nlp.sentiment import BOOSTERS, NEGATIONS, normalize_word

LEXICONS = Path(__file__).resolve().parent / "lexicons"
POLSENTILEX_FILE = "polsentilex-ru.tsv"
AFINN_FILE = "afinn-ru.tsv"
POLSENTILEX_MIN_MEAN = 0.5

# AFINN-ru entries that are translation debris: English names and words rendered as Russian
# names or function words ("Виктор" +3 from "victor", "Дик" -4), or words whose sentiment in
# Russian depends on context ("как", "да", "правда", "благодаря"), or mistranslations of
# common words ("great" -> "большой" +3, "dear" -> "дорого" +3, "question" -> "вопрос" +1) and
# garbled stems. Found by reading the list.
AFINN_DROPPED = frozenset(
    """
    виктор грейс дик иисус роза анжер тард хармс ламе сью мисс бог
    да как правда благодаря ум анти стоп прямо
    большой вопрос хотеть дело вид душа вывод вино гора дорого небо жирный острый
    общий доля решать решить роман град выступ рельеф класть надеть косой
    приемлет сталкиваетс инноваци чита модер ссание проса денье клепка нарост
    мазка орешек житие кишеть обжиг полый
    """.split()  # noqa: SIM905 - a word list reads better as words
)
_CYRILLIC_RE = re.compile(r"[а-яА-ЯёЁ]")


def build_polsentilex(source: Path) -> dict[str, float]:
    """Return the PolSentiLex lemmas with a clear mean vote, from the raw annotations."""
    votes: dict[str, list[int]] = defaultdict(list)
    with source.open(encoding="utf-8-sig", newline="") as handle:
        for lemma, vote in csv.reader(handle):
            votes[normalize_word(lemma)].append(int(vote))
    means = {lemma: sum(values) / len(values) for lemma, values in votes.items()}
    return {lemma: mean for lemma, mean in means.items() if abs(mean) >= POLSENTILEX_MIN_MEAN}


def build_afinn(source: Path) -> dict[str, float]:
    """Return the AFINN-ru single-word Cyrillic entries by lemma, duplicates averaged."""
    import pymorphy3

    morph = pymorphy3.MorphAnalyzer()
    scores: dict[str, list[int]] = defaultdict(list)
    entries = json.loads(source.read_text(encoding="utf-8"))
    for term, score in entries.items():
        word = normalize_word(term.strip(" :,.!?"))
        if not _CYRILLIC_RE.search(word) or " " in word:
            continue
        lemma = normalize_word(morph.parse(word)[0].normal_form)
        if lemma in AFINN_DROPPED or lemma in NEGATIONS or lemma in BOOSTERS:
            continue
        scores[lemma].append(score)
    return {lemma: sum(values) / len(values) for lemma, values in scores.items()}


def write_tsv(path: Path, scores: dict[str, float]) -> None:
    """Write ``lemma<TAB>score`` lines, sorted by lemma."""
    lines = [f"{lemma}\t{score:.3g}\n" for lemma, score in sorted(scores.items())]
    path.write_text("".join(lines), encoding="utf-8")


def main(argv: list[str] | None = None) -> None:
    """Rebuild both shipped lexicons from the source folder given on the command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "sources", type=Path, help="folder with polsentilex/ and afinn-ru-multilang/"
    )
    args = parser.parse_args(argv)
    polsentilex = build_polsentilex(args.sources / "polsentilex" / "PolSentiLex-raw.csv")
    afinn = build_afinn(args.sources / "afinn-ru-multilang" / "AFINN-ru.json")
    write_tsv(LEXICONS / POLSENTILEX_FILE, polsentilex)
    write_tsv(LEXICONS / AFINN_FILE, afinn)
    print(f"{POLSENTILEX_FILE}: {len(polsentilex)} lemmas; {AFINN_FILE}: {len(afinn)} lemmas")


if __name__ == "__main__":
    main()
