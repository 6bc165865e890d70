"""The import staging area (``LANTU_HOME/imports``, the server's user only): table previews
(``/import``) and text reviews (``/review``) wait here between requests, each file named
``u<user id>-<random>.<ext>`` or ``r-u<user id>-<random>.<ext>``, and are swept once they are
older than :data:`MAX_AGE`, whichever page next uses the area.

A table preview is staged with what it was previewed as (the sheet, the file's name) beside it
(:func:`stage`), and a confirm takes both from here, never from its form, claiming the preview
once (:func:`claim`): what is written is what was shown, once."""

from __future__ import annotations

import json
import os
import re
import secrets
import time
from pathlib import Path
from typing import Any

#: a staged file not confirmed within this many seconds is removed
MAX_AGE = 3600
#: every name the staging area hands out (other files there are left alone); ``c-`` marks a
#: preview being imported (:func:`claim`)
STAGED = re.compile(r"^(?:r-|c-)?u\d+-[0-9a-f]{32}\.[a-z]{2,8}$")
#: a table preview's token: its staged file's name
PREVIEW = re.compile(r"^u(\d+)-([0-9a-f]{32})\.(csv|xlsx)$")


def directory(home: Path) -> Path:
    """The staging directory (created mode 0700), swept of staged files older than
    :data:`MAX_AGE`."""
    path = Path(home) / "imports"
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    path.chmod(0o700)
    cutoff = time.time() - MAX_AGE
    for old in path.iterdir():
        try:
            if STAGED.fullmatch(old.name) and old.stat().st_mtime < cutoff:
                old.unlink()
        except OSError:  # removed by another worker meanwhile
            pass
    return path


def _create(path: Path, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)


def stage(home: Path, user_id: int, ext: str, data: bytes, shown: dict[str, Any]) -> Path:
    """Stage an uploaded table of ``user_id`` for preview, with ``shown`` (what the preview is
    of: the sheet and the file's name) kept beside it for :func:`claim`."""
    staged = directory(home) / f"u{user_id}-{secrets.token_hex(16)}{ext}"
    _create(staged.with_suffix(".json"), json.dumps(shown, ensure_ascii=False).encode())
    _create(staged, data)
    return staged


def annotate(staged: Path, **more: Any) -> None:
    """Add to what a staged preview was previewed as (the dry run's ``digest``, known only
    after the file was staged and read): written whole and renamed into place."""
    meta = staged.with_suffix(".json")
    shown = {**json.loads(meta.read_text(encoding="utf-8")), **more}
    tmp = meta.with_name(f".{meta.name}.{secrets.token_hex(4)}")
    _create(tmp, json.dumps(shown, ensure_ascii=False).encode())
    tmp.replace(meta)


def claim(home: Path, token: str, user_id: int) -> tuple[Path, dict[str, Any]] | None:
    """Take the preview ``token`` of ``user_id`` for import: the staged file is renamed (one
    rename wins, so parallel or repeated confirms import it once) and returned with what it was
    previewed as; None when it is gone, expired, or someone else's. The caller removes the
    returned file."""
    m = PREVIEW.fullmatch(token)
    if not m or m.group(1) != str(user_id):  # text to text: int() of 5,000 digits raises (probe23)
        return None
    area = directory(home)
    staged, meta = area / token, area / f"u{m.group(1)}-{m.group(2)}.json"
    claimed = area / f"c-{token}"
    try:
        os.rename(staged, claimed)
    except OSError:  # gone: confirmed already, expired, or never staged
        return None
    os.utime(claimed)  # not swept while it is being imported
    try:
        shown = json.loads(meta.read_text(encoding="utf-8"))
        meta.unlink()
    except (OSError, ValueError):  # a preview staged without it (before this rule): not ours
        claimed.unlink(missing_ok=True)
        return None
    return claimed, shown


def discard(staged: Path) -> None:
    """Remove a staged preview and what it was previewed as (a preview refused)."""
    staged.unlink(missing_ok=True)
    staged.with_suffix(".json").unlink(missing_ok=True)
