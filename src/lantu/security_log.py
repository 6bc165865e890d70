"""Security events as structured log records: one JSON object a line, no secrets.

Events (``event`` field): ``login_ok``, ``login_failed``, ``login_throttled``,
``password_changed``, ``token_created``, ``token_revoked``, ``token_refused``, ``token_used``
(once a minute per token at most), ``permission_refused``, ``refused`` (hostile input at the
edge), ``import``, ``review``. Each record carries the time (UTC), the event and what it is
about (user, address, path, ids) — never a password, a token or a cookie: fields whose name says
so are dropped before a record is written.

:func:`setup_logging` is called once by the app (and ``lantu serve``): records of the
``lantu`` loggers go to standard error (under systemd that is the journal) or, with
``LANTU_LOG_FILE``, to that file (created readable by its owner only). See ``docs/security.md``.
"""

from __future__ import annotations

import json
import logging
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

log = logging.getLogger("lantu.security")
_SECRET_WORDS = ("password", "token_value", "secret", "cookie", "authorization", "csrf")
_STANDARD = set(logging.makeLogRecord({}).__dict__) | {"message", "asctime"}


def security_event(event: str, **fields: Any) -> None:
    """Log one security event (level INFO; refusals and lockouts WARNING)."""
    clean = {k: v for k, v in fields.items()
             if not any(w in k.lower() for w in _SECRET_WORDS)}
    level = logging.WARNING if event in ("login_throttled", "permission_refused", "refused",
                                         "token_refused") else logging.INFO
    log.log(level, event, extra={"event": event, **{f"f_{k}": v for k, v in clean.items()}})


class JsonFormatter(logging.Formatter):
    """A record as one JSON line: time, level, logger, event and the event's fields."""

    def format(self, record: logging.LogRecord) -> str:
        out: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(), "logger": record.name,
            "event": getattr(record, "event", None) or record.getMessage()}
        for k, v in record.__dict__.items():
            if k in _STANDARD or k == "event":
                continue
            key = k[2:] if k.startswith("f_") else k
            if not any(w in key.lower() for w in _SECRET_WORDS):
                out[key] = v if isinstance(v, (str, int, float, bool, type(None))) else str(v)
        if record.exc_info:
            out["exception"] = self.formatException(record.exc_info)
        return json.dumps(out, ensure_ascii=False)


_configured = False


def setup_logging(log_file: str | Path | None = None, level: int = logging.INFO) -> None:
    """Send the ``lantu`` loggers' records as JSON lines to ``log_file`` (default:
    ``LANTU_LOG_FILE``) or to standard error. Calling it again changes nothing."""
    global _configured
    if _configured:
        return
    _configured = True
    target = log_file or os.environ.get("LANTU_LOG_FILE")
    if target:
        path = Path(target)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        os.close(fd)
        handler: logging.Handler = logging.FileHandler(path, encoding="utf-8")
    else:
        handler = logging.StreamHandler()
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger("lantu")
    root.addHandler(handler)
    root.setLevel(level)
