"""The feed poller against a real HTTP server and the real Redis (the sink is a list here;
the worker test runs the same poller against the broker)."""

from __future__ import annotations

import asyncio
import datetime as dt
import random

import pytest
from prometheus_client import CollectorRegistry

from services.ingest.core import IngestCore
from services.ingest.feeds import FeedConfig
from services.ingest.fetch import Fetcher
from services.ingest.poller import FeedMetrics, FeedPoller
from services.runtime.settings import IngestSettings
from services.runtime.store import RedisStore
from tests.feedserver import Route, atom, page, rss, serve

T0 = dt.datetime(2026, 11, 20, 6, 0, tzinfo=dt.UTC)

AR_SUMMARY = "قال مصدر عسكري إن طائرات مجهولة قصفت مستودعا للذخيرة قرب البوكمال."
AR_PAGE = [
    "قال مصدر عسكري إن طائرات مجهولة الهوية قصفت فجر اليوم الخميس مستودعا للذخيرة تابعا لفصيل مسلح "
    "قرب مدينة البوكمال في ريف دير الزور الشرقي، ما أدى إلى مقتل أربعة عناصر وإصابة آخرين.",
    "وأضاف المصدر أن انفجارات متتالية سمعت في المنطقة لساعات بعد الضربة، فيما هرعت سيارات الإسعاف "
    "إلى الموقع ونقلت الجرحى إلى مستشفى المدينة.",
    "ولم تعلن أي جهة مسؤوليتها عن الضربة حتى الآن، فيما اتهمت وسائل إعلام محلية القوات الأمريكية بتنفيذها.",
]
EN_CONTENT = ("<p>Rockets were fired at a base hosting US forces in western Iraq on Wednesday night, "
              "officials said.</p><p>No casualties were reported. A militia group claimed the attack "
              "in a statement on Thursday.</p>")


class ListSink:
    def __init__(self, fail_flush: bool = False) -> None:
        self.sent: list = []
        self.delivered: list = []
        self.fail_flush = fail_flush

    async def send(self, outputs) -> None:
        self.sent.extend(o.message for o in outputs)

    async def flush(self) -> None:
        if self.fail_flush:
            raise ConnectionError("broker unreachable")
        self.delivered = list(self.sent)


@pytest.fixture
def server():
    yield from serve()


@pytest.fixture
def store(redis_url, unique):
    s = RedisStore.from_url(redis_url, f"test:{unique}:")
    yield s
    keys = s.client.keys(f"test:{unique}:*")
    if keys:
        s.client.delete(*keys)


def make_poller(server, store, feeds, sink, registry=None, **overrides):
    settings = IngestSettings(**{"allow_hosts": [f"127.0.0.1:{server.port}"], "read_timeout_s": 2.0,
                                 "total_timeout_s": 5.0, "poll_interval_s": 60.0, **overrides})
    core = IngestCore(store, lambda: T0 + dt.timedelta(hours=1), 86400)
    metrics = FeedMetrics(registry or CollectorRegistry())
    return FeedPoller(feeds, settings, core, store, Fetcher(settings), sink, metrics, rng=random.Random(7))


def run(poller, feed, times=1):
    async def go():
        delays = [await poller.poll(feed) for _ in range(times)]
        await poller.fetcher.close()
        return delays
    return asyncio.run(go())


def arabic_feed(server, extra=()):
    items = [{"title": "\u200fغارة على مستودع ذخيرة قرب البوكمال\u200f", "link": server.url("/ar/1.html"),
              "guid": "ar-1", "summary": AR_SUMMARY, "published": T0},
             *extra]
    return rss("أخبار سوريا", items, encoding="windows-1256")


def test_each_item_once_across_polls_and_a_restart_then_updates(server, store):
    server.route("/ar.xml", Route(body=arabic_feed(server), etag=True,
                                  content_type="application/rss+xml"))  # charset only in the XML prolog
    server.route("/ar/1.html", Route(body=page("غارة على مستودع ذخيرة قرب البوكمال", AR_PAGE),
                                     content_type="text/html; charset=utf-8"))
    server.route("/en.atom", Route(body=atom("Wire", [
        {"title": "Rockets hit base hosting US forces", "link": server.url("/en/1.html"), "id": "urn:en:1",
         "summary": "Rockets were fired at a base.", "content": EN_CONTENT, "published": T0}]),
        content_type="application/atom+xml"))  # no ETag: the whole feed comes every time
    ar = FeedConfig(name="sy-news", url=server.url("/ar.xml"), language="ar")
    en = FeedConfig(name="wire", url=server.url("/en.atom"), language="en")
    sink, registry = ListSink(), CollectorRegistry()
    poller = make_poller(server, store, [ar, en], sink, registry)
    run(poller, ar, 3)
    run(poller, en, 3)

    assert [a.source for a in sink.delivered] == ["sy-news", "wire"]
    arabic, english = sink.delivered
    # the Arabic feed carries a summary: the page was fetched, its text used, the feed's time kept
    assert arabic.title == "غارة على مستودع ذخيرة قرب البوكمال"  # no bidi marks
    assert "مقتل أربعة عناصر" in arabic.body and "Cookies" not in arabic.body
    assert arabic.published_at == T0 and arabic.language == "ar" and not arabic.update
    # the English feed carries the content: no page fetch
    assert english.body.startswith("Rockets were fired") and "\n" in english.body
    assert server.hits("/en/1.html") == [] and len(server.hits("/ar/1.html")) == 1
    m = poller.metrics
    assert (m.value("sy-news", "fetched"), m.value("sy-news", "not_modified"), m.value("sy-news", "new")) == (1, 2, 1)
    assert (m.value("wire", "fetched"), m.value("wire", "duplicate"), m.value("wire", "new")) == (3, 2, 1)

    # a restart: a new poller, the same Redis; the feed unchanged -> 304, nothing again
    sink2 = ListSink()
    run(make_poller(server, store, [ar, en], sink2), ar)
    run(make_poller(server, store, [ar, en], sink2), en)
    assert sink2.delivered == []
    assert server.hits("/ar.xml")[-1].headers.get("If-None-Match")

    # the story's text changes and a new story appears: exactly two articles, one an update
    new_item = {"title": "Clashes in Deir ez-Zor", "link": server.url("/ar/2.html"), "guid": "ar-2",
                "summary": "اشتباكات عنيفة بين فصائل مسلحة في ريف دير الزور الشرقي أسفرت عن مقتل ثلاثة. " * 12,
                "published": T0 + dt.timedelta(hours=2)}
    server.route("/ar/1.html", Route(body=page("غارة على مستودع ذخيرة قرب البوكمال",
                                               [*AR_PAGE, "وفي وقت لاحق ارتفع عدد القتلى إلى ستة."]),
                                     content_type="text/html; charset=utf-8"))
    server.route("/ar.xml", Route(body=arabic_feed(server, [new_item]).replace(
        AR_SUMMARY.encode("cp1256"), (AR_SUMMARY + " ارتفع عدد القتلى.").encode("cp1256")), etag=True,
        content_type="application/rss+xml"))
    sink3 = ListSink()
    run(make_poller(server, store, [ar], sink3), ar, 2)
    assert sorted((a.url.rsplit("/", 1)[1], a.update) for a in sink3.delivered) == [("1.html", True),
                                                                                     ("2.html", False)]
    assert "ستة" in next(a for a in sink3.delivered if a.update).body
    # the long summary was enough: no page fetch for the second story
    assert server.hits("/ar/2.html") == []


def test_nothing_is_recorded_before_delivery(server, store):
    """If the broker does not take the articles, the next poll sends them again (never lost)."""
    server.route("/en.xml", Route(body=rss("Wire", [
        {"title": "Drone strike", "link": "https://example.org/d/1", "summary": "A drone struck a car." * 40,
         "published": T0}]), etag=True))
    feed = FeedConfig(name="wire", url=server.url("/en.xml"))
    with pytest.raises(ConnectionError):
        run(make_poller(server, store, [feed], ListSink(fail_flush=True)), feed)
    sink = ListSink()
    run(make_poller(server, store, [feed], sink), feed)
    assert [a.url for a in sink.delivered] == ["https://example.org/d/1"]
    assert server.hits("/en.xml")[-1].headers.get("If-None-Match") is None  # ETag not kept either


@pytest.mark.parametrize("story, outcome", [
    # a redirect to a private address is refused
    (Route(status=302, headers={"Location": "http://10.0.0.1/story"}), "refused"),
    # a consent banner is no article
    (Route(body=page("Shelling in Idlib", [
        "We use cookies to give you the best experience on our website. By clicking Accept, you agree to the "
        "storing of cookies on your device.", "Accept all cookies"]), content_type="text/html"), "wall"),
])
def test_a_page_that_is_refused_or_a_wall_falls_back_to_the_summary_and_is_counted(server, store, story, outcome):
    server.route("/en.xml", Route(body=rss("Wire", [
        {"title": "Shelling in Idlib", "link": server.url("/story"), "summary": "Shelling hit Ariha.",
         "published": T0}])))
    server.route("/story", story)
    feed = FeedConfig(name="wire", url=server.url("/en.xml"), full_text="always")
    sink = ListSink()
    poller = make_poller(server, store, [feed], sink)
    run(poller, feed)
    assert [a.body for a in sink.delivered] == ["Shelling hit Ariha."]
    assert poller.metrics.value("wire", outcome) == 1


def test_errors_back_off_exponentially_and_honour_retry_after(server, store):
    server.route("/down.xml", Route(status=500, body=b"oops", content_type="text/plain"))
    server.route("/busy.xml", Route(status=429, headers={"Retry-After": "900"}))
    server.route("/notafeed.xml", Route(body=b"<html><body>maintenance</body></html>",
                                        content_type="application/xml"))
    down = FeedConfig(name="down", url=server.url("/down.xml"), interval_s=10)
    busy = FeedConfig(name="busy", url=server.url("/busy.xml"), interval_s=10)
    junk = FeedConfig(name="junk", url=server.url("/notafeed.xml"), interval_s=10)
    poller = make_poller(server, store, [down, busy, junk], ListSink(), jitter=0.1)
    delays = run(poller, down, 4)
    # 2x, 4x, 8x, 16x the interval, each within the jitter
    for n, d in enumerate(delays, 1):
        assert 10 * 2 ** n * 0.9 <= d <= 10 * 2 ** n * 1.1
    assert poller.metrics.value("down", "error") == 4
    assert 900 <= run(poller, busy)[0] <= 1000
    assert run(poller, junk)[0] >= 18 and poller.metrics.value("junk", "error") == 1
    # a good poll resets the count
    server.route("/down.xml", Route(body=rss("Back", [])))
    assert 9 <= run(poller, down)[0] <= 11


def test_raqib_feeds_shows_what_would_be_published_and_records_nothing(server, store, tmp_path):
    import json
    import os
    import subprocess
    import sys

    server.route("/ar.xml", Route(body=arabic_feed(server), content_type="application/rss+xml"))
    server.route("/ar/1.html", Route(body=page("غارة على مستودع ذخيرة قرب البوكمال", AR_PAGE),
                                     content_type="text/html; charset=utf-8"))
    feeds = tmp_path / "feeds.yaml"
    feeds.write_text(f"- {{name: sy-news, url: '{server.url('/ar.xml')}', language: ar}}\n", encoding="utf-8")
    env = {**os.environ, "RAQIB_INGEST__ALLOW_HOSTS": json.dumps([f"127.0.0.1:{server.port}"]),
           "RAQIB_REDIS__URL": "redis://127.0.0.1:1/0"}  # nothing may be recorded: no Redis at all
    cli = [sys.executable, "-m", "services.cli", "feeds"]
    out = subprocess.run([*cli, str(feeds), "--json"], env=env, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    [article] = [json.loads(line) for line in out.stdout.splitlines()]
    assert article["source"] == "sy-news" and "مقتل أربعة عناصر" in article["body"]
    feeds.write_text("- {name: x, url: 'gopher://x/'}\n", encoding="utf-8")
    bad = subprocess.run([*cli, str(feeds)], env=env, capture_output=True, text=True, timeout=60)
    assert bad.returncode == 2
    assert bad.stderr.strip().splitlines() == [
        f"raqib: error: {feeds}: feeds.0.url: Value error, must be an http or https URL"]
