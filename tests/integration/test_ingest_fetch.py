"""The fetcher against a real HTTP server in the test process: limits, redirects, address policy."""

from __future__ import annotations

import asyncio
import email.utils
import time

import pytest

from services.ingest.fetch import Fetcher, FetchError
from services.ingest.safety import Refused
from services.runtime.settings import IngestSettings
from tests.feedserver import FeedServer, Route, page, rss, serve


@pytest.fixture
def server():
    yield from serve()


def settings_for(server: FeedServer, **overrides) -> IngestSettings:
    base = dict(allow_hosts=[f"127.0.0.1:{server.port}"], connect_timeout_s=2.0, read_timeout_s=1.0,
                total_timeout_s=5.0, max_body_bytes=256 * 1024, max_redirects=3)
    return IngestSettings(**{**base, **overrides})


def fetch(settings: IngestSettings, url: str, kind: str = "feed", resolve=None, **kw):
    async def go():
        fetcher = Fetcher(settings, resolve) if resolve else Fetcher(settings)
        async with fetcher:
            return await fetcher.get(url, kind, **kw)
    return asyncio.run(go())


FEED = rss("Wire", [{"title": "Strike reported", "link": "https://example.org/a/1",
                     "summary": "Aircraft struck a depot."}])


def test_conditional_get_answers_304_with_the_etag(server):
    server.route("/feed.xml", Route(body=FEED, etag=True))
    first = fetch(settings_for(server), server.url("/feed.xml"))
    assert first.status == 200 and first.body == FEED and first.etag
    second = fetch(settings_for(server), server.url("/feed.xml"), etag=first.etag)
    assert second.status == 304 and second.body == b""
    assert server.hits("/feed.xml")[1].headers.get("If-None-Match") == first.etag


def test_server_errors_and_retry_after(server):
    server.route("/broken.xml", Route(status=500, body=b"oops", content_type="text/plain"))
    server.route("/busy.xml", Route(status=429, headers={"Retry-After": "7"}))
    later = email.utils.formatdate(time.time() + 120, usegmt=True)
    server.route("/down.xml", Route(status=503, headers={"Retry-After": later}))
    with pytest.raises(FetchError, match="HTTP 500") as e500:
        fetch(settings_for(server), server.url("/broken.xml"))
    assert e500.value.status == 500 and e500.value.retry_after is None
    with pytest.raises(FetchError) as e429:
        fetch(settings_for(server), server.url("/busy.xml"))
    assert e429.value.status == 429 and e429.value.retry_after == 7
    with pytest.raises(FetchError) as e503:
        fetch(settings_for(server), server.url("/down.xml"))
    assert 100 < e503.value.retry_after <= 121


def test_slow_response_times_out(server):
    server.route("/slow.xml", Route(body=FEED, delay_s=2.5))
    with pytest.raises(FetchError, match="timed out"):
        fetch(settings_for(server, read_timeout_s=0.5, total_timeout_s=1.0), server.url("/slow.xml"))


def test_oversized_bodies_are_refused(server):
    server.route("/big.html", Route(content_type="text/html", stream_bytes=2 * 1024 * 1024))
    server.route("/declared.html", Route(content_type="text/html", body=b"x" * (300 * 1024)))
    with pytest.raises(Refused, match="over the 262144-byte limit"):
        fetch(settings_for(server), server.url("/big.html"), "page")
    with pytest.raises(Refused, match="307200 bytes is over"):
        fetch(settings_for(server), server.url("/declared.html"), "page")


@pytest.mark.parametrize("location, reason", [
    ("http://127.0.0.1:9/admin", "loopback address 127.0.0.1"),
    ("http://10.0.0.1/internal", "private address 10.0.0.1"),
    ("http://169.254.169.254/latest/meta-data/", "cloud metadata address 169.254.169.254"),
    ("http://[::1]:8080/", "loopback address ::1"),
    ("http://[::ffff:10.1.2.3]/", "private address 10.1.2.3"),
    ("file:///etc/passwd", "scheme 'file' not allowed"),
    ("gopher://127.0.0.1:6379/_INFO", "scheme 'gopher' not allowed"),
    ("http://user:pw@example.org/", "URL carries credentials"),
])
def test_redirects_into_the_network_are_refused(server, location, reason):
    server.route("/trap.xml", Route(status=302, headers={"Location": location}))
    with pytest.raises(Refused, match=reason.replace("[", r"\[").replace("(", r"\(")):
        fetch(settings_for(server), server.url("/trap.xml"))
    assert len(server.requests) == 1  # nothing was requested after the refusal


def test_redirect_limit(server):
    server.route("/r1", Route(status=301, headers={"Location": "/r2"}))
    server.route("/r2", Route(status=301, headers={"Location": "/r1"}))
    server.route("/hop", Route(status=307, headers={"Location": "/feed.xml"}))
    server.route("/feed.xml", Route(body=FEED))
    with pytest.raises(Refused, match="more than 3 redirects"):
        fetch(settings_for(server), server.url("/r1"))
    assert len(server.hits("/r1")) + len(server.hits("/r2")) == 4
    assert fetch(settings_for(server), server.url("/hop")).url == server.url("/feed.xml")


def test_names_are_checked_after_resolution_and_pinned(server):
    """A public-looking name that resolves to loopback is refused unless the name is allow-listed;
    when it is, the connection goes to exactly the checked address."""
    server.route("/feed.xml", Route(body=FEED))
    asked = []

    async def resolve(host, port):
        asked.append(host)
        return {"news.example.test": ["127.0.0.1"], "mixed.example.test": ["93.184.216.34", "10.9.8.7"]}[host]

    url = f"http://news.example.test:{server.port}/feed.xml"
    with pytest.raises(Refused, match=r"loopback address 127.0.0.1 \(news.example.test resolves to it\)"):
        fetch(settings_for(server), url, resolve=resolve)
    with pytest.raises(Refused, match="private address 10.9.8.7"):
        fetch(settings_for(server), "http://mixed.example.test/feed.xml", resolve=resolve)
    assert server.requests == []
    allowed = settings_for(server, allow_hosts=[f"news.example.test:{server.port}"])
    assert fetch(allowed, url, resolve=resolve).body == FEED
    assert asked == ["news.example.test", "mixed.example.test", "news.example.test"]


def test_allow_listed_network(server):
    server.route("/feed.xml", Route(body=FEED))
    with pytest.raises(Refused):
        fetch(settings_for(server, allow_hosts=[]), server.url("/feed.xml"))
    assert fetch(settings_for(server, allow_hosts=[], allow_networks=["127.0.0.0/8"]),
                 server.url("/feed.xml")).status == 200


def test_content_types_are_checked(server):
    server.route("/feed.xml", Route(body=FEED))
    server.route("/image.png", Route(body=b"\x89PNG", content_type="image/png"))
    server.route("/story.html", Route(body=page("Story", ["Text."]), content_type="text/html; charset=utf-8"))
    with pytest.raises(Refused, match="'application/rss\\+xml' is not a page"):
        fetch(settings_for(server), server.url("/feed.xml"), "page")
    with pytest.raises(Refused, match="'image/png' is not a feed"):
        fetch(settings_for(server), server.url("/image.png"))
    with pytest.raises(Refused, match="'text/html' is not a feed"):
        fetch(settings_for(server), server.url("/story.html"))
    assert fetch(settings_for(server), server.url("/story.html"), "page").status == 200


def test_per_host_concurrency_limit(server):
    server.route("/slow.xml", Route(body=FEED, delay_s=0.4))

    async def three():
        async with Fetcher(settings_for(server, per_host_concurrency=1)) as fetcher:
            await asyncio.gather(*(fetcher.get(server.url("/slow.xml"), "feed") for _ in range(3)))

    asyncio.run(three())
    arrivals = [r.at for r in server.hits("/slow.xml")]
    assert len(arrivals) == 3
    # one at a time: each request arrives after the previous one was answered
    assert all(b - a >= 0.35 for a, b in zip(arrivals, arrivals[1:], strict=False))
