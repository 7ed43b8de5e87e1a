"""Corrections, training, labelling and export of a workspace's sentiment.

Who decides a mention's sentiment, strongest first (``Mention.sentiment_source``):
``person`` (a correction: never overwritten), ``imported`` (the file's own label: kept),
``model`` (the workspace's learned model), ``computed`` (the base analysers at import).
Training reads the corrections (and the file labels when the workspace says they teach);
labelling rewrites only ``computed`` and ``model`` mentions, in the languages the model has
enough corrections for.
"""

from __future__ import annotations

import csv
import io
import json
import logging
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from sqlalchemy import func, select, update

from app.extensions import db
from app.models import Author, Mention, Workspace, utcnow
from app.sentiment import classifier
from app.sentiment.models import SentimentModel, SentimentSettings
from app.services import job_records
from app.services.errors import FieldError, NotFound, ServiceError

log = logging.getLogger(__name__)

job_records.register(job_records.Kind(
    "sentiment", SentimentModel,
    kept="The mentions keep the sentiment they had.",
    again="Train the model again in Settings",
    smaller="correct fewer mentions at once before training",
    what=lambda model: f"sentiment model from {model.corrections:,} corrections",
))  # fmt: skip

LABELS = classifier.LABELS
MIN_PER_LANGUAGE = 30  # corrections in a language before the model labels posts in it
BATCH = 5000  # mentions labelled per transaction
SCORE_OF = {"positive": 1.0, "neutral": 0.0, "negative": -1.0}
EXPORT_FIELDS = ("platform", "id", "author", "created_at", "lang", "sentiment", "sentiment_source")
Progress = Callable[[float], None]


# ---------------------------------------------------------------- settings


def settings_of(workspace: Workspace) -> SentimentSettings:
    """Return the workspace's sentiment settings (the defaults until someone changes them)."""
    found = db.session.get(SentimentSettings, workspace.id)
    return found or SentimentSettings(workspace_id=workspace.id, use_model=True,
                                      learn_from_imported=False)  # fmt: skip


def update_settings(
    workspace: Workspace, *, use_model: bool | None = None, learn_from_imported: bool | None = None
) -> SentimentSettings:
    """Change the settings; switching the model off or on relabels in the background.

    Raises ``FieldError`` when asked to use the learned model before one was trained.
    """
    if use_model and ready_model(workspace) is None:
        raise FieldError("use_model", "there is no learned model yet: train one first")
    settings = db.session.get(SentimentSettings, workspace.id)
    if settings is None:
        settings = SentimentSettings(workspace_id=workspace.id, use_model=True,
                                     learn_from_imported=False)  # fmt: skip
        db.session.add(settings)
    switched = use_model is not None and use_model != settings.use_model
    if use_model is not None:
        settings.use_model = use_model
    if learn_from_imported is not None:
        settings.learn_from_imported = learn_from_imported
    db.session.commit()
    if switched:
        from app.services import jobs

        jobs.submit("app.sentiment.services.apply_choice", workspace.id)
    return settings


def latest_model(workspace: Workspace) -> SentimentModel | None:
    """Return the workspace's newest model run, whatever its state."""
    return db.session.scalar(
        select(SentimentModel)
        .where(SentimentModel.workspace_id == workspace.id)
        .order_by(SentimentModel.id.desc())
        .limit(1)
    )


def ready_model(workspace: Workspace) -> SentimentModel | None:
    """Return the workspace's newest trained model, whether it uses it or not."""
    return db.session.scalar(
        select(SentimentModel)
        .where(SentimentModel.workspace_id == workspace.id, SentimentModel.status == "done")
        .order_by(SentimentModel.id.desc())
        .limit(1)
    )


def active_model(workspace: Workspace) -> SentimentModel | None:
    """Return the model that labels the workspace's posts: its newest ready one, if it uses one."""
    if not settings_of(workspace).use_model:
        return None
    return ready_model(workspace)


@dataclass
class Overview:
    """What the settings page says of a workspace's sentiment: its settings, its corrections
    of each sentiment now, its newest run (``latest``, any state), its newest trained model
    (``ready``) and the one labelling its posts (``active``; ``None``: the base analysers)."""

    settings: SentimentSettings
    counts: dict[str, int]
    latest: SentimentModel | None
    ready: SentimentModel | None
    active: SentimentModel | None
    min_per_class: int = classifier.MIN_PER_CLASS

    @property
    def busy(self) -> bool:
        """Whether a training is queued or running."""
        return self.latest is not None and self.latest.status in job_records.ACTIVE

    @property
    def missing(self) -> dict[str, int]:
        """How many more corrections each sentiment needs before a model can be trained."""
        return {label: self.min_per_class - n for label, n in self.counts.items()
                if n < self.min_per_class}  # fmt: skip


def overview(workspace: Workspace) -> Overview:
    """Return what the settings page shows of the workspace's sentiment model."""
    job_records.close_stale("sentiment", workspace.id)
    settings = settings_of(workspace)
    ready = ready_model(workspace)
    return Overview(
        settings=settings, counts=correction_counts(workspace), latest=latest_model(workspace),
        ready=ready, active=ready if settings.use_model else None,
    )  # fmt: skip


# ---------------------------------------------------------------- corrections


def correct(workspace: Workspace, mention_ids: Iterable[int], label: str) -> int:
    """Set the sentiment of the workspace's mentions ``mention_ids`` as a person's correction;
    return how many were set. Ids of other workspaces are ignored."""
    if label not in LABELS:
        raise FieldError("sentiment", "sentiment must be positive, neutral or negative")
    ids = sorted({int(i) for i in mention_ids})
    if not ids:
        raise FieldError("mention_ids", "choose at least one mention")
    done = 0
    for at in range(0, len(ids), 900):  # SQLite binds at most ~1,000 values per statement
        done += db.session.execute(
            update(Mention)
            .where(Mention.workspace_id == workspace.id, Mention.id.in_(ids[at : at + 900]))
            .values(sentiment=label, sentiment_score=SCORE_OF[label], sentiment_source="person")
        ).rowcount
    db.session.commit()
    if done:
        from app.advocacy.services import daily

        daily.invalidate(workspace)  # the advocacy figures follow the corrections
    return done


@dataclass
class LabelResult:
    """What a labels file did: corrections applied, ids not in the workspace, bad rows."""

    applied: int = 0
    unknown: int = 0
    invalid: int = 0
    errors: list[dict] = field(default_factory=list)

    def as_json(self) -> dict:
        return {"applied": self.applied, "unknown": self.unknown, "invalid": self.invalid,
                "errors": self.errors[:100]}  # fmt: skip

    def _reject(self, line: int | None, reason: str, unknown: bool = False) -> None:
        if unknown:
            self.unknown += 1
        else:
            self.invalid += 1
        if len(self.errors) < 100:
            self.errors.append({"line": line, "reason": reason})


def read_labels(data: str, name: str = "labels") -> Iterator[tuple[int | None, dict]]:
    """Yield ``(line, row)`` from CSV (a header naming platform, id, sentiment), JSON Lines, or
    a JSON array (or ``{"labels": [...]}``) of such objects. Raises ``ServiceError`` naming the
    file when it is none of these."""
    text = data.lstrip("\ufeff")
    head = text.lstrip()[:1]
    if head in ("[", "{"):
        try:
            document = json.loads(text)
        except json.JSONDecodeError:
            document = None  # JSON Lines, read below
        if document is not None:
            items = document.get("labels") if isinstance(document, dict) else document
            if isinstance(document, dict) and items is None:
                items = [document]
            if not isinstance(items, list):
                raise FieldError("labels", f"{name}: expected a list of labels")
            for item in items:
                yield None, item if isinstance(item, dict) else {"_bad": item}
            return
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                item = json.loads(line)
            except json.JSONDecodeError as error:
                yield number, {"_bad": f"not valid JSON ({error.msg})"}
                continue
            yield number, item if isinstance(item, dict) else {"_bad": item}
        return
    reader = csv.DictReader(io.StringIO(text))
    header = {(h or "").strip().lower() for h in reader.fieldnames or ()}
    if not {"platform", "id", "sentiment"} <= header:
        raise FieldError(
            "labels", f"{name}: the first row must name the columns platform, id and sentiment"
        )
    for row in reader:
        yield reader.line_num, {(k or "").strip().lower(): v for k, v in row.items()}


def apply_labels(workspace: Workspace, rows: Iterable[tuple[int | None, dict]]) -> LabelResult:
    """Record each row's ``sentiment`` for the mention ``(platform, id)`` as a correction."""
    result = LabelResult()
    wanted: dict[tuple[str, str], tuple[int | None, str]] = {}
    for line, row in rows:
        if "_bad" in row:
            result._reject(line, f"not a label: {row['_bad']!s:.80}")
            continue
        platform = str(row.get("platform") or "").strip().lower()
        external = str(row.get("id") or "").strip()
        label = str(row.get("sentiment") or "").strip().lower()
        if not platform or not external:
            result._reject(line, "platform and id are required")
        elif label not in LABELS:
            result._reject(line, f"sentiment {label!r:.40} is not positive, neutral or negative")
        else:
            wanted[(platform, external)] = (line, label)
    by_label: dict[str, list[int]] = {label: [] for label in LABELS}
    keys = list(wanted)
    for at in range(0, len(keys), 400):
        chunk = keys[at : at + 400]
        found = dict(
            ((platform, external), mention_id)
            for mention_id, platform, external in db.session.execute(
                select(Mention.id, Mention.platform, Mention.external_id).where(
                    Mention.workspace_id == workspace.id,
                    Mention.external_id.in_([external for _, external in chunk]),
                )
            )
            if (platform, external) in wanted
        )
        for key in chunk:
            line, label = wanted[key]
            if key in found:
                by_label[label].append(found[key])
            else:
                result._reject(line, f"no mention {key[0]} {key[1]} in this workspace", True)
    for label, ids in by_label.items():
        if ids:
            result.applied += correct(workspace, ids, label)
    return result


def import_labels(workspace: Workspace, path: Path | str) -> LabelResult:
    """Read a labels file (CSV or JSON, gzip allowed) and apply it (see :func:`apply_labels`)."""
    import gzip

    path = Path(path)
    try:
        raw = path.read_bytes()
        if raw[:2] == b"\x1f\x8b":
            raw = gzip.decompress(raw)
        data = raw.decode("utf-8")
    except OSError as error:
        raise ServiceError(f"{path.name}: cannot be read ({error.strerror})") from None
    except UnicodeDecodeError:
        raise ServiceError(f"{path.name}: not UTF-8 text") from None
    return apply_labels(workspace, read_labels(data, path.name))


# ---------------------------------------------------------------- training and labelling


def _teaching(workspace: Workspace) -> tuple:
    """Return the conditions that pick the mentions the model learns from."""
    sources = ["person"]
    if settings_of(workspace).learn_from_imported:
        sources.append("imported")
    return (
        Mention.workspace_id == workspace.id,
        Mention.sentiment_source.in_(sources),
        Mention.sentiment.in_(LABELS),
    )


def corrections_of(workspace: Workspace) -> list[tuple[str, str, str | None]]:
    """Return ``(text, label, lang)`` of every correction the model learns from."""
    return [
        tuple(row)
        for row in db.session.execute(
            select(Mention.text, Mention.sentiment, Mention.lang).where(*_teaching(workspace))
        )
    ]


def correction_counts(workspace: Workspace) -> dict[str, int]:
    """Return how many corrections of each sentiment the workspace has."""
    counts = dict(db.session.execute(
        select(Mention.sentiment, func.count()).where(*_teaching(workspace))
        .group_by(Mention.sentiment)
    ).all())  # fmt: skip
    return {label: counts.get(label, 0) for label in LABELS}


def queue_training(workspace: Workspace) -> SentimentModel:
    """Start training (then labelling) in the background, unless a run is under way."""
    from app.services import jobs

    job_records.close_stale("sentiment", workspace.id)
    current = latest_model(workspace)
    if current is not None and current.status in job_records.ACTIVE:
        return current
    counts = correction_counts(workspace)
    if any(n < classifier.MIN_PER_CLASS for n in counts.values()):
        raise FieldError("corrections", str(classifier.NotEnough(counts)))
    model = SentimentModel(workspace_id=workspace.id, status="queued")
    db.session.add(model)
    db.session.commit()
    jobs.submit("app.sentiment.services.run_training", model.id, record=model)
    return model


def run_training(model_id: int) -> None:
    """Background job: train the queued model and label the workspace; a failure is stored."""
    model = db.session.get(SentimentModel, model_id)
    if model is None or model.status not in job_records.ACTIVE:
        return
    workspace = db.session.get(Workspace, model.workspace_id)
    try:
        train(workspace, model=model)
    except Exception as error:  # shown on the settings page; the trace goes to the log
        if isinstance(error, ServiceError):
            message = job_records._say("sentiment", f"stopped: {error}")
        else:
            log.exception("sentiment model %s failed", model_id)
            message = job_records.internal_error("sentiment", type(error).__name__)
        job_records.fail(("sentiment", model_id), message)


def train(
    workspace: Workspace, *, model: SentimentModel | None = None, progress: Progress | None = None
) -> SentimentModel:
    """Train the workspace's model on its corrections now, then label its mentions with it.

    Raises ``ServiceError`` when a sentiment has fewer than ``MIN_PER_CLASS`` corrections.
    """
    rows = corrections_of(workspace)
    texts, labels = [t for t, _, _ in rows], [label for _, label, _ in rows]
    counts = Counter(labels)
    if any(counts.get(label, 0) < classifier.MIN_PER_CLASS for label in LABELS):
        raise FieldError("corrections", str(classifier.NotEnough(dict(counts))))
    if model is None:
        model = SentimentModel(workspace_id=workspace.id, started_at=utcnow())
        db.session.add(model)
    model.status, model.phase = "running", "training"
    db.session.commit()
    trained = classifier.train(texts, labels)
    languages = Counter(lang for _, _, lang in rows if lang)
    model.phase, model.progress = "labelling", 0.0
    model.corrections, model.quality, model.seconds = trained.corrections, trained.quality, trained.seconds
    model.languages = sorted(lang for lang, n in languages.items() if n >= MIN_PER_LANGUAGE)
    model.blob = classifier.dumps(trained.pipeline)
    db.session.commit()
    label_with(workspace, model, trained.pipeline, progress=progress)
    model.status, model.phase, model.progress, model.finished_at = "done", None, 1.0, utcnow()
    db.session.commit()
    return model


def label_with(workspace: Workspace, model: SentimentModel, pipeline, *, since: int = 0,
               progress: Progress | None = None) -> int:  # fmt: skip
    """Label the workspace's ``computed`` and ``model`` mentions after id ``since`` in the
    model's languages; return how many. Work goes in batches, each committed."""
    if not settings_of(workspace).use_model or not model.languages:
        return 0
    def labellable(after: int):
        return (
            Mention.workspace_id == workspace.id,
            Mention.id > after,
            Mention.sentiment_source.in_(("computed", "model")),
            Mention.lang.in_(model.languages),
        )

    from app.advocacy.services import daily

    daily.mark_stale(workspace)  # the advocacy figures are read from the mentions meanwhile
    total = db.session.scalar(select(func.count()).select_from(Mention).where(*labellable(since)))
    top = db.session.scalar(select(func.max(Mention.id)).where(Mention.workspace_id == workspace.id))
    done, last = 0, since
    while True:
        batch = db.session.execute(
            select(Mention.id, Mention.text).where(*labellable(last)).order_by(Mention.id).limit(BATCH)
        ).all()
        if not batch:
            break
        labels = classifier.predict(pipeline, [text for _, text in batch])
        db.session.execute(
            update(Mention),
            [
                {"id": mention_id, "sentiment": label, "sentiment_score": score,
                 "sentiment_source": "model"}  # fmt: skip
                for (mention_id, _), (label, score) in zip(batch, labels, strict=True)
            ],
        )
        done += len(batch)
        last = batch[-1][0]
        model.labelled = (model.labelled or 0) + len(batch)
        model.progress = round(done / max(total or 0, 1), 3)
        db.session.commit()
        if progress:
            progress(model.progress)
    model.labelled_up_to = max(model.labelled_up_to or 0, top or 0)
    db.session.commit()
    daily.invalidate(workspace)
    return done


def label_new(workspace: Workspace) -> int:
    """Label the mentions imported since the active model last labelled; return how many."""
    model = active_model(workspace)
    if model is None:
        return 0
    blob = db.session.scalar(select(SentimentModel.blob).where(SentimentModel.id == model.id))
    return label_with(workspace, model, classifier.loads(blob), since=model.labelled_up_to or 0)


def label_new_job(workspace_id: int) -> None:
    """Background job: :func:`label_new` for the workspace (after an import through the API)."""
    workspace = db.session.get(Workspace, workspace_id)
    if workspace is not None:
        label_new(workspace)


def apply_choice(workspace_id: int) -> None:
    """Background job: label the workspace with its model, or give back the base labels."""
    workspace = db.session.get(Workspace, workspace_id)
    if workspace is None:
        return
    model = active_model(workspace)
    if model is not None:
        blob = db.session.scalar(select(SentimentModel.blob).where(SentimentModel.id == model.id))
        label_with(workspace, model, classifier.loads(blob))
    else:
        back_to_base(workspace)


def back_to_base(workspace: Workspace) -> int:
    """Give the mentions the learned model labelled their base sentiment again."""
    from app.advocacy.services import daily
    from app.nlp.sentiment import analyze_sentiment

    daily.mark_stale(workspace)
    done, last = 0, 0
    while True:
        batch = db.session.execute(
            select(Mention.id, Mention.text, Mention.lang)
            .where(Mention.workspace_id == workspace.id, Mention.sentiment_source == "model",
                   Mention.id > last)
            .order_by(Mention.id).limit(BATCH)
        ).all()  # fmt: skip
        if not batch:
            daily.invalidate(workspace)
            return done
        results = analyze_sentiment([text for _, text, _ in batch], [lang for _, _, lang in batch])
        db.session.execute(
            update(Mention),
            [
                {"id": mention_id, "sentiment": label, "sentiment_score": score,
                 "sentiment_source": "computed"}  # fmt: skip
                for (mention_id, _, _), (label, score) in zip(batch, results, strict=True)
            ],
        )
        db.session.commit()
        done += len(batch)
        last = batch[-1][0]


def model_of(workspace: Workspace, model_id: int) -> SentimentModel:
    """Return one of the workspace's model runs, or raise ``NotFound``."""
    model = db.session.get(SentimentModel, model_id)
    if model is None or model.workspace_id != workspace.id:
        raise NotFound("no such sentiment model in this workspace")
    return model


# ---------------------------------------------------------------- export


def export_mentions(workspace: Workspace, out: IO[str], fmt: str = "csv") -> int:
    """Write every mention's platform, id, author, created_at (ISO 8601, UTC), lang, sentiment
    and sentiment_source to ``out`` as CSV or JSON Lines, streaming; return how many."""
    if fmt not in ("csv", "jsonl"):
        raise FieldError("format", "the export format must be csv or jsonl")
    query = (
        select(Mention.platform, Mention.external_id, Author.handle, Mention.created_at,
               Mention.lang, Mention.sentiment, Mention.sentiment_source)
        .join(Author, Author.id == Mention.author_id)
        .where(Mention.workspace_id == workspace.id)
        .order_by(Mention.id)
        .execution_options(yield_per=10_000)
    )  # fmt: skip
    writer = csv.writer(out) if fmt == "csv" else None
    if writer:
        writer.writerow(EXPORT_FIELDS)
    count = 0
    for platform, external, handle, created, lang, sentiment, source in db.session.execute(query):
        values = (platform, external, handle, created.isoformat() if created else None, lang,
                  sentiment, source)  # fmt: skip
        if writer:
            writer.writerow(["" if v is None else v for v in values])
        else:
            out.write(json.dumps(dict(zip(EXPORT_FIELDS, values, strict=True)), ensure_ascii=False))
            out.write("\n")
        count += 1
    return count
