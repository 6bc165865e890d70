"""One settings object for the CLI, the web app and the library (pydantic-settings): the only
place Lantu reads its environment (a test checks that no other module reads ``os.environ``).

Every field is read from ``LANTU_<FIELD>``:

- ``LANTU_HOME``: the data directory (default ``~/.lantu``);
- ``LANTU_DATABASE_URL``: any SQLAlchemy URL (default: the SQLite file ``$LANTU_HOME/lantu.db``);
- ``LANTU_SESSION_MAX_AGE``: seconds a web sign-in lasts (default 8 hours);
- ``LANTU_WARN_DAYS``: days before a task's due date that it turns yellow (default 7);
- ``LANTU_UPLOAD_MAX_BYTES``: largest evidence file (default 10 MiB);
- ``LANTU_DISPLAY_TZ``: the time zone pages show times in (default ``Asia/Shanghai``);
- ``LANTU_PASSWORD_PROFILE``: ``owasp`` (argon2id, OWASP's minimum; the default) or ``test``
  (cheap hashes for the test suite only).
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from lantu.supervise.score import (
    DEFAULT_OVERDUE_CAP_DAYS,
    DEFAULT_REMINDER_CAP,
    DEFAULT_WEIGHTS,
    ScoreRule,
)


class StatusRules(BaseModel):
    """Thresholds of the target status rules (:mod:`lantu.analysis.targets`, docs/analysis.md).

    Environment: ``LANTU_STATUS__ABOUT_TOLERANCE_POINTS=0.3`` and so on.
    """

    #: 左右 ("about"): tolerance in percentage points for targets in % and for growth rates.
    about_tolerance_points: float = Field(0.5, ge=0)
    #: 左右 for other targets: tolerance as a fraction of the target value.
    about_tolerance_relative: float = Field(0.02, ge=0)
    #: Plan-period target in an interim year: observed / required pace at or above this is
    #: ``on_track`` ...
    on_track_ratio: float = Field(1.0, gt=0)
    #: ... at or above this ``moderately_improving``, at or above 0 ``stagnating``, below 0
    #: ``deteriorating``.
    moderate_ratio: float = Field(0.5, ge=0)
    #: Trend arrow: a relative change of the last step under this is "stable".
    stable_band: float = Field(0.005, ge=0)


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="LANTU_", extra="ignore",
                                      env_nested_delimiter="__")

    home: Path = Field(default_factory=lambda: Path.home() / ".lantu")
    database_url: str | None = None
    session_max_age: int = 8 * 3600
    warn_days: int = 7
    upload_max_bytes: int = 10 * 1024 * 1024
    status: StatusRules = Field(default_factory=StatusRules)  # type: ignore[arg-type]  # pydantic
    #: evaluate on official sources only (``LANTU_OFFICIAL_ONLY=1``): statistics, work reports and
    #: other official texts; third-party and unsourced values are left out of evaluations (they
    #: stay visible in the data). See :func:`lantu.domain.is_official`.
    official_only: bool = False
    # the department score of the bulletin and the assessment (lantu.supervise.score); e.g.
    # LANTU_SCORE_WEIGHTS='{"reporting": 0.4, "approval": 0.2, "on_time": 0.2, "overdue": 0.1,
    # "reminders": 0.1}'; the defaults are the rule's own (one place: lantu.supervise.score)
    score_weights: dict[str, float] = Field(default_factory=lambda: dict(DEFAULT_WEIGHTS))
    score_overdue_cap_days: float = DEFAULT_OVERDUE_CAP_DAYS
    score_reminder_cap: float = DEFAULT_REMINDER_CAP
    # a month's report counts as on time when submitted within this many days after the month
    report_grace_days: int = 5
    # the supervision cycle: receipt (签收) expected within ack_days of assignment; automatic
    # reminders remind_days before a deadline and when it passes; escalation to the supervisors
    # escalate_days after the deadline passed
    ack_days: int = 3
    remind_days: int = 7
    escalate_days: int = 7
    # e-mail of notifications: smtp://[user:password@]host:port (smtps:// for TLS); unset: none
    smtp_url: str | None = None
    mail_from: str = "lantu@localhost"
    base_url: str = "http://127.0.0.1:8000"

    def score_rule(self) -> ScoreRule:
        """The department score rule with these settings' weights and caps."""
        return ScoreRule(self.score_weights, self.score_overdue_cap_days, self.score_reminder_cap)
    #: proxies whose X-Forwarded-For / -Proto are believed (addresses or networks, comma
    #: separated); empty: none, the peer's address is the client's
    trusted_proxies: str = ""
    #: the file security events go to (JSON lines); empty: standard error (the journal)
    log_file: str = ""
    display_tz: str = "Asia/Shanghai"
    password_profile: Literal["owasp", "test"] = "owasp"

    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        self.home.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{self.home / 'lantu.db'}"


@lru_cache
def get_settings() -> Settings:
    """The settings read from the environment; a value that cannot be read is a usage error
    naming its variable (``LANTU_WARN_DAYS=abc``: a traceback before probe18)."""
    from pydantic import ValidationError as PydanticError

    from lantu.errors import UsageError

    try:
        return Settings()
    except PydanticError as exc:
        raise UsageError("; ".join(settings_problem(e) for e in exc.errors())) from None


def settings_problem(error: Mapping[str, Any]) -> str:
    """One setting pydantic refused, named as its environment variable with the value read."""
    var = "LANTU_" + "__".join(str(part) for part in error["loc"][:2]).upper()
    return f"{var}: {error['msg']} (value {str(error.get('input'))[:80]!r})"
