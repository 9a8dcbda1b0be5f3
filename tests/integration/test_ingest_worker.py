"""`raqib worker ingest --feeds FILE` against the real broker and Redis and a real HTTP server
in the test process: each new item once across polls and a restart, backoff, refusals, push."""

from __future__ import annotations

import collections
import datetime as dt
import json
import re
import time
import urllib.error
import urllib.request

import pytest

from schemas import RAW
from services.runtime.embedded import free_port
from services.runtime.kafka import ensure_topics
from tests.feedserver import Route, atom, page, rss, serve
from tests.helpers import read_topic, start_worker, stop

pytestmark = pytest.mark.integration

T0 = dt.datetime(2026, 11, 20, 6, 0, tzinfo=dt.UTC)
TOKEN = "test-token-0123456789abcdef"


@pytest.fixture
def server():
    yield from serve()


def ar_items(server, n):
    places = ["البوكمال", "الميادين", "دير الزور", "القائم"]
    return [{"title": f"قصف مدفعي على {places[i]}", "link": server.url(f"/ar/{i}.html"), "guid": f"ar-{i}",
             "summary": f"قصف مدفعي استهدف أطراف {places[i]}.", "published": T0 + dt.timedelta(hours=i)}
            for i in range(n)]


def ar_page(i, extra=""):
    places = ["البوكمال", "الميادين", "دير الزور", "القائم"]
    return page(f"قصف مدفعي على {places[i]}", [
        f"قصفت قوات النظام السوري بالمدفعية الثقيلة صباح اليوم أطراف مدينة {places[i]} في ريف دير الزور، "
        "ما أدى إلى مقتل مدنيين اثنين وإصابة خمسة آخرين بجروح، وفق مصادر محلية.",
        "وأفادت المصادر بأن القصف استمر نحو ساعة وطال منازل سكنية وأرضا زراعية قرب الطريق العام." + extra,
    ])


def http(url, data=None, headers=None):
    req = urllib.request.Request(url, data=data, headers=headers or {}, method="POST" if data is not None else "GET")
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def metric(text: str, feed: str, outcome: str) -> float:
    m = re.search(rf'raqib_ingest_feed_events_total{{feed="{feed}",outcome="{outcome}"}} ([0-9.e+]+)', text)
    return float(m.group(1)) if m else 0.0


def wait_for(cond, timeout=60.0, procs=()):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if cond():
            return
        assert all(p.poll() is None for p in procs), "the worker exited"
        time.sleep(0.2)
    raise AssertionError("timed out waiting")


def test_ingest_worker_polls_feeds_once_each_refuses_traps_and_accepts_push(settings_factory, server, tmp_path):
    server.route("/ar.xml", Route(body=rss("سوريا", ar_items(server, 2), encoding="windows-1256"), etag=True,
                                  content_type="application/rss+xml"))
    for i in range(4):
        server.route(f"/ar/{i}.html", Route(body=ar_page(i), content_type="text/html; charset=utf-8"))
    server.route("/en.atom", Route(body=atom("Wire", [
        {"title": "Rockets hit Ain al-Asad", "link": "https://wire.example/2026/11/20/rockets?utm_source=rss",
         "id": "urn:wire:1", "published": T0, "summary": "Rockets hit the base.",
         "content": "<p>Three rockets hit Ain al-Asad air base in western Iraq late on Thursday.</p>" * 8}]),
        content_type="application/atom+xml"))
    server.route("/down.xml", Route(status=500, body=b"internal error", content_type="text/plain"))
    server.route("/trap.xml", Route(status=302, headers={"Location": "http://10.0.0.1/feed.xml"}))
    server.route("/pages.xml", Route(body=rss("Traps", [
        {"title": "Loopback story", "link": server.url("/to-loopback"), "summary": "A summary only."},
        {"title": "Metadata story", "link": server.url("/to-metadata"), "summary": "Another summary."}])))
    server.route("/slow.xml", Route(body=rss("Slow", []), delay_s=3.0))
    server.route("/big.xml", Route(body=rss("Big", [
        {"title": "Huge page", "link": server.url("/huge.html"), "summary": "Summary of the huge page."}])))
    server.route("/huge.html", Route(content_type="text/html", stream_bytes=4 * 1024 * 1024))
    server.route("/ar.atom", Route(body=atom("الأخبار", [
        {"title": "اشتباكات في ريف حلب", "link": "https://ar-wire.example/news/77", "id": "urn:ar:77",
         "published": T0, "summary": "اشتباكات", "content": "<p>اندلعت اشتباكات عنيفة بين فصائل مسلحة في "
         "ريف حلب الشمالي أسفرت عن مقتل خمسة مقاتلين.</p>" * 6}]), content_type="application/atom+xml"))
    server.route("/to-loopback", Route(status=301, headers={"Location": "http://127.0.0.1:1/admin"}))
    server.route("/to-metadata", Route(status=302, headers={"Location": "http://169.254.169.254/latest/"}))
    feeds = tmp_path / "feeds.yaml"
    feeds.write_text(
        "feeds:\n"
        f"  - {{name: sy-ar, url: '{server.url('/ar.xml')}', language: ar, interval_s: 1}}\n"
        f"  - {{name: wire, url: '{server.url('/en.atom')}', language: en, interval_s: 1, full_text: false}}\n"
        f"  - {{name: down, url: '{server.url('/down.xml')}', interval_s: 1}}\n"
        f"  - {{name: trap, url: '{server.url('/trap.xml')}', interval_s: 1}}\n"
        f"  - {{name: pages, url: '{server.url('/pages.xml')}', interval_s: 1, full_text: true}}\n"
        f"  - {{name: slow, url: '{server.url('/slow.xml')}', interval_s: 1}}\n"
        f"  - {{name: big, url: '{server.url('/big.xml')}', interval_s: 1}}\n"
        f"  - {{name: ar-wire, url: '{server.url('/ar.atom')}', language: ar, interval_s: 1}}\n",
        encoding="utf-8")
    settings = settings_factory()
    ensure_topics(settings.kafka)
    port = free_port()
    env = {"RAQIB_INGEST__ALLOW_HOSTS": json.dumps([f"127.0.0.1:{server.port}"]),
           "RAQIB_INGEST__PUSH_TOKEN": TOKEN, "RAQIB_INGEST__MAX_BACKOFF_S": "60",
           "RAQIB_INGEST__READ_TIMEOUT_S": "1", "RAQIB_INGEST__MAX_BODY_BYTES": "1000000",
           "RAQIB_WEB_PORT": str(port), "RAQIB_LOG_FORMAT": "json", "RAQIB_LOG_LEVEL": "INFO"}
    base = f"http://127.0.0.1:{port}"

    def urls(messages):
        return collections.Counter(m.canonical_url for m in messages)

    procs = [start_worker(settings, "ingest", tmp_path, "--feeds", str(feeds), env=env)]
    try:
        wait_for(lambda: len(server.hits("/ar.xml")) >= 4 and len(server.hits("/en.atom")) >= 4
                 and len(server.hits("/down.xml")) >= 3, 90, procs)
        articles = read_topic(settings, RAW, lambda m: len(m) >= 7, 30, procs)
        counts = urls(articles)
        assert set(counts.values()) == {1}, counts  # once each, whatever the number of polls
        # 2 Arabic RSS, 1 English Atom, 1 Arabic Atom, 3 whose pages were refused (feed summaries)
        assert len(counts) == 7
        arabic = [a for a in articles if a.source == "sy-ar"]
        assert all("مقتل مدنيين اثنين" in a.body and a.language == "ar" for a in arabic)  # the pages' text
        assert "https://wire.example/2026/11/20/rockets" in counts  # canonical: no utm_source
        assert sorted(a.body for a in articles if a.source == "pages") == ["A summary only.", "Another summary."]
        assert [a.body for a in articles if a.source == "big"] == ["Summary of the huge page."]
        assert [a.language for a in articles if a.source == "ar-wire"] == ["ar"]

        # backoff: the failing feed's waits grow (2 s, 4 s, ...) while the good feeds keep a 1 s pace
        hits = [h.at for h in server.hits("/down.xml")]
        gaps = [b - a for a, b in zip(hits, hits[1:], strict=False)]
        assert len(gaps) >= 2 and gaps[1] > 1.4 * gaps[0], gaps
        assert len(server.hits("/ar.xml")) > len(hits)

        status, body = http(base + "/metrics")
        text = body.decode()
        assert status == 200
        assert metric(text, "sy-ar", "new") == 2 and metric(text, "sy-ar", "not_modified") >= 2
        assert metric(text, "wire", "duplicate") >= 2 and metric(text, "down", "error") >= 2
        assert metric(text, "trap", "refused") >= 1 and metric(text, "pages", "refused") == 2
        assert metric(text, "slow", "error") >= 1 and metric(text, "big", "refused") == 1
        assert http(base + "/health") == (200, b'{"status": "ok", "service": "ingest"}')

        # HTTP push
        good = [{"id": f"push-{i}", "url": f"https://push.example/story/{i}", "source": "push.example",
                 "title": f"Story {i}", "body": f"Airstrikes hit positions near Raqqa, report {i}.",
                 "published_at": "2026-11-20T09:00:00+00:00", "language": "en"} for i in range(2)]
        js = {"Content-Type": "application/json"}
        auth = {**js, "Authorization": f"Bearer {TOKEN}"}
        assert http(base + "/articles", json.dumps(good).encode(), js)[0] == 401
        assert http(base + "/articles", json.dumps(good).encode(),
                    {**js, "Authorization": "Bearer wrong-token-wrong-token"})[0] == 401
        assert http(base + "/articles", b"id=1", {**auth, "Content-Type": "text/plain"})[0] == 415
        assert http(base + "/articles", b"{not json", auth)[0] == 400
        status, body = http(base + "/articles", json.dumps([good[0], {**good[1], "body": " "}]).encode(), auth)
        assert status == 422 and json.loads(body)["details"] == [
            {"index": 1, "id": "push-1", "error": "body: Value error, body is empty"}]
        status, body = http(base + "/articles", json.dumps({"articles": good}).encode(), auth)
        assert (status, json.loads(body)) == (202, {"accepted": ["push-0", "push-1"], "duplicates": []})
        status, body = http(base + "/articles", json.dumps(good[0]).encode(), auth)
        assert (status, json.loads(body)) == (202, {"accepted": [], "duplicates": ["push-0"]})
        articles = read_topic(settings, RAW, lambda m: len(m) >= 9, 30, procs)
        assert sorted(a.article_id for a in articles if a.source == "push.example") == ["push-0", "push-1"]
        text = http(base + "/metrics")[1].decode()
        for status, n in (("401", 2), ("415", 1), ("400", 1), ("422", 1), ("202", 2)):
            assert f'raqib_ingest_push_requests_total{{status="{status}"}} {n}.0' in text

        stop(procs)
        log = (tmp_path / "ingest.log").read_text(errors="replace")
        records = [json.loads(line) for line in log.splitlines() if line.strip()]  # RAQIB_LOG_FORMAT=json
        assert {"time", "level", "logger", "message"} <= set(records[0])
        assert any(r["level"] == "WARNING" and r["logger"] == "services.ingest.poller" for r in records)
        assert "private address 10.0.0.1 not allowed" in log
        assert "loopback address 127.0.0.1 not allowed" in log
        assert "cloud metadata address 169.254.169.254 not allowed" in log
        assert "timed out fetching " + server.url("/slow.xml") in log
        assert "body is over the 1000000-byte limit: " + server.url("/huge.html") in log

        # a restart: one new story, one changed story, the rest as before
        server.route("/ar.xml", Route(body=rss("سوريا", ar_items(server, 3), encoding="windows-1256"),
                                      etag=True, content_type="application/rss+xml"))
        server.route("/ar/0.html", Route(body=ar_page(0, " وارتفع عدد القتلى لاحقا إلى ثلاثة."),
                                         content_type="text/html; charset=utf-8"))
        server.route("/ar.xml", Route(body=rss("سوريا", ar_items(server, 3), encoding="windows-1256").replace(
            "أطراف البوكمال.".encode("cp1256"), "أطراف البوكمال وسقوط قتلى.".encode("cp1256")),
            etag=True, content_type="application/rss+xml"))
        before = len(server.hits("/ar.xml"))
        procs = [start_worker(settings, "ingest", tmp_path, "--feeds", str(feeds), env=env)]
        wait_for(lambda: len(server.hits("/ar.xml")) >= before + 4, 90, procs)
        articles = read_topic(settings, RAW, lambda m: len(m) >= 11, 30, procs)
        time.sleep(1.0)
        articles = read_topic(settings, RAW, lambda m: False, 3, procs)
        counts = urls(articles)
        assert len(articles) == 11, counts  # 9 before, the new story and the update
        by_url = collections.Counter(a.url for a in articles)
        assert by_url[server.url("/ar/0.html")] == 2 and by_url[server.url("/ar/2.html")] == 1
        update = [a for a in articles if a.update]
        assert len(update) == 1 and "ثلاثة" in update[0].body
    finally:
        stop(procs)
        print((tmp_path / "ingest.log").read_text(errors="replace")[-3000:])
