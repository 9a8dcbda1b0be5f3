"""deploy/: every file parses and holds together (compose, Kubernetes, KEDA, Prometheus)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

DEPLOY = Path(__file__).parents[2] / "deploy"
WORKERS = ("ingest", "extraction", "dedup", "alerting")
SOURCES = {"extraction": "news.articles.raw", "dedup": "news.articles.enriched", "alerting": "news.events"}


def docs(path: Path) -> list[dict]:
    return [d for d in yaml.safe_load_all(path.read_text(encoding="utf-8")) if d]


def k8s() -> dict[tuple[str, str], dict]:
    out = {}
    for path in sorted((DEPLOY / "k8s").glob("*.yaml")):
        for d in docs(path):
            if d.get("kind") == "Kustomization":
                continue
            assert d["apiVersion"] and d["metadata"]["name"], path
            out[(d["kind"], d["metadata"]["name"])] = d
    return out


def test_compose_runs_apache_kafka_redis_prometheus_and_scalable_workers():
    compose = docs(DEPLOY / "docker-compose.yml")[0]
    services = compose["services"]
    assert services["kafka"]["image"].startswith("apache/kafka:")
    assert services["kafka"]["environment"]["KAFKA_PROCESS_ROLES"] == "broker,controller"  # KRaft
    assert services["redis"]["image"].startswith("redis:7")
    assert services["prometheus"]["image"].startswith("prom/prometheus")
    partitions = None
    for name in WORKERS:
        svc = services[name]
        assert svc["command"][:2] == ["worker", name]
        env = svc["environment"]
        assert env["RAQIB_KAFKA__BOOTSTRAP_SERVERS"] == "kafka:9092"
        assert env["RAQIB_REDIS__URL"].startswith("redis://redis:")
        partitions = int(env["RAQIB_KAFKA__PARTITIONS"])
        for port in svc.get("ports", []):  # --scale needs no fixed host port
            assert ":" not in str(port), (name, port)
        assert "container_name" not in svc
    assert partitions and partitions >= 2
    assert services["topics"]["command"] == ["topics"]
    feeds = (DEPLOY / services["ingest"]["volumes"][0].split(":")[0]).resolve()
    assert feeds.exists()
    prom = docs(DEPLOY / "prometheus" / "prometheus.yml")[0]
    [job] = prom["scrape_configs"]
    assert set(job["dns_sd_configs"][0]["names"]) == set(WORKERS) and job["dns_sd_configs"][0]["port"] == 9100


def test_kubernetes_manifests_deployments_topic_job_and_keda_on_lag():
    objects = k8s()
    config = objects[("ConfigMap", "raqib-config")]["data"]
    partitions = int(config["RAQIB_KAFKA__PARTITIONS"])
    for name in ("ingest-feeds", "ingest-push", "extraction", "dedup", "alerting"):
        dep = objects[("Deployment", name)]
        [container] = dep["spec"]["template"]["spec"]["containers"]
        assert container["args"][:2] == ["worker", name.split("-")[0]]
        assert container["readinessProbe"]["httpGet"]["path"] == "/health"
        assert dep["spec"]["template"]["metadata"]["annotations"]["prometheus.io/port"] == config["RAQIB_WEB_PORT"]
        labels = dep["spec"]["template"]["metadata"]["labels"]
        assert all(labels[k] == v for k, v in dep["spec"]["selector"]["matchLabels"].items())
    assert objects[("Deployment", "ingest-feeds")]["spec"]["replicas"] == 1
    job = objects[("Job", "raqib-topics")]
    assert job["spec"]["template"]["spec"]["containers"][0]["args"] == ["topics"]
    for service, topic in SOURCES.items():
        scaled = objects[("ScaledObject", service)]
        assert scaled["spec"]["scaleTargetRef"]["name"] == service
        [trigger] = scaled["spec"]["triggers"]
        assert trigger["type"] == "kafka"
        assert trigger["metadata"]["consumerGroup"] == f"raqib-{service}"  # the default group prefix
        assert trigger["metadata"]["topic"] == topic
        assert int(trigger["metadata"]["lagThreshold"]) > 0
        assert scaled["spec"]["maxReplicaCount"] <= partitions  # partitions >= replicas
    assert objects[("ScaledObject", "ingest-push")]["spec"]["triggers"][0]["type"] == "prometheus"
    kustomization = docs(DEPLOY / "k8s" / "kustomization.yaml")[0]
    assert sorted(kustomization["resources"]) == sorted(p.name for p in (DEPLOY / "k8s").glob("*.yaml")
                                                          if p.name != "kustomization.yaml")
    scrape = yaml.safe_load(objects[("ConfigMap", "prometheus-config")]["data"]["prometheus.yml"])
    assert scrape["scrape_configs"][0]["kubernetes_sd_configs"][0]["role"] == "pod"


def test_the_kubernetes_feeds_are_a_valid_feeds_file(tmp_path):
    from services.ingest.feeds import load_feeds
    path = tmp_path / "feeds.yaml"
    path.write_text(k8s()[("ConfigMap", "raqib-feeds")]["data"]["feeds.yaml"], encoding="utf-8")
    assert load_feeds(path)


def test_the_image_runs_the_raqib_command():
    text = (DEPLOY / "Dockerfile").read_text(encoding="utf-8")
    assert 'ENTRYPOINT ["raqib"]' in text and "pip install ." in text and "USER raqib" in text


@pytest.mark.skipif(not shutil.which("docker") or subprocess.run(
    ["docker", "compose", "version"], capture_output=True).returncode != 0, reason="no docker compose client")
def test_docker_compose_config():
    out = subprocess.run(["docker", "compose", "-f", str(DEPLOY / "docker-compose.yml"), "config", "--quiet"],
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stderr


@pytest.mark.skipif(not shutil.which("kubectl"), reason="no kubectl")
def test_kubectl_kustomize_builds_the_manifests():
    out = subprocess.run(["kubectl", "kustomize", str(DEPLOY / "k8s")], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    kinds = [d["kind"] for d in yaml.safe_load_all(out.stdout) if d]
    assert kinds.count("Deployment") == 5 and kinds.count("ScaledObject") == 4 and "Job" in kinds
