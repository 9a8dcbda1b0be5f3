import pytest

from services.runtime.errors import ConfigError
from services.runtime.settings import load_settings


def test_nested_variables_are_read(monkeypatch):
    monkeypatch.setenv("RAQIB_KAFKA__PARTITIONS", "12")
    monkeypatch.setenv("RAQIB_REDIS__URL", "redis://example:6380/1")
    s = load_settings()
    assert s.kafka.partitions == 12 and s.redis.url == "redis://example:6380/1"


@pytest.mark.parametrize("variable, value", [
    ("RAQIB_KAFKA__PARTITIONS", "zero"),
    ("RAQIB_KAFKA__SESSION_TIMEOUT_S", "0.5"),
    ("RAQIB_REDIS__URL", "http://nope"),
    ("RAQIB_ALERTING__LOOKBACK_DAYS", "-3"),
])
def test_a_bad_value_names_its_variable(monkeypatch, variable, value):
    monkeypatch.setenv(variable, value)
    with pytest.raises(ConfigError, match=variable):
        load_settings()


def test_json_log_lines():
    import json
    import logging

    from services.runtime.logs import JsonFormatter, logging_config

    assert logging_config("INFO", "text") is None
    assert logging_config("INFO", "json")["root"]["level"] == "INFO"
    try:
        raise ValueError("bad")
    except ValueError:
        import sys
        record = logging.LogRecord("raqib.x", logging.ERROR, __file__, 1, "feed %s: %s", ("sy", "قصف"), sys.exc_info())
    record.feed = "sy"
    line = json.loads(JsonFormatter().format(record))
    assert (line["level"], line["logger"], line["message"], line["feed"]) == ("ERROR", "raqib.x", "feed sy: قصف", "sy")
    assert "ValueError: bad" in line["exception"]
