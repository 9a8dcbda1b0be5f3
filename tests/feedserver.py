"""A real HTTP server inside the test process, for ingest tests: feeds, pages, errors, traps.

Routes are set by the test (``server.route(path, Route(...))``) and may change
between polls; every request is recorded (path, headers, time).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import email.utils
import hashlib
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Route:
    status: int = 200
    body: bytes = b""
    content_type: str = "application/rss+xml; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    etag: bool = False  # answer 304 to a matching If-None-Match
    delay_s: float = 0.0  # wait before answering (a slow server)
    stream_bytes: int = 0  # send this many bytes with no Content-Length (an oversized page)


@dataclass
class Seen:
    path: str
    headers: dict[str, str]
    at: float


class FeedServer:
    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.requests: list[Seen] = []
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args) -> None:  # quiet
                return

            def do_GET(self) -> None:  # noqa: N802 - http.server's name
                with server._lock:
                    server.requests.append(Seen(self.path, dict(self.headers), time.monotonic()))
                    route = server.routes.get(self.path)
                if route is None:
                    self._send(404, b"not found", "text/plain", {})
                    return
                if route.delay_s:
                    time.sleep(route.delay_s)
                headers = dict(route.headers)
                if route.etag and route.status == 200:
                    tag = '"' + hashlib.sha1(route.body).hexdigest()[:16] + '"'
                    headers["ETag"] = tag
                    if self.headers.get("If-None-Match") == tag:
                        self._send(304, b"", None, headers)
                        return
                if route.stream_bytes:
                    self.send_response(route.status)
                    self.send_header("Content-Type", route.content_type)
                    self.send_header("Connection", "close")
                    self.end_headers()
                    chunk = b"<p>" + b"x" * 65530 + b"</p>"
                    sent = 0
                    try:
                        while sent < route.stream_bytes:
                            self.wfile.write(chunk)
                            sent += len(chunk)
                    except (BrokenPipeError, ConnectionResetError):
                        pass
                    self.close_connection = True
                    return
                self._send(route.status, route.body, route.content_type, headers)

            def _send(self, status: int, body: bytes, ctype: str | None, headers: dict[str, str]) -> None:
                self.send_response(status)
                if ctype:
                    self.send_header("Content-Type", ctype)
                for k, v in headers.items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if body:
                    with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                        self.wfile.write(body)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def route(self, path: str, route: Route) -> None:
        with self._lock:
            self.routes[path] = route

    def hits(self, path: str) -> list[Seen]:
        with self._lock:
            return [r for r in self.requests if r.path == path]

    def start(self) -> FeedServer:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def serve() -> Iterator[FeedServer]:
    server = FeedServer().start()
    try:
        yield server
    finally:
        server.stop()


# ---------------------------------------------------------------------- documents


def rfc822(when: dt.datetime) -> str:
    return email.utils.format_datetime(when)


def rss(title: str, items: list[dict], encoding: str = "utf-8") -> bytes:
    """RSS 2.0; each item: title, link, guid (optional), summary, published (datetime), content (optional)."""
    parts = [f'<?xml version="1.0" encoding="{encoding}"?>',
             '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>',
             f"<title>{title}</title><link>https://example.org/</link><description>test</description>"]
    for it in items:
        parts.append("<item>")
        parts.append(f"<title>{it['title']}</title><link>{it['link']}</link>")
        if it.get("guid"):
            parts.append(f'<guid isPermaLink="false">{it["guid"]}</guid>')
        parts.append(f"<description><![CDATA[{it.get('summary', '')}]]></description>")
        if it.get("content"):
            parts.append(f"<content:encoded><![CDATA[{it['content']}]]></content:encoded>")
        if it.get("published"):
            parts.append(f"<pubDate>{rfc822(it['published'])}</pubDate>")
        parts.append("</item>")
    parts.append("</channel></rss>")
    return "".join(parts).encode(encoding)


def atom(title: str, entries: list[dict]) -> bytes:
    """Atom 1.0; each entry: title, link, id, summary, published, content (optional)."""
    parts = ['<?xml version="1.0" encoding="utf-8"?>', '<feed xmlns="http://www.w3.org/2005/Atom">',
             f"<title>{title}</title><id>urn:test:{title}</id><updated>2026-11-20T00:00:00Z</updated>"]
    for e in entries:
        parts.append(f"<entry><title>{e['title']}</title><link href=\"{e['link']}\"/><id>{e['id']}</id>")
        parts.append(f"<updated>{e['published'].isoformat()}</updated>")
        parts.append(f"<published>{e['published'].isoformat()}</published>")
        parts.append(f"<summary type=\"html\"><![CDATA[{e.get('summary', '')}]]></summary>")
        if e.get("content"):
            parts.append(f"<content type=\"html\"><![CDATA[{e['content']}]]></content>")
        parts.append("</entry>")
    parts.append("</feed>")
    return "".join(parts).encode()


def page(title: str, paragraphs: list[str], published: dt.datetime | None = None,
         author: str | None = None) -> bytes:
    meta = ""
    if published:
        meta += f'<meta property="article:published_time" content="{published.isoformat()}">'
    if author:
        meta += f'<meta name="author" content="{author}">'
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (f"<!doctype html><html><head><meta charset=\"utf-8\"><title>{title}</title>{meta}</head>"
            f"<body><nav><a href=\"/\">Home</a> | <a href=\"/world\">World</a></nav>"
            f"<article><h1>{title}</h1>{body}</article>"
            f"<footer>Copyright. Cookies help us deliver our services.</footer></body></html>").encode()
