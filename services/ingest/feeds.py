"""Feeds: the YAML configuration, feed documents into items, article pages into text.

Pure functions (no I/O beyond reading the config file): feedparser parses RSS
0.9x/1.0/2.0 and Atom from the bytes the fetcher read (never from a URL, which
would make feedparser fetch it itself), with the response headers so that a
charset declared only by the server (windows-1256 Arabic feeds) is honoured;
trafilatura extracts the main text and metadata of article pages.
"""

from __future__ import annotations

import calendar
import datetime as dt
import hashlib
import html
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import feedparser
import lxml.html
import trafilatura
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from services.runtime.errors import InputError

FullText = Literal["auto", "always", "never"]

# Bidi controls (LRM, RLM, ALM, embeddings, overrides, isolates), BOM and zero-width space.
_INVISIBLE = re.compile("[\u200b\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069\ufeff]")
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_BLOCK_TAGS = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "tr", "section",
               "article", "header", "footer", "pre", "figcaption"}


class FeedConfig(BaseModel):
    """One entry of the feeds file."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=200, description="the source name articles carry")
    url: str = Field(min_length=1, max_length=4096)
    language: Literal["ar", "en"] | None = Field(default=None, description="language hint")
    interval_s: float | None = Field(default=None, ge=1, le=86400, description="poll interval")
    full_text: FullText = Field(
        default="auto",
        description="fetch the article page: always, never, or auto (when the feed carries only a summary)",
    )
    enabled: bool = True

    @field_validator("full_text", mode="before")
    @classmethod
    def _bool_full_text(cls, value):
        if isinstance(value, bool):
            return "always" if value else "never"
        return value

    @field_validator("url")
    @classmethod
    def _http(cls, value: str) -> str:
        if not value.lower().startswith(("http://", "https://")):
            raise ValueError("must be an http or https URL")
        return value


class FeedsFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    feeds: list[FeedConfig] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique(self) -> FeedsFile:
        for attr in ("name", "url"):
            seen: set[str] = set()
            for feed in self.feeds:
                value = getattr(feed, attr)
                if value in seen:
                    raise ValueError(f"two feeds have the {attr} {value!r}")
                seen.add(value)
        return self


def load_feeds(path: Path) -> list[FeedConfig]:
    """The enabled feeds of a YAML file; any problem raises InputError naming the file and entry."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise InputError(f"{path}: cannot read feeds: {exc}") from exc
    if isinstance(data, list):
        data = {"feeds": data}
    try:
        feeds = FeedsFile.model_validate(data).feeds
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = ".".join(str(p) for p in err["loc"]) or "<root>"
        raise InputError(f"{path}: {loc}: {err['msg']}") from exc
    return [f for f in feeds if f.enabled]


# ---------------------------------------------------------------------- text


def clean_text(text: str) -> str:
    """NFC, no bidi or control characters, single spaces, at most one blank line."""
    text = unicodedata.normalize("NFC", text)
    text = _CONTROL.sub(" ", _INVISIBLE.sub("", text))
    lines = [" ".join(line.split()) for line in text.replace("\r", "\n").split("\n")]
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    return "\n".join(out).strip()


def html_to_text(fragment: str) -> str:
    """The text of an HTML fragment (a feed summary or content), paragraphs on their own lines."""
    if "<" not in fragment:
        return clean_text(html.unescape(fragment))
    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except (ValueError, lxml.etree.ParserError):
        return clean_text(html.unescape(re.sub(r"<[^>]*>", " ", fragment)))
    for bad in root.xpath("//script|//style|//noscript"):
        bad.drop_tree()
    for el in root.iter():
        if isinstance(el.tag, str) and el.tag.lower() in _BLOCK_TAGS:
            el.tail = "\n" + (el.tail or "")
    return clean_text(root.text_content())


# ---------------------------------------------------------------------- feeds


@dataclass(frozen=True)
class FeedItem:
    guid: str | None
    link: str | None
    title: str
    text: str  # plain text of the entry's content, else of its summary
    has_content: bool  # the feed carried full content, not only a summary
    published_at: dt.datetime | None
    author: str | None

    def signature(self) -> str:
        """What changes when the feed changes the story (not its place in the feed)."""
        return hashlib.sha1(f"{self.link}\n{self.title}\n{self.text}".encode()).hexdigest()


@dataclass(frozen=True)
class ParsedFeed:
    items: list[FeedItem]
    title: str | None
    warning: str | None  # feedparser's complaint about a feed it could still read


def _when(entry) -> dt.datetime | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        t = entry.get(key)
        if t:
            try:
                return dt.datetime.fromtimestamp(calendar.timegm(t), dt.UTC)
            except (OverflowError, ValueError):
                continue
    return None


def parse_feed(body: bytes, headers: Mapping[str, str] | None = None, base_url: str = "") -> ParsedFeed:
    """Items of an RSS or Atom document. Raises ValueError if it is not a feed at all."""
    response_headers = {k.lower(): v for k, v in (headers or {}).items()}
    if base_url:
        response_headers.setdefault("content-location", base_url)
    parsed = feedparser.parse(body, response_headers=response_headers, sanitize_html=True)
    if not parsed.entries and not parsed.get("version"):
        why = parsed.get("bozo_exception") or "no RSS or Atom root element"
        raise ValueError(f"not an RSS or Atom feed: {why}")
    items = []
    for entry in parsed.entries:
        content = entry.get("content") or []
        full = " ".join(c.get("value", "") for c in content if c.get("value"))
        summary = entry.get("summary", "") or entry.get("description", "")
        text = html_to_text(full or summary)
        link = entry.get("link") or None
        guid = entry.get("id") or None
        title = html_to_text(entry.get("title", ""))
        if not (link or guid) or not (title or text):
            continue
        items.append(FeedItem(guid=guid, link=link, title=title, text=text, has_content=bool(full),
                              published_at=_when(entry), author=entry.get("author") or None))
    warning = str(parsed.get("bozo_exception")) if parsed.get("bozo") else None
    return ParsedFeed(items, parsed.feed.get("title"), warning)


# ---------------------------------------------------------------------- pages


@dataclass(frozen=True)
class Page:
    text: str
    title: str | None
    author: str | None
    published_at: dt.datetime | None


def _page_time(value: str | None) -> dt.datetime | None:
    if not value:
        return None
    try:
        when = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    return when if when.tzinfo else when.replace(tzinfo=dt.UTC)


def extract_page(body: bytes, url: str) -> Page | None:
    """The main text and metadata of an article page (None if it has no main text)."""
    doc = trafilatura.bare_extraction(
        body, url=url, with_metadata=True, include_comments=False, include_tables=False,
        date_extraction_params={"extensive_search": True, "original_date": True,
                                "outputformat": "%Y-%m-%dT%H:%M:%S%z"},
    )
    if doc is None or not (doc.text or "").strip():
        return None
    title = clean_text(doc.title) if doc.title else None
    text = clean_text(doc.text)
    first, _, rest = text.partition("\n")
    if title and first == title and rest:
        text = rest  # the headline is the article's title, not its first paragraph
    return Page(text=text, title=title,
                author=doc.author or None, published_at=_page_time(doc.date))
