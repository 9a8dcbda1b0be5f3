"""Poison messages (issue 7): 10,000 malformed messages on each input topic, interleaved with
good ones: each bad one lands in news.dlq with a reason, no worker dies, every good one is
consumed and processed."""

from __future__ import annotations

import json
import os
import random
import re
import time
import urllib.request

import pytest

from schemas import DLQ, ENRICHED, EVENTS, RAW, ArticleIngested, DecodeError, decode, encode
from services.extraction.core import Extractor
from services.runtime.embedded import free_port
from services.runtime.kafka import ensure_topics, producer
from tests.conftest import RECV_TIMEOUT
from tests.helpers import read_topic, start_worker, stop
from tests.unit.test_alert_order import pipeline_run, timeline

pytestmark = pytest.mark.integration

BAD_PER_TOPIC = int(os.environ.get("RAQIB_TEST_POISON_PER_TOPIC", "10000"))
HUGE = 10 * 1024 * 1024
SERVICE_OF = {RAW: "extraction", ENRICHED: "dedup", EVENTS: "alerting"}


def malformed(rng: random.Random, message, n: int) -> list[bytes]:
    """n bad variants of one good message: every kind the issue names, cycled."""
    good = encode(message)
    doc = json.loads(good)
    required = [k for k, f in type(message).model_fields.items()
                if f.is_required() and k not in ("type", "schema_version")]

    def variant(i: int) -> bytes:
        kind = i % 12
        if kind == 0:  # not JSON at all
            return bytes(rng.getrandbits(8) for _ in range(rng.randint(1, 200)))
        if kind == 1:  # truncated JSON
            return good[: rng.randint(1, len(good) - 1)]
        if kind == 2:  # invalid UTF-8 inside otherwise fine JSON
            return good.replace(b'"', b'"\xff\xfe', 1)
        if kind == 3:  # a required field missing
            d = dict(doc)
            d.pop(rng.choice(required))
            return json.dumps(d).encode()
        if kind == 4:  # wrong types
            d = dict(doc)
            d[rng.choice(required)] = rng.choice([{"x": [1]}, [{"y": 2}], None])
            return json.dumps(d).encode()
        if kind == 5:  # another message type, or a future schema
            d = dict(doc)
            d["type" if i % 2 else "schema_version"] = "alert" if i % 2 else 99
            return json.dumps(d).encode()
        if kind == 6:  # not an object
            return rng.choice([b"[]", b"null", b"42", b'"text"', b"true"])
        if kind == 7:  # control and bidi characters where names and times belong
            d = dict(doc)
            key = next(k for k in required if "_at" in k or k == "first_seen")
            d[key] = "2026-11-20\u202e\u0000T06:00:00Z\u2066"
            return json.dumps(d).encode()
        if kind == 8:  # HTML and script instead of a message
            return b"<html><script>alert(document.cookie)</script><body>" + good[:100] + b"</body></html>"
        if kind == 9:  # empty
            return b""
        if kind == 10:  # a deeply nested bomb
            return b"[" * 5000 + b"]" * 5000
        return b"\x00" * rng.randint(1, 64) + good  # NUL bytes before a good message
    out = [variant(i) for i in range(n - 2)]
    out += [b"{" + b"x" * HUGE, json.dumps({**doc, "type": 7, "pad": "a" * HUGE}).encode()]  # 10 MB bodies
    rng.shuffle(out)
    return out


def metric(port: int, name: str, labels: str) -> float:
    text = urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=10).read().decode()
    m = re.search(rf"^{re.escape(name)}{{{re.escape(labels)}}} ([0-9.e+]+)$", text, re.M)
    return float(m.group(1)) if m else 0.0


def test_poison_messages_go_to_the_dlq_and_good_ones_flow(settings_factory, tmp_path):
    rng = random.Random(11)
    _, reports, _ = pipeline_run()
    lines = timeline()
    extractor = Extractor()
    raw_good = [ArticleIngested(article_id=f"raw-{ln.article.id}", url=ln.article.url + "?r",
                                canonical_url=ln.article.url + "?r", source=ln.article.source,
                                title=ln.article.title, body=ln.article.body + "\u202b <b>x</b><script>y</script>",
                                published_at=ln.article.published_at, ingested_at=ln.article.published_at)
                for ln in lines[:40]]
    enriched_good = [extractor.process(a.model_copy(update={"article_id": "enr-" + a.article_id,
                                                             "url": a.url + "e", "canonical_url": a.url + "e"}))
                     for a in raw_good[:40]]
    good = {RAW: raw_good, ENRICHED: enriched_good, EVENTS: reports[:60]}
    bad = {t: malformed(rng, msgs[0], BAD_PER_TOPIC) for t, msgs in good.items()}
    for topic, payloads in bad.items():  # the generator is honest: none of them decodes
        for payload in payloads:
            with pytest.raises(DecodeError):
                decode(topic, payload)

    settings = settings_factory()
    ensure_topics(settings.kafka)
    ports = {s: free_port() for s in SERVICE_OF.values()}
    procs = [start_worker(settings, s, tmp_path, env={"RAQIB_WEB_PORT": str(ports[s])}) for s in ports]
    try:
        prod = producer(settings.kafka, max_request_size=12 * 1024 * 1024, linger_ms=20)
        for topic in (RAW, ENRICHED, EVENTS):
            stream = [(b"bad", m) for m in bad[topic]] + [(b"good", encode(m)) for m in good[topic]]
            stream.sort(key=lambda _: rng.random())  # interleaved
            for key, value in stream:
                prod.send(settings.kafka.topic(topic), key=key, value=value)
        prod.flush()
        prod.close()

        want = 3 * BAD_PER_TOPIC
        letters = read_topic(settings, DLQ, lambda m: len(m) >= want, RECV_TIMEOUT * 3, procs)
        time.sleep(3)
        letters = read_topic(settings, DLQ, lambda m: False, 5, procs)
        by_service = {s: [x for x in letters if x.service == s] for s in SERVICE_OF.values()}
        for topic, service in SERVICE_OF.items():
            assert len(by_service[service]) == BAD_PER_TOPIC, service  # each bad one, once
            assert all(x.error and x.topic == settings.kafka.topic(topic) for x in by_service[service])
        huge = [x for x in letters if x.raw_truncated]
        assert len(huge) == 6 and all(x.raw_size > HUGE for x in huge)
        assert all(p.poll() is None for p in procs), "a worker died"

        # every good message was consumed and processed without error: what each worker took
        # in is every decodable message on its topic (the injected good ones and what the
        # stage before produced)
        enriched = read_topic(settings, ENRICHED, lambda m: False, 5)
        events = read_topic(settings, EVENTS, lambda m: False, 5)
        assert {a.article_id for a in raw_good} <= {e.article_id for e in enriched}
        assert {a.article_id for a in enriched_good} <= {s.article_id for e in events for s in e.sources}
        counts = {RAW: len(raw_good), ENRICHED: len(enriched), EVENTS: len(events)}
        for topic, service in SERVICE_OF.items():
            consumed = metric(ports[service], "raqib_messages_in_total", f'service="{service}",topic="{topic}"')
            assert consumed == counts[topic], (service, consumed, counts[topic])
            assert metric(ports[service], "raqib_errors_total", f'kind="processing",service="{service}"') == 0
            assert metric(ports[service], "raqib_errors_total",
                          f'kind="decode",service="{service}"') == BAD_PER_TOPIC
    finally:
        stop(procs)
