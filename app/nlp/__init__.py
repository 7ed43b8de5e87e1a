"""Language detection and sentiment for post texts: pure Python, no Flask, no database.

Both functions take a whole batch, so the ingest calls them once per batch of rows::

    langs = detect_languages(texts)
    sentiments = analyze_sentiment(texts, langs)  # [(label, score), ...]
"""

from app.nlp.language import detect_languages
from app.nlp.sentiment import analyze_sentiment

__all__ = ["analyze_sentiment", "detect_languages"]
