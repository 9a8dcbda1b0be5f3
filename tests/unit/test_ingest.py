"""Ingest cores: address policy, feed configuration, feed and page parsing, push bodies."""

from __future__ import annotations

import datetime as dt
import ipaddress
import json

import pytest

from services.ingest.feeds import clean_text, html_to_text, load_feeds, parse_feed
from services.ingest.fetch import content_type_ok, retry_after_s
from services.ingest.push import PushError, parse_push
from services.ingest.safety import Policy, Refused, address_class
from services.runtime.errors import ConfigError, InputError
from services.runtime.settings import load_settings
from tests.feedserver import atom, page, rss

T0 = dt.datetime(2026, 11, 20, 6, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize("address, kind", [
    ("127.0.0.1", "loopback"), ("127.8.9.10", "loopback"), ("::1", "loopback"),
    ("10.0.0.1", "private"), ("172.16.5.4", "private"), ("192.168.1.1", "private"), ("fd12::1", "private"),
    ("169.254.169.254", "cloud metadata"), ("fd00:ec2::254", "cloud metadata"),
    ("169.254.10.10", "link-local"), ("fe80::1", "link-local"),
    ("0.0.0.0", "unspecified"), ("224.0.0.251", "multicast"), ("100.64.1.1", "non-public"),
    ("::ffff:127.0.0.1", "loopback"), ("::ffff:192.168.0.1", "private"),
    ("93.184.216.34", None), ("2606:4700::1111", None), ("8.8.8.8", None),
])
def test_address_classes(address, kind):
    assert address_class(ipaddress.ip_address(address)) == kind


def test_policy_targets_and_allow_lists():
    policy = Policy.build(["intranet.local", "127.0.0.1:8080"], ["10.20.0.0/16"])
    for url, reason in [("ftp://example.org/f", "scheme 'ftp'"), ("javascript:alert(1)", "scheme 'javascript'"),
                        ("http:///nohost", "no host"), ("https://a:b@example.org/", "credentials"),
                        ("http://example.org:99999/", "malformed")]:
        with pytest.raises(Refused, match=reason):
            policy.target(url)
    t = policy.target("HTTPS://News.Example.ORG./feed")
    assert (t.scheme, t.host, t.port) == ("https", "news.example.org", 443)
    ip = ipaddress.ip_address
    policy.check_address(policy.target("http://intranet.local/rss"), ip("192.168.3.3"))  # allowed by name
    policy.check_address(policy.target("http://127.0.0.1:8080/"), ip("127.0.0.1"))  # by host:port
    policy.check_address(policy.target("http://feeds.corp/"), ip("10.20.1.2"))  # by network
    policy.check_address(policy.target("http://feeds.corp/"), ip("::ffff:10.20.1.2"))
    with pytest.raises(Refused, match="loopback address 127.0.0.1 not allowed"):
        policy.check_address(policy.target("http://127.0.0.1:8081/"), ip("127.0.0.1"))  # other port
    with pytest.raises(Refused, match=r"private address 10.30.0.1 \(feeds.corp resolves to it\)"):
        policy.check_address(policy.target("http://feeds.corp/"), ip("10.30.0.1"))
    with pytest.raises(Refused, match="resolves to no address"):
        policy.check_addresses(policy.target("http://feeds.corp/"), [])


def test_settings_reject_a_bad_network_and_a_short_token(monkeypatch):
    monkeypatch.setenv("RAQIB_INGEST__ALLOW_NETWORKS", '["10.0.0.0/8", "intranet"]')
    with pytest.raises(ConfigError, match="RAQIB_INGEST__ALLOW_NETWORKS.*not a CIDR network: 'intranet'"):
        load_settings()
    monkeypatch.delenv("RAQIB_INGEST__ALLOW_NETWORKS")
    monkeypatch.setenv("RAQIB_INGEST__PUSH_TOKEN", "short")
    with pytest.raises(ConfigError, match="RAQIB_INGEST__PUSH_TOKEN"):
        load_settings()


def test_retry_after_and_content_types():
    now = dt.datetime(2026, 11, 20, 12, 0, tzinfo=dt.UTC)
    assert retry_after_s("120") == 120
    assert retry_after_s("Fri, 20 Nov 2026 12:05:00 GMT", now) == 300
    assert retry_after_s("Fri, 20 Nov 2026 11:00:00 GMT", now) == 0
    assert retry_after_s("soon") is None and retry_after_s(None) is None
    assert content_type_ok("feed", "application/rss+xml; charset=utf-8")
    assert content_type_ok("feed", "text/xml") and content_type_ok("feed", "")
    assert not content_type_ok("feed", "text/html") and not content_type_ok("feed", "image/jpeg")
    assert content_type_ok("page", "text/html; charset=windows-1256")
    assert not content_type_ok("page", "application/pdf")


# ---------------------------------------------------------------------- config


def write(tmp_path, text):
    p = tmp_path / "feeds.yaml"
    p.write_text(text, encoding="utf-8")
    return p


def test_feeds_file(tmp_path):
    feeds = load_feeds(write(tmp_path, """
feeds:
  - name: Al Jazeera Arabic
    url: https://www.aljazeera.net/aljazeerarss/a7c186be-1baa-4bd4-9d80-a84db769f779/73d0e1b4-532f-45ef-b135-bfdff8b8cab9
    language: ar
    interval_s: 120
  - {name: Reuters World, url: "https://example.org/world.rss", language: en, full_text: true}
  - {name: Paused, url: "https://example.org/p.rss", enabled: false}
"""))
    assert [(f.name, f.language, f.interval_s, f.full_text) for f in feeds] == [
        ("Al Jazeera Arabic", "ar", 120, "auto"), ("Reuters World", "en", None, "always")]


@pytest.mark.parametrize("text, message", [
    ("feeds: [{name: a, url: 'ftp://x/y'}]", r"feeds.0.url: Value error, must be an http or https URL"),
    ("feeds: [{name: a}]", "feeds.0.url: Field required"),
    ("feeds: [{name: a, url: 'https://x/1', language: fr}]", "feeds.0.language"),
    ("feeds: [{name: a, url: 'https://x/1', interval_s: 0}]", "feeds.0.interval_s"),
    ("feeds: [{name: a, url: 'https://x/1', colour: red}]", "feeds.0.colour: Extra inputs"),
    ("feeds: [{name: a, url: 'https://x/1'}, {name: a, url: 'https://x/2'}]", "two feeds have the name 'a'"),
    ("feeds: []", "feeds: List should have at least 1 item"),
    ("feeds: [unclosed", "cannot read feeds"),
])
def test_feeds_file_errors_name_the_entry(tmp_path, text, message):
    with pytest.raises(InputError, match=message):
        load_feeds(write(tmp_path, text))


# ---------------------------------------------------------------------- parsing


def test_rss2_arabic_with_a_charset_only_in_the_http_header():
    body = rss("أخبار", [{"title": "&#x202B;غارة جوية&#x202C; على \u200fالبوكمال", "link": "https://ar.example/1",
                          "guid": "ar-1", "summary": "<p>قال مصدر <b>عسكري</b></p><p>سطر&nbsp;ثان</p>",
                          "published": T0}], encoding="windows-1256")
    body = body.replace(b'encoding="windows-1256"', b"")  # the server alone names the charset
    feed = parse_feed(body, {"Content-Type": "application/rss+xml; charset=windows-1256"})
    [item] = feed.items
    assert feed.title == "أخبار"
    assert item.title == "غارة جوية على البوكمال"
    assert item.text == "قال مصدر عسكري\nسطر ثان"
    assert (item.guid, item.link, item.published_at, item.has_content) == ("ar-1", "https://ar.example/1", T0, False)


def test_atom_rss1_and_rss091():
    entry = {"title": "Strike on depot", "link": "https://en.example/1", "id": "urn:1", "published": T0,
             "summary": "Short.", "content": "<p>Full text.</p><script>alert(1)</script>"}
    [a] = parse_feed(atom("Wire", [entry])).items
    assert (a.title, a.text, a.has_content, a.guid, a.published_at) == ("Strike on depot", "Full text.", True,
                                                                       "urn:1", T0)
    rss1 = b"""<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
      xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
      <channel rdf:about="https://x/"><title>R1</title><link>https://x/</link><description>d</description></channel>
      <item rdf:about="https://x/1"><title>Clashes</title><link>https://x/1</link>
      <description>Clashes near Idlib.</description><dc:date>2026-11-20T06:00:00Z</dc:date></item></rdf:RDF>"""
    [b] = parse_feed(rss1).items
    assert (b.title, b.link, b.text, b.published_at) == ("Clashes", "https://x/1", "Clashes near Idlib.", T0)
    rss091 = b"""<?xml version="1.0"?><rss version="0.91"><channel><title>Old</title><link>https://o/</link>
      <description>d</description><item><title>Truce holds</title><link>https://o/1</link>
      <description>The truce held overnight.</description></item></channel></rss>"""
    [c] = parse_feed(rss091).items
    assert (c.title, c.guid, c.published_at) == ("Truce holds", None, None)


def test_not_a_feed_and_broken_feeds():
    with pytest.raises(ValueError, match="not an RSS or Atom feed"):
        parse_feed(b"<html><body>Service unavailable</body></html>")
    broken = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>
      <item><title>One & two</title><link>https://b/1</link><description>x</description></item>"""
    feed = parse_feed(broken)  # unescaped & and no closing tags: read what can be read
    assert [i.link for i in feed.items] == ["https://b/1"] and feed.warning


def test_text_cleaning():
    assert clean_text("a\u200f b\x00c\u2067d\u2069\r\n\n\n e\ufeff") == "a b cd\n\ne"
    assert html_to_text("5 &gt; 3 &amp; ok") == "5 > 3 & ok"
    assert html_to_text("<div>One<br>Two<style>p{}</style></div>") == "One\nTwo"


def test_page_extraction():
    from services.ingest.feeds import extract_page
    html = page("Strike hits depot", ["Aircraft struck an arms depot near Abu Kamal on Thursday, killing "
                                      "four fighters, a war monitor said. " * 3,
                                      "The monitor said the aircraft were probably American."],
                published=dt.datetime(2026, 11, 20, 8, 15, tzinfo=dt.UTC), author="Jane Roe")
    p = extract_page(html, "https://en.example/story")
    assert p.title == "Strike hits depot" and p.author == "Jane Roe"
    assert p.published_at == dt.datetime(2026, 11, 20, 8, 15, tzinfo=dt.UTC)
    assert p.text.startswith("Aircraft struck") and "Cookies" not in p.text and "Home" not in p.text
    assert extract_page(b"<html><body></body></html>", "https://x/") is None


# ---------------------------------------------------------------------- push


def test_push_bodies():
    art = {"id": "a1", "url": "https://x/1", "source": "x", "body": "Text.", "published_at": "2026-11-20T06:00:00Z"}
    assert [a.id for a in parse_push(json.dumps(art).encode(), 10)] == ["a1"]
    assert len(parse_push(json.dumps([art, {**art, "id": "a2"}]).encode(), 10)) == 2
    assert len(parse_push(json.dumps({"articles": [art]}).encode(), 10)) == 1
    for body, status, reason in [
        (b"\xff\xfe", 400, "not UTF-8"), (b"{", 400, "not JSON"), (b"[]", 422, "no articles"),
        (json.dumps([art] * 11).encode(), 413, "at most 10"),
        (json.dumps([art, 5]).encode(), 422, "1 of 2 articles are invalid"),
        (json.dumps({**art, "published_at": "yesterday"}).encode(), 422, "1 of 1"),
    ]:
        with pytest.raises(PushError, match=reason) as e:
            parse_push(body, 10)
        assert e.value.status == status
    with pytest.raises(PushError) as e:
        parse_push(json.dumps([art, {**art, "published_at": "2026-11-20T06:00:00"}]).encode(), 10)
    assert e.value.details == [{"index": 1, "id": "a1", "error": "published_at: Input should have timezone info"}]


def test_the_example_feeds_file_loads():
    from pathlib import Path
    feeds = load_feeds(Path(__file__).parents[2] / "deploy" / "feeds.example.yaml")
    assert {f.language for f in feeds} == {"ar", "en"}
