"""Speed of reading a text in the web (``/review``) on the corpus's longest work report, beside
its peer in the same run: the extraction alone (what ``lantu extract … --milestones`` does).

    LANTU_SHARED=/work/shared .venv/bin/python benchmarks/review_speed.py

In-process (TestClient) on a SQLite database with the reference data, the default plan and one
analyst. Prints the median seconds of: the extraction alone; the upload (type check, reading,
extraction, staging); the review page (every item beside the text, the clauses marked); one
decision (accept a row); and importing every figure and milestone accepted (one transaction).
"""

from __future__ import annotations

import os
import re
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("LANTU_PASSWORD_PROFILE", "test")

from _common import SHARED, timed  # noqa: E402
from fastapi.testclient import TestClient  # noqa: E402

from lantu import defaults, services  # noqa: E402
from lantu.config import Settings  # noqa: E402
from lantu.ingest.extract import extract_text  # noqa: E402
from lantu.ingest.milestones import default_node_keywords, extract_milestones  # noqa: E402
from lantu.ingest.textio import read_text  # noqa: E402
from lantu.store import Database, repo  # noqa: E402
from lantu.store import users as user_store  # noqa: E402
from lantu.web.app import create_app  # noqa: E402

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def _median(fn, repeat: int = 7) -> float:
    return timed(fn, repeat)[1]


def main() -> None:
    reports = sorted((SHARED / "corpus" / "work-reports").glob("140100-*/*.md"))
    if not reports:
        sys.exit(f"no corpus at {SHARED} (set LANTU_SHARED)")
    path = max(reports, key=lambda p: p.stat().st_size)
    year = int(path.stem)
    data = path.read_bytes()
    doc = read_text(path)

    def extract() -> int:
        return len(extract_text(doc.text, "140100", year)) + len(extract_milestones(
            doc.text, region_code="140100", year=year,
            node_keywords=default_node_keywords("140100")))

    n_items = extract()
    with tempfile.TemporaryDirectory() as tmp:
        db = Database(f"sqlite:///{tmp}/lantu.db")
        db.migrate()
        services.init_reference(db)
        with db.session() as s:
            repo.save_plan(s, defaults.load_plan(), actor="init")
            user_store.add_user(s, "analyst", "Lan-tu-bench-2026!", "analyst")
        client = TestClient(create_app(db, Settings(home=Path(tmp) / "home")),
                            follow_redirects=False)
        page = client.get("/login").text
        client.post("/login", data={"username": "analyst", "password": "Lan-tu-bench-2026!",
                                    "csrf_token": CSRF.search(page).group(1)})
        token = CSRF.search(client.get("/review").text).group(1)
        staged: list[str] = []

        def upload() -> None:
            r = client.post("/review", data={"region": "140100", "year": str(year),
                                             "csrf_token": token},
                            files={"file": (path.name, data, "text/markdown")})
            assert r.status_code == 303, r.text[:300]
            staged.append(r.headers["location"])

        t_extract = _median(extract)
        t_upload = _median(upload)
        url = staged[-1]
        t_page = _median(lambda: client.get(url))
        ids = [int(i) for i in re.findall(r'<tr id="item-(\d+)"', client.get(url).text)]
        t_decide = _median(lambda: client.post(f"{url}/items/{ids[0]}",
                                               data={"action": "accept", "csrf_token": token}))
        for i in ids:
            client.post(f"{url}/items/{i}", data={"action": "accept", "csrf_token": token})
        t0 = time.perf_counter()
        r = client.post(f"{url}/import", data={"csrf_token": token,
                                               "source_url": doc.source_url or ""})
        t_import = time.perf_counter() - t0
        ok = r.status_code == 200
        db.dispose()
    print(f"{path.relative_to(SHARED)}: {len(doc.text)} characters, {n_items} items")
    print("| step | seconds |\n|---|---|")
    print(f"| peer: extraction alone (figures + milestones) | {t_extract:.3f} |")
    print(f"| upload: check, read, extract, stage | {t_upload:.3f} |")
    print(f"| review page ({len(ids)} items beside the text) | {t_page:.3f} |")
    print(f"| one decision (accept a row) | {t_decide:.3f} |")
    print(f"| import all {len(ids)} accepted ({'done' if ok else 'refused: ' + str(r.status_code)}) "
          f"| {t_import:.3f} |")


if __name__ == "__main__":
    main()
