"""A malformed message on each input topic lands in news.dlq; good ones still flow."""

import base64
import datetime as dt
import json
import subprocess
import sys
import urllib.request

import pytest

from schemas import DLQ, ENRICHED, EVENTS, RAW, encode
from services.extraction.core import Extractor
from services.runtime.embedded import free_port
from services.runtime.kafka import ensure_topics, producer
from tests.conftest import RECV_TIMEOUT
from tests.helpers import read_topic, start_worker, stop, worker_env

pytestmark = pytest.mark.integration

BAD = {
    RAW: b"{not json at all",
    ENRICHED: b'{"type": "article_enriched", "schema_version": 1, "article_id": 5}',
    EVENTS: b"\xff\xfe\x00 not utf-8",
}


def test_malformed_messages_go_to_the_dlq_and_workers_keep_going(settings_factory, tmp_path):
    from schemas import ArticleIngested

    settings = settings_factory()
    ensure_topics(settings.kafka)
    services = ("extraction", "dedup", "alerting")
    ports = {s: free_port() for s in services}
    procs = [start_worker(settings, s, tmp_path, env={"RAQIB_WEB_PORT": str(ports[s])}) for s in services]
    try:
        when = dt.datetime(2023, 10, 27, 7, 0, tzinfo=dt.UTC)
        good = ArticleIngested(
            article_id="good-1", url="https://a.example/1", canonical_url="https://a.example/1",
            source="A", body="Turkish drones struck SDF positions near Qamishli in Syria on Friday.",
            published_at=when, ingested_at=when)
        assert Extractor().process(good).events, "the good article must carry an event"
        prod = producer(settings.kafka)
        for topic, payload in BAD.items():
            prod.send(settings.kafka.topic(topic), key=b"bad", value=payload)
        prod.send(settings.kafka.topic(RAW), key=b"good-1", value=encode(good))
        prod.flush()

        letters = read_topic(settings, DLQ, lambda m: len(m) >= 3, RECV_TIMEOUT, procs)
        by_topic = {letter.topic.removeprefix(settings.kafka.topic_prefix): letter for letter in letters}
        assert set(by_topic) == set(BAD)
        assert "not JSON" in by_topic[RAW].error and by_topic[RAW].service == "extraction"
        assert "article_id" in by_topic[ENRICHED].error and by_topic[ENRICHED].service == "dedup"
        assert "not UTF-8" in by_topic[EVENTS].error and by_topic[EVENTS].service == "alerting"
        for topic, letter in by_topic.items():
            assert base64.b64decode(letter.raw_b64) == BAD[topic]
            assert letter.partition is not None and letter.offset is not None

        events = read_topic(settings, EVENTS, lambda m: any(
            s.article_id == "good-1" for e in m for s in e.sources), RECV_TIMEOUT, procs)
        assert any(s.article_id == "good-1" for e in events for s in e.sources)
        assert all(p.poll() is None for p in procs), "a worker died"
        for service in services:  # each worker's own port: health and metrics
            with urllib.request.urlopen(f"http://127.0.0.1:{ports[service]}/health", timeout=5) as r:
                assert json.loads(r.read()) == {"status": "ok", "service": service}
            with urllib.request.urlopen(f"http://127.0.0.1:{ports[service]}/metrics", timeout=5) as r:
                text = r.read().decode()
            assert f'raqib_dead_letters_total{{service="{service}"}} 1.0' in text
            assert f'raqib_errors_total{{kind="decode",service="{service}"}} 1.0' in text
        text = urllib.request.urlopen(f"http://127.0.0.1:{ports['extraction']}/metrics", timeout=5).read().decode()
        assert 'raqib_messages_in_total{service="extraction",topic="news.articles.raw"} 1.0' in text
        assert 'raqib_messages_out_total{service="extraction",topic="news.articles.enriched"} 1.0' in text
        assert 'raqib_processing_seconds_count{service="extraction"} 1.0' in text
        assert 'raqib_latency_from_ingestion_seconds_count{service="extraction"} 1.0' in text
        # lag is exported (its value is not asserted: the embedded broker misreports end offsets)
        assert 'raqib_consumer_lag_seconds{service="extraction",topic="news.articles.raw"}' in text
        assert 'raqib_consumer_lag_messages{partition=' in text

        # raqib dlq: list the letters, send alerting's back; it fails again, so a second letter comes
        def dlq(*args):
            out = subprocess.run([sys.executable, "-m", "services.cli", "dlq", *args], env=worker_env(settings),
                                 capture_output=True, text=True, timeout=120)
            assert out.returncode == 0, out.stderr
            return out.stdout
        listed = [json.loads(line) for line in dlq("list", "--json").splitlines()]
        assert sorted(x["service"] for x in listed) == ["alerting", "dedup", "extraction"]
        text_lines = dlq("list").splitlines()  # the text form: one line per letter
        assert len(text_lines) == 3 and all("Error" in line for line in text_lines)
        assert len(dlq("list", "--service", "dedup").splitlines()) == 1
        assert json.loads(dlq("replay", "--service", "alerting")) == {"replayed": 1, "not_replayable": 0}
        letters = read_topic(settings, DLQ, lambda m: sum(x.service == "alerting" for x in m) >= 2,
                             RECV_TIMEOUT, procs)
        again = [x for x in letters if x.service == "alerting"]
        assert len(again) == 2 and again[1].raw_b64 == again[0].raw_b64 and again[1].offset > again[0].offset
    finally:
        stop(procs)
