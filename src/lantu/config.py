"""One settings object for the CLI, the web app and the library (pydantic-settings).

``LANTU_HOME`` is the data directory (default ``~/.lantu``); ``LANTU_DATABASE_URL`` any SQLAlchemy
URL (default: the SQLite file ``$LANTU_HOME/lantu.db``).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, Field
from pydantic_settings import BaseSettings, SettingsConfigDict


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
    secret_key: str | None = None
    session_max_age: int = 8 * 3600
    warn_days: int = 7
    upload_max_bytes: int = 10 * 1024 * 1024
    status: StatusRules = Field(default_factory=StatusRules)
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
