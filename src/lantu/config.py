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

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="LANTU_", extra="ignore")

    home: Path = Field(default_factory=lambda: Path.home() / ".lantu")
    database_url: str | None = None
    session_max_age: int = 8 * 3600
    warn_days: int = 7
    upload_max_bytes: int = 10 * 1024 * 1024
    display_tz: str = "Asia/Shanghai"
    password_profile: Literal["owasp", "test"] = "owasp"

    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        self.home.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{self.home / 'lantu.db'}"


@lru_cache
def get_settings() -> Settings:
    return Settings()
