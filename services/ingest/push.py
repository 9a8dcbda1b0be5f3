"""HTTP push: ``POST /articles`` with one JSON article, a JSON array, or ``{"articles": [...]}``.

Bearer-token protected (``RAQIB_INGEST__PUSH_TOKEN``; unset, push is off).
A batch is all or nothing: if any article is invalid the answer is 422 with
the reason for each bad one, and nothing is published. Answers:

* 202 ``{"accepted": [...ids], "duplicates": [...ids]}`` once the articles are
  delivered to the broker (a client that sees an error may safely retry:
  a re-push of a delivered article is a duplicate, not a second article);
* 400 not JSON or not UTF-8, 401 no or wrong token, 403 push off,
  413 body or batch too large, 415 not ``application/json``, 422 invalid.
"""

from __future__ import annotations

import hmac
import json
import logging
from collections.abc import Awaitable, Callable, Sequence

from aiohttp import web
from prometheus_client import Counter
from pydantic import ValidationError

from schemas import RAW, ArticleIn
from services.ingest.core import IngestCore
from services.runtime.errors import SkipMessage
from services.runtime.settings import IngestSettings
from services.runtime.stage import TRANSIENT_ERRORS, Output

logger = logging.getLogger(__name__)

PUSH_REQUESTS = Counter("raqib_ingest_push_requests", "HTTP push requests by answer status", ["status"])
PUSH_ARTICLES = Counter("raqib_ingest_push_articles", "Pushed articles", ["outcome"])  # accepted, duplicate

Send = Callable[[Sequence[Output]], Awaitable[None]]
Flush = Callable[[], Awaitable[None]]


class PushError(Exception):
    def __init__(self, status: int, reason: str, details: list | None = None) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason
        self.details = details or []


def parse_push(body: bytes, max_articles: int) -> list[ArticleIn]:
    """The articles of a push body, or PushError with the status and reasons."""
    try:
        data = json.loads(body.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise PushError(400, f"body is not UTF-8: {exc}") from exc
    except json.JSONDecodeError as exc:
        raise PushError(400, f"body is not JSON: {exc}") from exc
    if isinstance(data, dict) and "articles" in data:
        data = data["articles"]
    items = data if isinstance(data, list) else [data]
    if not items:
        raise PushError(422, "no articles")
    if len(items) > max_articles:
        raise PushError(413, f"{len(items)} articles in one push; at most {max_articles}")
    articles, problems = [], []
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            problems.append({"index": index, "error": f"expected a JSON object, got {type(item).__name__}"})
            continue
        try:
            articles.append(ArticleIn.model_validate(item))
        except ValidationError as exc:
            err = exc.errors()[0]
            loc = ".".join(str(p) for p in err["loc"]) or "<root>"
            problems.append({"index": index, "id": item.get("id"), "error": f"{loc}: {err['msg']}"})
    if problems:
        raise PushError(422, f"{len(problems)} of {len(items)} articles are invalid; none was accepted",
                        problems)
    return articles


def push_route(settings: IngestSettings, core: IngestCore, send: Send, flush: Flush) -> web.RouteDef:
    token = settings.push_token.get_secret_value().encode() if settings.push_token else None

    def refuse(status: int, reason: str, details: list | None = None) -> web.Response:
        logger.warning("push refused (%d): %s", status, reason)
        PUSH_REQUESTS.labels(status=str(status)).inc()
        return web.json_response({"error": reason, "details": details or []}, status=status)

    async def post_articles(request: web.Request) -> web.Response:
        if token is None:
            return refuse(403, "HTTP push is off: set RAQIB_INGEST__PUSH_TOKEN")
        scheme, _, given = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not hmac.compare_digest(given.strip().encode(), token):
            return refuse(401, "missing or wrong bearer token")
        if request.content_type != "application/json":
            return refuse(415, f"content type {request.content_type!r}; send application/json")
        if (request.content_length or 0) > settings.max_body_bytes:
            return refuse(413, f"body of {request.content_length} bytes; at most {settings.max_body_bytes}")
        try:
            body = await request.read()
        except web.HTTPRequestEntityTooLarge:
            return refuse(413, f"body over {settings.max_body_bytes} bytes")
        try:
            articles = parse_push(body, settings.push_max_articles)
        except PushError as exc:
            return refuse(exc.status, exc.reason, exc.details)
        try:
            accepted, duplicates = await _publish(core, articles, send, flush)
        except TRANSIENT_ERRORS as exc:
            return refuse(503, f"state store unavailable, retry later: {exc}")
        PUSH_REQUESTS.labels(status="202").inc()
        PUSH_ARTICLES.labels(outcome="accepted").inc(len(accepted))
        PUSH_ARTICLES.labels(outcome="duplicate").inc(len(duplicates))
        return web.json_response({"accepted": accepted, "duplicates": duplicates}, status=202)

    return web.post("/articles", post_articles)


async def _publish(core: IngestCore, articles: list[ArticleIn], send: Send, flush: Flush):
    claims = core.batch()
    accepted, duplicates = [], []
    for article in articles:
        try:
            accepted.append(claims.check(article).article)
        except SkipMessage:
            duplicates.append(article.id)
    await send([Output(RAW, a.article_id, a) for a in accepted])
    await flush()
    claims.commit()
    return [a.article_id for a in accepted], duplicates
