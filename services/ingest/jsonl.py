"""Reading article JSON lines files: each line validated, each bad line explained."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from schemas import ArticleIn


@dataclass(frozen=True)
class Line:
    number: int
    raw: bytes
    article: ArticleIn | None
    error: str | None


def _reason(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        err = exc.errors()[0]
        loc = ".".join(str(p) for p in err["loc"]) or "<root>"
        return f"{loc}: {err['msg']}"
    return str(exc)


def parse_line(raw: bytes) -> ArticleIn:
    data = json.loads(raw.decode("utf-8"))
    if not isinstance(data, dict):
        raise ValueError(f"expected a JSON object, got {type(data).__name__}")
    return ArticleIn.model_validate(data)


def read_lines(path: Path) -> Iterator[Line]:
    """Every non-blank line of ``path`` as an article or an error (never raises on content)."""
    with open(path, "rb") as fh:
        for number, raw in enumerate(fh, 1):
            raw = raw.rstrip(b"\r\n")
            if not raw.strip():
                continue
            try:
                yield Line(number, raw, parse_line(raw), None)
            except (ValueError, ValidationError) as exc:  # JSONDecodeError, UnicodeDecodeError too
                yield Line(number, raw, None, _reason(exc))
