"""HTTP GET for feeds and article pages, inside the limits of :mod:`services.ingest.safety`.

One :class:`Fetcher` per worker (one aiohttp session). Each request:

* checks the URL and every address its host resolves to, then connects only to
  those addresses (a pinning resolver), on the first hop and on every redirect;
* follows at most ``max_redirects`` redirects itself;
* runs with connect, read and total timeouts and at most
  ``per_host_concurrency`` requests in flight per host;
* reads at most ``max_body_bytes`` (after decompression) and checks the
  content type for what it fetches (a feed or a page);
* sends conditional headers (ETag, Last-Modified) when given them.

Policy refusals raise :class:`~services.ingest.safety.Refused`; network and
HTTP errors raise :class:`FetchError` (with the status and any ``Retry-After``).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import email.utils
import socket
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Literal
from urllib.parse import urljoin

import aiohttp
from aiohttp.abc import AbstractResolver
from multidict import CIMultiDict

from services.ingest.safety import Policy, Refused, Target
from services.runtime.errors import RaqibError
from services.runtime.settings import IngestSettings

Kind = Literal["feed", "page"]
Resolve = Callable[[str, int], Awaitable[list[str]]]

_REDIRECTS = {301, 302, 303, 307, 308}
_FEED_TYPES = ("xml", "rss", "atom", "rdf", "text/plain", "application/octet-stream")
_PAGE_TYPES = ("text/html", "application/xhtml+xml")


class FetchError(RaqibError):
    """The request failed: no connection, a timeout, or an HTTP error status."""

    def __init__(self, message: str, status: int | None = None, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.retry_after = retry_after


@dataclass(frozen=True)
class Response:
    url: str  # after redirects
    status: int  # 200 or 304
    headers: Mapping[str, str]
    body: bytes

    @property
    def etag(self) -> str | None:
        return self.headers.get("ETag")

    @property
    def last_modified(self) -> str | None:
        return self.headers.get("Last-Modified")


def retry_after_s(value: str | None, now: dt.datetime | None = None) -> float | None:
    """``Retry-After`` in seconds (delta-seconds or an HTTP date), or None."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return max(0.0, (when - (now or dt.datetime.now(dt.UTC))).total_seconds())


def content_type_ok(kind: Kind, content_type: str) -> bool:
    ctype = content_type.split(";", 1)[0].strip().lower()
    if kind == "page":
        return ctype in _PAGE_TYPES
    return not ctype or any(t in ctype for t in _FEED_TYPES)


async def system_resolve(host: str, port: int) -> list[str]:
    infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(info[4][0] for info in infos))


class _PinnedResolver(AbstractResolver):
    """Hands aiohttp only the addresses the policy checked for this host."""

    def __init__(self) -> None:
        self.pinned: dict[tuple[str, int], list[str]] = {}

    async def resolve(self, host: str, port: int = 0, family: int = socket.AF_INET) -> list[dict]:
        addresses = self.pinned.get((host.lower().rstrip("."), port))
        if not addresses:
            raise OSError(f"{host}:{port} was not checked before connecting")
        return [{"hostname": host, "host": a, "port": port,
                 "family": socket.AF_INET6 if ":" in a else socket.AF_INET, "proto": 0,
                 "flags": socket.AI_NUMERICHOST} for a in addresses]

    async def close(self) -> None:
        return None


class Fetcher:
    def __init__(self, settings: IngestSettings, resolve: Resolve = system_resolve) -> None:
        self.settings = settings
        self.policy = Policy.build(settings.allow_hosts, settings.allow_networks)
        self._resolve = resolve
        self._resolver = _PinnedResolver()
        self._session: aiohttp.ClientSession | None = None
        self._per_host: dict[str, asyncio.Semaphore] = {}

    def _client(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            s = self.settings
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(resolver=self._resolver, use_dns_cache=False, limit=64),
                timeout=aiohttp.ClientTimeout(total=s.total_timeout_s, sock_connect=s.connect_timeout_s,
                                              sock_read=s.read_timeout_s),
                headers={"User-Agent": s.user_agent},
                auto_decompress=True,
            )
        return self._session

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()

    async def __aenter__(self) -> Fetcher:
        return self

    async def __aexit__(self, *exc) -> None:
        await self.close()

    async def _check(self, url: str) -> Target:
        target = self.policy.target(url)
        literal = target.literal
        if literal is not None:
            self.policy.check_address(target, literal)
            return target
        try:
            addresses = await self._resolve(target.host, target.port)
        except OSError as exc:
            raise FetchError(f"cannot resolve {target.host}: {exc}") from exc
        self.policy.check_addresses(target, addresses)
        self._resolver.pinned[(target.host, target.port)] = addresses
        return target

    async def get(self, url: str, kind: Kind, etag: str | None = None,
                  last_modified: str | None = None) -> Response:
        headers = {"Accept": "application/rss+xml, application/atom+xml, application/xml;q=0.9, */*;q=0.5"
                   if kind == "feed" else "text/html, application/xhtml+xml;q=0.9"}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        for _hop in range(self.settings.max_redirects + 1):
            target = await self._check(url)
            sem = self._per_host.setdefault(target.host, asyncio.Semaphore(self.settings.per_host_concurrency))
            async with sem:
                location, response = await self._request(target, kind, headers)
            if response is not None:
                return response
            url = urljoin(url, location)
        raise Refused(f"more than {self.settings.max_redirects} redirects from {url[:200]}")

    async def _request(self, target: Target, kind: Kind, headers: dict) -> tuple[str | None, Response | None]:
        """One hop: (redirect location, None) or (None, response)."""
        limit = self.settings.max_body_bytes
        try:
            async with self._client().get(target.url, headers=headers, allow_redirects=False) as r:
                if r.status in _REDIRECTS:
                    location = r.headers.get("Location")
                    if not location:
                        raise FetchError(f"HTTP {r.status} without Location from {target.url[:200]}", r.status)
                    return location, None
                if r.status == 304:
                    return None, Response(str(r.url), 304, CIMultiDict(r.headers), b"")
                if r.status >= 400 or r.status < 200:
                    raise FetchError(f"HTTP {r.status} from {target.url[:200]}", r.status,
                                     retry_after_s(r.headers.get("Retry-After")))
                ctype = r.headers.get("Content-Type", "")
                if not content_type_ok(kind, ctype):
                    raise Refused(f"content type {ctype.split(';')[0] or '(none)'!r} is not a {kind}: "
                                  f"{target.url[:200]}")
                if (r.content_length or 0) > limit:
                    raise Refused(f"body of {r.content_length} bytes is over the {limit}-byte limit: "
                                  f"{target.url[:200]}")
                body = bytearray()
                async for chunk in r.content.iter_chunked(64 * 1024):
                    body += chunk
                    if len(body) > limit:
                        raise Refused(f"body is over the {limit}-byte limit: {target.url[:200]}")
                return None, Response(str(r.url), r.status, CIMultiDict(r.headers), bytes(body))
        except TimeoutError as exc:
            raise FetchError(f"timed out fetching {target.url[:200]}") from exc
        except aiohttp.ClientError as exc:
            raise FetchError(f"{type(exc).__name__} fetching {target.url[:200]}: {exc}") from exc
