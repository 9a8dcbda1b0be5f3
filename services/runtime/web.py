"""A worker's own HTTP port: ``/health``, ``/metrics`` (Prometheus) and service routes.

Faust's web server stays off (its ``/table`` views would expose state); this
small aiohttp server runs inside the worker as a Faust task when
``RAQIB_WEB_PORT`` is set, bound to ``RAQIB_WEB_HOST``.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence

import faust
from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, generate_latest

from services.runtime.settings import Settings

logger = logging.getLogger(__name__)


def web_app(service: str, routes: Sequence[web.RouteDef] = (), max_body: int = 1024 * 1024) -> web.Application:
    async def health(_request: web.Request) -> web.Response:
        return web.json_response({"status": "ok", "service": service})

    async def metrics(_request: web.Request) -> web.Response:
        return web.Response(body=generate_latest(REGISTRY), headers={"Content-Type": CONTENT_TYPE_LATEST})

    app = web.Application(client_max_size=max_body)
    app.add_routes([web.get("/health", health), web.get("/metrics", metrics), *routes])
    return app


def attach_web(app: faust.App, settings: Settings, service: str) -> None:
    """Serve the worker's web port for as long as the Faust app runs (nothing if port 0).
    A service adds its own routes to ``app.raqib_routes`` (and may raise
    ``app.raqib_max_body``) before the app starts."""
    app.raqib_routes = []
    app.raqib_max_body = 1024 * 1024
    if settings.web_port <= 0:
        return

    @app.task
    async def serve_web() -> None:
        runner = web.AppRunner(web_app(service, app.raqib_routes, app.raqib_max_body), access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, settings.web_host, settings.web_port)
        await site.start()
        logger.info("%s: web port on http://%s:%d", service, settings.web_host, settings.web_port)
        try:
            await asyncio.Event().wait()
        finally:
            await runner.cleanup()
