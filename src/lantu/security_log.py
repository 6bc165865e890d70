"""Security events as structured log records: one JSON object a line, no secrets.

Events (``event`` field): ``login_ok``, ``login_failed``, ``login_throttled``,
``password_changed``, ``user_added``, ``user_disabled``, ``user_enabled``, ``user_role_changed``,
``token_created``, ``token_revoked``, ``token_refused``, ``token_used``
(once a minute per token at most), ``permission_refused``, ``refused`` (hostile input at the
edge), ``import``, ``review``. Each record carries the time (UTC), the event and what it is
about (user, address, path, ids) — never a password, a token or a cookie: fields whose name says
so are dropped before a record is written.

:func:`setup_logging` is called once by the app (and ``lantu serve``): records of the
``lantu`` loggers go to standard error (under systemd that is the journal) or, with
``LANTU_LOG_FILE``, to that file (created readable by its owner only). The other commands
(``lantu user …``, ``lantu import``, …) write theirs to ``LANTU_LOG_FILE`` when it is set
(:func:`setup_cli_logging`), so what an administrator does at the terminal is in the same
record as what users do on the web. See ``docs/security.md``.
"""

from __future__ import annotations

import json
import logging
import os
import re
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from lantu.domain.textcodec import name_text

log = logging.getLogger("lantu.security")
_SECRET_WORDS = ("password", "token_value", "secret", "cookie", "authorization", "csrf")
_STANDARD = set(logging.makeLogRecord({}).__dict__) | {"message", "asctime"}


def security_event(event: str, **fields: Any) -> None:
    """Log one security event (level INFO; refusals and lockouts WARNING)."""
    clean = {k: v for k, v in fields.items()
             if not any(w in k.lower() for w in _SECRET_WORDS)}
    level = logging.WARNING if event in ("login_throttled", "permission_refused", "refused",
                                         "token_refused", "login_refused_lookalike",
                                         "lookalike_users", "build_refused") else logging.INFO
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
                out[key] = v if isinstance(v, (int, float, bool, type(None))) else \
                    name_text(str(v))  # a GBK file name as its text, not "\udcb5" (probe16)
        if record.exc_info:
            out["exception"] = self.formatException(record.exc_info)
        return _ESCAPED.sub(_escape, json.dumps(out, ensure_ascii=False))


#: what a JSON line of the log must not hold raw, though JSON allows it in a string: the line
#: ends of other readers (U+0085 and the C1 controls — U+009B starts a terminal's escape
#: sequence —, U+2028/U+2029: ``splitlines``, journald's and a terminal's readers), a lone
#: surrogate (the UTF-8 file handler cannot write it, and drops the whole record), and the
#: bidi controls (a line shown in another order). Each is written as JSON's ``\uXXXX``, which
#: reads back as the same text; they can only stand inside a string (probe15: a request's path
#: and an upload's file name are logged as sent)
_ESCAPED = re.compile("[\x7f-\x9f\u2028\u2029\ud800-\udfff\u061c\u200e\u200f"
                      "\u202a-\u202e\u2066-\u2069]")


def _escape(m: re.Match[str]) -> str:
    return f"\\u{ord(m.group()):04x}"


class _Stderr(logging.StreamHandler):
    """A stream handler on the *current* standard error (a CLI or test runner may swap it)."""

    @property  # type: ignore[override]
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, value) -> None:
        pass


_configured = False


def setup_cli_logging() -> None:
    """For a command other than ``lantu serve``: security events go to ``LANTU_LOG_FILE``
    when it is set (a terminal is not a log; without it nothing extra is printed)."""
    from lantu.config import get_settings

    if get_settings().log_file:
        setup_logging(get_settings().log_file)


def setup_logging(log_file: str | Path | None = None, level: int = logging.INFO) -> None:
    """Send the ``lantu`` loggers' records as JSON lines to ``log_file`` (default:
    ``LANTU_LOG_FILE``) or to standard error. Calling it again changes nothing."""
    global _configured
    if _configured:
        return
    _configured = True
    if not log_file:
        from lantu.config import get_settings  # LANTU_LOG_FILE is one of the settings

        log_file = get_settings().log_file or None
    target = log_file
    if target:
        path = Path(target)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        os.close(fd)
        handler: logging.Handler = logging.FileHandler(path, encoding="utf-8")
    else:
        handler = _Stderr()
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger("lantu")
    root.addHandler(handler)
    root.setLevel(level)
