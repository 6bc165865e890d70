"""The import staging area (``LANTU_HOME/imports``, the server's user only): table previews
(``/import``) and text reviews (``/review``) wait here between requests, each file named
``u<user id>-<random>.<ext>`` or ``r-u<user id>-<random>.<ext>``, and are swept once they are
older than :data:`MAX_AGE`, whichever page next uses the area."""

from __future__ import annotations

import re
import time
from pathlib import Path

#: a staged file not confirmed within this many seconds is removed
MAX_AGE = 3600
#: every name the staging area hands out (other files there are left alone)
STAGED = re.compile(r"^(?:r-)?u\d+-[0-9a-f]{32}\.[a-z]{2,8}$")


def directory(home: Path) -> Path:
    """The staging directory (created mode 0700), swept of staged files older than
    :data:`MAX_AGE`."""
    path = Path(home) / "imports"
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    path.chmod(0o700)
    cutoff = time.time() - MAX_AGE
    for old in path.iterdir():
        try:
            if STAGED.match(old.name) and old.stat().st_mtime < cutoff:
                old.unlink()
        except OSError:  # removed by another worker meanwhile
            pass
    return path
