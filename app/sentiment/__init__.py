"""Sentiment that learns from a team's corrections: a per-workspace classifier, its training
and labelling, corrections in bulk, and the export of what the app concluded.

The base sentiment of every post comes from :mod:`app.nlp.sentiment` (VADER for English, a
lexicon analyser for Russian) as it is imported. A workspace whose people corrected enough
mentions gets its own model (:mod:`app.sentiment.classifier`), trained on those corrections;
it labels the workspace's new imports and, in a background job, the mentions it already holds.
A person's correction always wins; a file's own labels are kept.

Other domains call :mod:`app.sentiment.services`.
"""
