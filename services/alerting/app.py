"""Alerting service: news.events -> news.alerts (keyed by theatre country)."""

from __future__ import annotations

import faust

from schemas import ALERTS, EVENTS, EventReported
from services.alerting.core import AlertingCore
from services.runtime.bootstrap import redis_store
from services.runtime.settings import Settings
from services.runtime.stage import Handler, Output, Shell, make_app, pipe_agent
from services.runtime.store import Store

SERVICE = "alerting"


def bootstrap(settings: Settings, store: Store) -> Handler:
    core = AlertingCore(store, settings.alerting)

    def handle(report: EventReported) -> list[Output]:
        return [Output(ALERTS, a.theatre.country, a) for a in core.process(report)]

    return handle


def build_app(settings: Settings) -> faust.App:
    app = make_app(SERVICE, settings)
    pipe_agent(app, Shell(app, settings, SERVICE), EVENTS, bootstrap(settings, redis_store(settings)))
    return app
