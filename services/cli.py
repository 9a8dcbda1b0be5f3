"""The `raqib` command. Names and JSON shapes are a contract: extend, don't rename."""

from __future__ import annotations

import datetime as dt
import json
import logging
import sys
import tempfile
import time
from logging.config import dictConfig as dict_config
from pathlib import Path
from typing import Annotated

import typer

from schemas import ArticleIngested, DecodeError, decode, json_schemas, write_json_schemas
from services.runtime.errors import InputError, RaqibError
from services.runtime.settings import Settings, load_settings

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Raqib: Arabic and English news into events, deduplicated, with escalation alerts.")
logger = logging.getLogger("raqib")

SERVICES = ("ingest", "extraction", "dedup", "alerting")


def configure_logging(level: str, fmt: str = "text") -> None:
    """Configure the root logger once, without clobbering handlers someone else set."""
    root = logging.getLogger()
    if not root.handlers:
        from services.runtime.logs import logging_config

        config = logging_config(level, fmt)
        if config:
            dict_config(config)
        else:
            logging.basicConfig(level=level, stream=sys.stderr,
                                format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    root.setLevel(level)
    for noisy in ("kafka", "aiokafka"):
        logging.getLogger(noisy).setLevel(max(logging.WARNING, root.level))


def _settings(warmup_until: dt.datetime | None = None) -> Settings:
    settings = load_settings()
    if warmup_until is not None:
        settings.alerting.warmup_until = _aware(warmup_until, "--warmup-until")
    configure_logging(settings.log_level, settings.log_format)
    return settings


def _aware(value: dt.datetime, option: str) -> dt.datetime:
    if value.tzinfo is None:
        raise InputError(f"{option} needs a UTC offset, e.g. 2023-10-27T06:00:00+03:00")
    return value


def _print_json(model) -> None:
    sys.stdout.write(model.model_dump_json() + "\n")
    sys.stdout.flush()


def _parse_time(text: str | None, option: str) -> dt.datetime | None:
    if text is None:
        return None
    try:
        return _aware(dt.datetime.fromisoformat(text), option)
    except ValueError as exc:
        raise InputError(f"{option}: not an ISO 8601 time: {text!r}") from exc


def _existing(path: Path) -> Path:
    if not path.is_file():
        raise InputError(f"no such file: {path}")
    return path


# --------------------------------------------------------------------------- commands


def _articles(path: Path):
    """The valid articles of a JSON lines file; each bad line is reported on stderr,
    and the command exits 1 once the good ones are done."""
    from services.ingest.jsonl import read_lines

    bad = 0
    for line in read_lines(_existing(path)):
        if line.article is None:
            bad += 1
            typer.echo(f"line {line.number}: {line.error}", err=True)
            continue
        yield line.article
    if bad:
        raise typer.Exit(1)


@app.command()
def broker(port: Annotated[int, typer.Option(help="port on 127.0.0.1")] = 9092) -> None:
    """Run the embedded Kafka-compatible broker for development (Ctrl-C stops it)."""
    from services.runtime.embedded import start_broker

    _settings()
    process = start_broker(port)
    typer.echo(f"broker ready on {process.address}  (export RAQIB_KAFKA__BOOTSTRAP_SERVERS={process.address})")
    try:
        process.proc.wait()
    except KeyboardInterrupt:
        pass
    finally:
        process.stop()


@app.command()
def worker(
    service: Annotated[str, typer.Argument(help="ingest | extraction | dedup | alerting")],
    jsonl: Annotated[Path | None, typer.Option(help="ingest: publish the articles of this file")] = None,
    rate: Annotated[float, typer.Option(help="ingest: articles per second from --jsonl (0: no limit)")] = 0.0,
    feeds: Annotated[Path | None, typer.Option(help="ingest: poll the feeds of this YAML file")] = None,
    warmup_until: Annotated[str | None, typer.Option(help="alerting: no alerts for events before this time")] = None,
) -> None:
    """Run one replica of a service (its own process and consumer group)."""
    if service not in SERVICES:
        raise InputError(f"unknown service {service!r}; choose one of {', '.join(SERVICES)}")
    settings = _settings(_parse_time(warmup_until, "--warmup-until"))
    from services.runtime.kafka import ensure_topics
    from services.runtime.stage import run_worker

    ensure_topics(settings.kafka)
    if service == "ingest":
        from services.ingest.app import build_app

        faust_app = build_app(settings, _existing(jsonl) if jsonl else None, rate,
                              _existing(feeds) if feeds else None)
    else:
        module = __import__(f"services.{service}.app", fromlist=["build_app"])
        faust_app = module.build_app(settings)
    run_worker(faust_app, settings)


@app.command()
def feeds(
    file: Annotated[Path, typer.Argument(help="feeds YAML (as for `raqib worker ingest --feeds`)")],
    as_json: Annotated[bool, typer.Option("--json", help="one JSON line per article instead of a table")] = False,
) -> None:
    """Check a feeds file: poll each feed once, with the worker's limits, and show what would be
    published. Publishes nothing and records nothing."""
    import asyncio

    from prometheus_client import CollectorRegistry
    from rich.console import Console
    from rich.table import Table

    from services.ingest.core import IngestCore
    from services.ingest.feeds import load_feeds
    from services.ingest.fetch import Fetcher
    from services.ingest.poller import OUTCOMES, FeedMetrics, FeedPoller
    from services.runtime.stage import utcnow
    from services.runtime.store import MemoryStore

    settings = _settings()
    feed_list = load_feeds(_existing(file))

    class Collect:
        def __init__(self) -> None:
            self.articles: list = []

        async def send(self, outputs) -> None:
            self.articles.extend(o.message for o in outputs)

        async def flush(self) -> None:
            return None

    store, sink = MemoryStore(), Collect()
    core = IngestCore(store, utcnow, 86400)
    metrics = FeedMetrics(CollectorRegistry())

    async def poll_all() -> None:
        async with Fetcher(settings.ingest) as fetcher:
            poller = FeedPoller(feed_list, settings.ingest, core, store, fetcher, sink, metrics)
            await asyncio.gather(*(poller.poll(f) for f in feed_list))

    asyncio.run(poll_all())
    failed = [f.name for f in feed_list
              if not metrics.value(f.name, "fetched") and not metrics.value(f.name, "not_modified")]
    if as_json:
        for article in sink.articles:
            _print_json(article)
    else:
        table = Table("feed", *OUTCOMES)
        for f in feed_list:
            table.add_row(f.name, *(str(int(metrics.value(f.name, o))) for o in OUTCOMES))
        console = Console()
        console.print(table)
        for article in sink.articles:
            console.print(f"[bold]{article.source}[/bold] {article.published_at:%Y-%m-%d %H:%M} "
                          f"{article.title[:90]} ({len(article.body)} chars)")
    if failed:
        raise InputError(f"{len(failed)} of {len(feed_list)} feeds could not be read: {', '.join(failed)}")


@app.command()
def topics() -> None:
    """Create every Raqib topic that is missing (RAQIB_KAFKA__PARTITIONS, __REPLICATION_FACTOR)
    and print their names; the Kubernetes topic Job runs this. Workers do it at start-up too."""
    from services.runtime.kafka import ensure_topics

    settings = _settings()
    for name in ensure_topics(settings.kafka):
        typer.echo(name)


@app.command()
def replay(
    file: Annotated[Path, typer.Argument(help="article JSON lines")],
    rate: Annotated[float, typer.Option(help="articles per second (0: as fast as possible)")] = 0.0,
) -> None:
    """Publish the articles of a JSON lines file to news.articles.raw (bad lines to news.dlq)."""
    from rich.progress import Progress

    from schemas import encode
    from services.ingest.app import REPLAY_BATCH, bootstrap, outputs_for_line
    from services.ingest.jsonl import read_lines
    from services.runtime.bootstrap import redis_store
    from services.runtime.kafka import ensure_topics, producer

    settings = _settings()
    _existing(file)
    ensure_topics(settings.kafka)
    claims = bootstrap(settings, redis_store(settings)).batch()
    prod = producer(settings.kafka)
    counts = {"published": 0, "dead_letters": 0, "skipped": 0}
    with open(file, "rb") as fh:
        total = sum(1 for line in fh if line.strip())
    with Progress(transient=True) as progress:
        task = progress.add_task("replaying", total=total)
        for line in read_lines(file):
            outputs = outputs_for_line(claims, line, f"file:{file.name}")
            if not outputs:
                counts["skipped"] += 1
            for out in outputs:
                prod.send(settings.kafka.topic(out.topic), key=out.key.encode() if out.key else None,
                          value=encode(out.message))
                counts["published" if out.topic == "news.articles.raw" else "dead_letters"] += 1
            progress.advance(task)
            if len(claims.pending) >= REPLAY_BATCH:
                prod.flush()  # delivered: now their URL claims are recorded
                claims.commit()
            if rate > 0:
                time.sleep(1.0 / rate)
    prod.flush()
    prod.close()
    claims.commit()
    typer.echo(json.dumps(counts))


@app.command()
def extract(
    file: Annotated[str | None, typer.Argument(help="article text file, or - for stdin")] = None,
    published: Annotated[str | None, typer.Option(help="publication time, ISO 8601 with offset")] = None,
    source: Annotated[str, typer.Option(help="source name")] = "cli",
    as_json: Annotated[bool, typer.Option("--json", help="print the ArticleEnriched JSON")] = False,
    jsonl: Annotated[Path | None, typer.Option(help="article JSON lines: one ArticleEnriched per line")] = None,
) -> None:
    """One article's text in, its enriched article (language, entities, events) out."""
    from services.extraction.core import Extractor
    from services.ingest.core import canonical_url

    _settings()
    extractor = Extractor()
    if jsonl is not None:
        for a in _articles(jsonl):
            art = ArticleIngested(article_id=a.id, url=a.url, canonical_url=canonical_url(a.url),
                                  source=a.source, title=a.title, body=a.body,
                                  published_at=a.published_at, language=a.language,
                                  ingested_at=a.published_at)
            _print_json(extractor.process(art))
        return
    if file is None:
        raise InputError("give a text file, - for stdin, or --jsonl FILE")
    text = sys.stdin.read() if file == "-" else _existing(Path(file)).read_text(encoding="utf-8")
    if not text.strip():
        raise InputError("the article text is empty")
    when = _parse_time(published, "--published") or dt.datetime.now(dt.UTC)
    art = ArticleIngested(article_id="cli", url=f"file://{file}", canonical_url=f"file://{file}",
                          source=source, body=text, published_at=when, ingested_at=when)
    enriched = extractor.process(art)
    if as_json:
        _print_json(enriched)
        return
    typer.echo(f"language: {enriched.language}; {len(enriched.events)} event(s)")
    for e in enriched.events:
        who = e.actor1.code if e.actor1 else "?"
        whom = e.actor2.code if e.actor2 else "?"
        where = f"{e.location.name} ({e.location.country})" if e.location else "?"
        typer.echo(f"- {e.category}/{e.mode} {who} -> {whom} at {where} on {e.occurred_on} "
                   f"killed={e.killed} injured={e.injured} weapons={','.join(e.weapons) or '-'} "
                   f"intensity={e.intensity}")


@app.command()
def dedup(
    jsonl: Annotated[Path, typer.Option(help="article JSON lines, in stream order")],
    shared: Annotated[bool, typer.Option(help="use the configured Redis (RAQIB_REDIS__URL), as the workers do, "
                                              "instead of a private in-memory state")] = False,
) -> None:
    """Article-level dedup over a stream: one JSON line per article (status, duplicate_of, similarity)."""
    from services.dedup.core import DedupCore
    from services.evaluate.dedup import article
    from services.ingest.core import canonical_url
    from services.runtime.bootstrap import redis_store
    from services.runtime.store import MemoryStore

    settings = _settings()
    core = DedupCore(redis_store(settings) if shared else MemoryStore(), settings.dedup)
    for a in _articles(jsonl):
        enriched = article(a.id, a.title, a.body, a.language or "und", a.published_at, a.source, a.url)
        enriched.canonical_url = canonical_url(a.url)
        typer.echo(json.dumps(core.verdict(enriched).to_json(a.id), ensure_ascii=False))


@app.command()
def pipeline(
    file: Annotated[Path, typer.Argument(help="article JSON lines, in timeline order")],
    as_json: Annotated[bool, typer.Option("--json", help="JSON lines (the default output is also JSON lines)")] = True,
    alerts_only: Annotated[bool, typer.Option(help="print only the alerts")] = False,
    warmup_until: Annotated[str | None, typer.Option(help="build state without alerting before this time")] = None,
) -> None:
    """Offline, in-process, deterministic: the four cores over a timeline; event reports and alerts as JSON lines."""
    from services.pipeline import Pipeline

    settings = _settings(_parse_time(warmup_until, "--warmup-until"))
    run = Pipeline(settings)
    for message in run.run_file(_existing(file)):
        if alerts_only and message.type != "alert":
            continue
        _print_json(message)
    for problem in run.stats.invalid:
        typer.echo(problem, err=True)
    if run.stats.invalid:
        raise typer.Exit(1)


@app.command()
def subscribe(
    min_severity: Annotated[int, typer.Option(min=1, max=5)] = 1,
    country: Annotated[str | None, typer.Option(help="ISO 3166 alpha-2 of the theatre")] = None,
    from_beginning: Annotated[bool, typer.Option(help="start from the oldest alert kept")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="one alert JSON per line")] = False,
    timeout: Annotated[float | None, typer.Option(help="stop after this many seconds")] = None,
) -> None:
    """Follow news.alerts."""
    from services.subscribe import AlertFilter, follow_alerts, format_alert

    if country is not None and not (len(country) == 2 and country.isascii() and country.isalpha()):
        raise InputError(f"--country: expected an ISO 3166 alpha-2 code such as SY, got {country!r}")
    settings = _settings()
    try:
        for alert in follow_alerts(settings.kafka, from_beginning, AlertFilter(min_severity, country),
                                   timeout_s=timeout):
            if as_json:
                _print_json(alert)
            else:
                typer.echo(format_alert(alert))
    except KeyboardInterrupt:
        pass


@app.command()
def demo(
    rate: Annotated[float, typer.Option(help="feed articles per second")] = 1.0,
    max_seconds: Annotated[float, typer.Option(help="give up after this long")] = 170.0,
    as_json: Annotated[bool, typer.Option("--json", help="print alerts as JSON lines")] = False,
) -> None:
    """Embedded broker + Redis + the four services + the bundled feed; prints alerts as they arrive."""
    from services.demo import run_demo, sample_feed
    from services.subscribe import format_alert

    settings = _settings()
    log_dir = Path(tempfile.mkdtemp(prefix="raqib-demo-"))
    typer.echo(f"raqib demo: starting broker/Redis if needed and four workers (logs in {log_dir})",
               err=True)

    def emit(alert) -> None:
        if as_json:
            _print_json(alert)
        else:
            typer.echo(format_alert(alert))

    try:
        got, expected = run_demo(settings, sample_feed(), rate, max_seconds, idle_seconds=20.0,
                                 emit=emit, log_dir=log_dir)
    except KeyboardInterrupt:
        typer.echo("interrupted; workers and infrastructure stopped", err=True)
        return
    typer.echo(f"raqib demo: {got} alert revision(s) received through Kafka; the offline pipeline "
               f"gives {expected} for the same feed", err=True)
    if got == 0:
        raise RaqibError(f"no alert arrived; see the worker logs in {log_dir}")


@app.command()
def schemas(
    write: Annotated[bool, typer.Option(help="regenerate schemas/json")] = False,
    check: Annotated[bool, typer.Option(help="exit 1 if schemas/json differs from the models")] = False,
) -> None:
    """Generate (or check) the JSON Schema files of every message."""
    from schemas.registry import JSON_DIR

    if write:
        for path in write_json_schemas():
            typer.echo(str(path))
        return
    stale = [name for name, text in json_schemas().items()
             if not (JSON_DIR / name).exists() or (JSON_DIR / name).read_text(encoding="utf-8") != text]
    if check and stale:
        raise RaqibError(f"schemas/json is stale ({', '.join(stale)}); run `make schemas`")
    typer.echo("schemas/json is up to date" if not stale else f"stale: {', '.join(stale)}")


@app.command()
def decode_message(
    topic: Annotated[str, typer.Argument(help="logical topic, e.g. news.alerts")],
    file: Annotated[str, typer.Argument(help="message file, or - for stdin")] = "-",
) -> None:
    """Validate one message against its topic's model (exit 1 with the reason if invalid)."""
    raw = sys.stdin.buffer.read() if file == "-" else _existing(Path(file)).read_bytes()
    try:
        _print_json(decode(topic, raw))
    except DecodeError as exc:
        raise RaqibError(str(exc)) from exc


@app.command()
def bench(
    stage: Annotated[str, typer.Argument(help="all (cores, then kafka), cores (bundled feed), kafka (the four "
                                              "services through the broker), extraction (3 KB articles) or "
                                              "dedup (against Redis)")] = "all",
    articles: Annotated[int, typer.Option(help="articles through each core, or the Kafka backlog")] = 0,
    rate: Annotated[float, typer.Option(help="kafka: articles per second of the latency run")] = 100.0,
    seconds: Annotated[float, typer.Option(help="kafka: length of the latency run")] = 60.0,
    pairs: Annotated[int, typer.Option(help="kafka: drain and ceiling runs, in turn; the ratio is of "
                                            "their medians", min=1)] = 3,
    out: Annotated[Path | None, typer.Option(help="write the figures as JSON here too")] = None,
    data: Annotated[Path, typer.Option(help="external data for the dedup stream (the bundled feed if absent)")]
    = Path("../shared/data/external"),
) -> None:
    """Throughput and latency: the cores in-process on one core; the four services through
    Kafka on fresh embedded brokers (figures, not assertions)."""
    from services.bench import core_throughput, dedup_throughput, extraction_throughput

    settings = _settings()
    stages = {"all": ("cores", "kafka"), "cores": ("cores",), "kafka": ("kafka",),
              "extraction": ("extraction",), "dedup": ("dedup",)}
    if stage not in stages:
        raise InputError(f"unknown bench stage {stage!r}: {', '.join(stages)}")
    figures: dict = {}
    if "dedup" in stages[stage]:
        from services.runtime.embedded import redis_or_embedded

        with redis_or_embedded(settings.redis.url) as url:
            row = figures["dedup"] = dedup_throughput(articles or 2000, url, data)
        typer.echo(f"dedup: {row['per_second']:.0f} articles/s over {row['articles']} articles of "
                   f"{row['avg_chars']:.0f} characters ({row['events_per_article']:.1f} events each), "
                   f"article and event level, in batches of {row['batch_size']} (chunks of {row['chunk_size']}), "
                   f"against Redis at {row['redis']}, {row['cpu_seconds'] * 1000:.0f} ms of this process's CPU; "
                   f"article level alone {row['article_level_per_second']:.0f} articles/s")
    if "extraction" in stages[stage]:
        row = figures["extraction"] = extraction_throughput(articles or 1000)
        typer.echo(f"extraction: {row['per_second']:.0f} articles/s over {row['articles']} articles of "
                   f"{row['avg_chars']:.0f} characters ({row['events_per_article']:.1f} events each); "
                   f"max RSS {row['max_rss_mb']:.0f} MB")
    if "cores" in stages[stage]:
        rows = figures["cores"] = core_throughput(articles or 2000)
        typer.echo("(a) cores, in-process, one core, bundled feed")
        typer.echo(f"{'stage':<12}{'articles':>10}{'seconds':>10}{'articles/s':>12}")
        for row in rows:
            typer.echo(f"{row['stage']:<12}{row['articles']:>10}{row['seconds']:>10.3f}{row['per_second']:>12.0f}")
    if "kafka" in stages[stage]:
        from services.bench_kafka import run_all
        from services.runtime.embedded import redis_or_embedded

        with redis_or_embedded(settings.redis.url) as url:
            figures["kafka"] = run_all(settings, url, articles or 60_000, rate, seconds, pairs=pairs)
        _print_kafka_bench(figures["kafka"])
    typer.echo(json.dumps({"bench": figures}))
    if out is not None:
        out.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")


def _print_kafka_bench(k: dict) -> None:
    typer.echo(f"through Kafka: {k['articles']['articles']} articles of {k['articles']['avg_bytes']:.0f} bytes, "
               f"{k['partitions']} partitions, fetch wait {k['fetch_max_wait_ms']} ms, {k['cpus']} CPUs; "
               f"a fresh embedded broker per run; logs in {k['logs']}")
    typer.echo(f"{'run':<34}{'arrived':>9}{'articles/s':>12}{'window s':>10}  cpu seconds")
    for i, pair in enumerate(k.get("pairs") or [k], 1):
        for name, row in ((f"(b) four services, backlog #{i}", pair["drain"]),
                          (f"(d) forward-only ceiling #{i}", pair["ceiling"])):
            cpu = ", ".join(f"{s} {v:.1f}" for s, v in row["cpu_seconds"].items())
            typer.echo(f"{name:<34}{row['arrived']:>9}{row['per_second']:>12.0f}{row['window_seconds']:>10.1f}  {cpu}")
        if pair.get("ratio") is not None:
            typer.echo(f"  ratio #{i}: {pair['ratio']:.2f}")
    ratio = k["ratio"]
    typer.echo(f"ratio (b)/(d), medians: {k['drain']['per_second']:.0f} / {k['ceiling']['per_second']:.0f} = "
               f"{ratio:.2f}" if ratio is not None else "ratio (b)/(d): n/a")
    title = f"(c) latency at {k['latency'][0]['rate']:g} articles/s"
    typer.echo(f"{title:<34}{'count':>7}{'p50':>8}{'p95':>8}{'p99':>8}{'max':>8}")
    for row in k["latency"]:
        for what in ("ingest_to_alert", "ingest_to_event"):
            p = row[what]
            cells = "".join(f"{p[q]:>8.3f}" if p[q] is not None else f"{'-':>8}" for q in ("p50", "p95", "p99", "max"))
            label = f"{what.replace('_', ' ')} (hold {row['hold_s']:g} s)"
            typer.echo(f"{label:<34}{p['count']:>7}{cells}")


dlq_app = typer.Typer(no_args_is_help=True, help="Dead letters: list them, send them back.")
app.add_typer(dlq_app, name="dlq")


@dlq_app.command("list")
def dlq_list(
    service: Annotated[str | None, typer.Option(help="only letters from this service")] = None,
    topic: Annotated[str | None, typer.Option(help="only letters read from this topic")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="one dead letter JSON per line")] = False,
) -> None:
    """Every dead letter in news.dlq, oldest first."""
    from services.dlq import read_letters

    settings = _settings()
    for item in read_letters(settings.kafka, service=service, source=topic):
        letter = item.letter
        if as_json:
            _print_json(letter)
        else:
            where = f"{letter.topic}[{letter.partition}]@{letter.offset}"
            typer.echo(f"{letter.failed_at:%Y-%m-%d %H:%M:%S} {letter.service} {where} "
                       f"{letter.error_type}: {letter.error[:200]}")


@dlq_app.command("replay")
def dlq_replay(
    service: Annotated[str | None, typer.Option(help="only letters from this service")] = None,
    topic: Annotated[str | None, typer.Option(help="only letters read from this topic")] = None,
    dry_run: Annotated[bool, typer.Option(help="count what would be replayed")] = False,
) -> None:
    """Publish dead letters' original bytes (and keys) to the topics they came from."""
    from services.dlq import read_letters, replay_letters, replayable

    settings = _settings()
    letters = list(read_letters(settings.kafka, service=service, source=topic))
    if dry_run:
        n = sum(replayable(settings.kafka, i.letter) for i in letters)
        typer.echo(json.dumps({"replayable": n, "not_replayable": len(letters) - n}))
        return
    replayed, skipped = replay_letters(settings.kafka, letters)
    typer.echo(json.dumps({"replayed": replayed, "not_replayable": skipped}))


evaluate_app = typer.Typer(no_args_is_help=True, help="Accuracy against third-party labelled data.")
app.add_typer(evaluate_app, name="evaluate")

DEFAULT_EXTERNAL = Path("../shared/data/external")
DEFAULT_SEED = Path("../shared/samples/seed_ar_albukamal.txt")


@evaluate_app.command("extraction")
def evaluate_extraction(
    data: Annotated[Path, typer.Option(help="folder of the external labelled data sets")] = DEFAULT_EXTERNAL,
    split: Annotated[str, typer.Option(help="heldout (how we measure), dev (to tune on) or all")] = "heldout",
    limit: Annotated[int | None, typer.Option(help="at most this many rows per data set")] = None,
    seed: Annotated[Path, typer.Option(help="the founding seed article")] = DEFAULT_SEED,
) -> None:
    """ACLED, OEDA Arabic and CASE 2021 benchmarks and the seed article: a table, then a JSON summary."""
    from rich.console import Console
    from rich.table import Table

    from services.evaluate.extraction import evaluate_extraction as run

    _settings()
    report = run(data, split, limit, seed)
    table = Table(title=f"extraction, {split} split")
    for column in ("metric", "value", "target", "met"):
        table.add_column(column)
    for name, value, target in report.rows():
        met = "" if target is None else ("yes" if value >= target else "NO")
        table.add_row(name, f"{value:.4f}", "" if target is None else f"{target:.2f}", met)
    for name, ok in report.seed.items():
        table.add_row(f"seed.{name}", "yes" if ok else "no", "yes", "yes" if ok else "NO")
    Console(stderr=True).print(table)
    typer.echo(json.dumps({"evaluate_extraction": report.as_json()}, ensure_ascii=False))


@evaluate_app.command("dedup")
def evaluate_dedup(
    data: Annotated[Path, typer.Option(help="folder of the external labelled data sets")] = DEFAULT_EXTERNAL,
    limit: Annotated[int | None, typer.Option(help="at most this many SemEval pairs")] = None,
    stories: Annotated[int, typer.Option(help="stories in the generated set (each with 3 rewrites)")] = 300,
) -> None:
    """SemEval-2022 pairs, SaudiNewsNet, a generated rewrite set, Arabic/English pairs: a table, then JSON."""
    from rich.console import Console
    from rich.table import Table

    from services.evaluate.dedup import evaluate_dedup as run

    settings = _settings()
    report = run(data, settings.dedup, limit, stories)
    table = Table(title="dedup")
    for column in ("metric", "value", "target", "met"):
        table.add_column(column)
    for name, value, target in report.rows():
        met = "" if target is None else ("yes" if value >= target else "NO")
        table.add_row(name, f"{value:.4f}", "" if target is None else f"{target:.2f}", met)
    Console(stderr=True).print(table)
    typer.echo(json.dumps({"evaluate_dedup": report.as_json()}, ensure_ascii=False))


@evaluate_app.command("language")
def evaluate_language(
    data: Annotated[Path, typer.Option(help="folder of the external labelled data sets")] = DEFAULT_EXTERNAL,
    limit: Annotated[int | None, typer.Option(help="at most this many texts per data set")] = None,
) -> None:
    """Language identification against the data sets' own language labels: a table, then JSON."""
    from rich.console import Console
    from rich.table import Table

    from services.evaluate.language import evaluate_language as run

    _settings()
    report = run(data, limit)
    table = Table(title="language identification")
    for column in ("metric", "value", "target", "met"):
        table.add_column(column)
    met = report.met()
    for name, value, target in report.rows():
        table.add_row(name, f"{value:.4f}", "" if target is None else f"{target:g}",
                      "" if name not in met else ("yes" if met[name] else "NO"))
    Console(stderr=True).print(table)
    typer.echo(json.dumps({"evaluate_language": report.as_json()}, ensure_ascii=False))


@evaluate_app.command("alerts")
def evaluate_alerts(
    folder: Annotated[Path | None, typer.Argument(
        help="a scenario folder, or a folder of them (articles.jsonl + expected.jsonl each); "
             "the bundled scenarios if omitted")] = None,
) -> None:
    """Scenario timelines against the alerts they should raise: precision and recall per reason, then JSON."""
    from rich.console import Console
    from rich.table import Table

    from services.evaluate.alerts import bundled_scenarios
    from services.evaluate.alerts import evaluate_alerts as run

    settings = _settings()
    root = folder or bundled_scenarios()
    if not root.is_dir():
        raise InputError(f"{root}: not a folder")
    report = run(root, settings)
    console = Console(stderr=True)
    table = Table(title=f"alerts: {len(report.scenarios)} scenarios in {root}")
    for column in ("reason", "precision", "recall", "tp", "fp", "fn"):
        table.add_column(column)
    for code, b in report.reasons.items():
        s = b.scores()
        table.add_row(code, f"{s['precision']:.3f}", f"{s['recall']:.3f}", str(b.tp), str(b.fp), str(b.fn))
    console.print(table)
    for scenario in report.scenarios:
        console.print(f"{scenario.name}: {scenario.alerts} alerts, "
                      + ("all checks pass" if not scenario.failures else f"{len(scenario.failures)} failed"))
        for failure in scenario.failures:
            console.print(f"  - {failure}")
    typer.echo(json.dumps({"evaluate_alerts": report.as_json()}, ensure_ascii=False))


def main() -> None:
    """Entry point: one-line messages and a non-zero exit for every expected failure."""
    try:
        app()
    except RaqibError as exc:
        typer.echo(f"raqib: error: {exc}", err=True)
        sys.exit(2)


if __name__ == "__main__":
    main()
