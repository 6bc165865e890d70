"""One settings object for the CLI, the web app and the library (pydantic-settings).

``LANTU_HOME`` is the data directory (default ``~/.lantu``); ``LANTU_DATABASE_URL`` any SQLAlchemy
URL (default: the SQLite file ``$LANTU_HOME/lantu.db``).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="LANTU_", extra="ignore")

    home: Path = Field(default_factory=lambda: Path.home() / ".lantu")
    database_url: str | None = None
    secret_key: str | None = None
    session_max_age: int = 8 * 3600
    warn_days: int = 7
    upload_max_bytes: int = 10 * 1024 * 1024
    #: evaluate on official sources only (``LANTU_OFFICIAL_ONLY=1``): statistics, work reports and
    #: other official texts; third-party and unsourced values are left out of evaluations (they
    #: stay visible in the data). See :func:`lantu.domain.is_official`.
    official_only: bool = False

    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        self.home.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{self.home / 'lantu.db'}"


@lru_cache
def get_settings() -> Settings:
    return Settings()
