"""left14: an app is freed once nobody holds it.

The full test run ended with a PytestUnraisableExceptionWarning: a KeyboardInterrupt in a
WeakSet callback, after the last test. pytest-xdist gives a worker five seconds to stop once the
run is over (execnet then sends it SIGINT); the worker's last garbage collections (pytest's
unraisable-exception plugin runs them at unconfigure) took longer, and the interrupt landed in a
weakref callback that collection was running. They took longer because the heap held most of
the apps the session had made: the API docs' two routes were closures over their ``app``, and
FastAPI keeps every endpoint it inspects in a process-wide cache (``functools.lru_cache``,
4,096 entries, by identity) — so each app, with its routes, templates, validators and database,
stayed alive. The routes reach the app through the request now; a dropped app is freed."""

from __future__ import annotations

import gc
import weakref

from lantu.config import Settings
from lantu.web.app import create_app
from webutil import make_client


def test_a_dropped_app_is_freed(web_db, tmp_path):
    app = create_app(web_db, Settings(home=tmp_path / "home"))
    ref = weakref.ref(app)
    del app
    gc.collect()
    assert ref() is None, [type(r).__name__ for r in gc.get_referrers(ref())][:10]


def test_the_docs_routes_reach_their_app_through_the_request(web_db, tmp_path):
    with make_client(web_db, tmp_path / "home") as client:
        page = client.get("/api/v1/docs?lang=zh")
        assert page.status_code == 200 and 'data-openapi="/api/v1/docs/openapi.json?lang=zh"' \
            in page.text
        schema = client.get("/api/v1/docs/openapi.json?lang=zh").json()
        assert schema["info"]["title"] and "PlanNodePublic" in schema["components"]["schemas"]
