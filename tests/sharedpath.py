"""Where the shared material is (the corpus, the data, the seed), for the fixtures and for test
modules that list its files at import time: ``$LANTU_SHARED``, else a ``shared`` folder beside
the checkout or above it (a worktree sits one level deeper than the clone)."""

from __future__ import annotations

import os
from pathlib import Path

from lantu.ingest.goldeval import shared_folder

ROOT = Path(__file__).resolve().parents[1]
SHARED = shared_folder(ROOT, os.environ.get("LANTU_SHARED"))
CORPUS = SHARED / "corpus"
