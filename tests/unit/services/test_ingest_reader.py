"""The reading side of an import: the helper process computes what the reading process would."""

import multiprocessing
import os
import signal
import time

import pytest

from app.services import ingest_reader
from factories import mention, write_csv


def read(path, helper):
    return [
        (batch.file, batch.format, batch.records, batch.rejected, batch.warnings)
        for batch in ingest_reader.read_batches([str(path)], ["m.csv"], "auto", 7, ["Acme"], helper)
    ]


@pytest.mark.timeout(120)
def test_helper_process_gives_the_same_batches(tmp_path):
    texts = [
        "I love Acme, great service!", "Terrible delivery, never again", "Спасибо, всё отлично",
        "Hola, muchas gracias por todo", "", "the parcel came on Tuesday", "RT @a: I love Acme",
    ]  # fmt: skip
    rows = [
        mention(str(i), f"user{i % 5}", texts[i % len(texts)],
                lang="en" if i % 4 == 0 else "", sentiment="positive" if i % 3 == 0 else "")
        for i in range(30)
    ]  # fmt: skip
    rows.append(mention("bad", "", "no author"))
    path = write_csv(tmp_path / "m.csv", rows)
    here = read(path, helper=False)
    assert sum(len(batch[2]) for batch in here) == 30
    assert {row.sentiment_source for batch in here for row in batch[2]} == {"imported", "computed"}
    assert read(path, helper=True) == here


def _hold_a_helper(pids):
    """Start a helper, report its pid, and wait to be killed."""
    pool = ingest_reader.helper_pool()
    pids.put(pool.submit(os.getpid).result(timeout=60))
    time.sleep(600)


def _alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    with open(f"/proc/{pid}/stat") as stat:  # a zombie has ended too
        return stat.read().split(") ")[1][0] != "Z"


@pytest.mark.skipif(not os.path.exists("/proc"), reason="reads /proc")
@pytest.mark.timeout(120)
def test_helper_ends_when_the_reading_process_is_killed():
    # Killed outright, the reading process cleans nothing up: its helper must not wait on
    # its queue of jobs forever.
    context = multiprocessing.get_context("spawn")
    pids = context.Queue()
    reader = context.Process(target=_hold_a_helper, args=(pids,))
    reader.start()
    helper = pids.get(timeout=60)
    assert _alive(helper)
    os.kill(reader.pid, signal.SIGKILL)
    reader.join(timeout=10)
    deadline = time.monotonic() + 10 * ingest_reader.PARENT_CHECK_SECONDS + 5
    while _alive(helper) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _alive(helper)


def _import_and_hang(path, pids):
    """Read the first batch through a reading process, report its pid, and wait to be killed."""
    batches = ingest_reader.read_batches_in_worker([path], ["m.csv"], "auto", 2, [])
    next(batches)
    pids.put([child.pid for child in multiprocessing.active_children()])
    time.sleep(600)


@pytest.mark.skipif(not os.path.exists("/proc"), reason="reads /proc")
@pytest.mark.timeout(120)
def test_reading_process_ends_when_the_import_is_killed(tmp_path):
    # kill -9 of an import left its reading process (212 MB) blocked on its full queue.
    path = write_csv(tmp_path / "m.csv", [mention(str(i), f"u{i}", "hello acme", sentiment="neutral") for i in range(60)])
    context = multiprocessing.get_context("spawn")
    pids = context.Queue()
    importer = context.Process(target=_import_and_hang, args=(str(path), pids))
    importer.start()
    children = pids.get(timeout=60)
    assert children and all(_alive(pid) for pid in children)
    os.kill(importer.pid, signal.SIGKILL)
    importer.join(timeout=10)
    deadline = time.monotonic() + 10 * ingest_reader.PARENT_CHECK_SECONDS + 5
    while any(_alive(pid) for pid in children) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(_alive(pid) for pid in children)


@pytest.mark.timeout(120)
def test_the_reading_process_keeps_brand_terms_apart_when_the_workspace_does(tmp_path):
    path = str(write_csv(tmp_path / "m.csv", [mention("1", "ann", "Acme and #acme", sentiment="neutral")]))

    def topics(read_batches, **apart):
        return {
            topic
            for batch in read_batches([path], ["m.csv"], "auto", 7, ["Acme"], **apart)
            for row in batch.records
            for topic in row[-2]  # Row.topics, also when the worker sends plain tuples
        }

    assert topics(ingest_reader.read_batches) == {"#acme"}
    assert topics(ingest_reader.read_batches, brands_apart=True) == {"acme", "#acme"}
    assert topics(ingest_reader.read_batches_in_worker, brands_apart=True) == {"acme", "#acme"}
