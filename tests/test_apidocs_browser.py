"""The interactive API docs in Debian's Chromium, under the app's Content-Security-Policy:
Swagger UI starts from files served here (no request leaves the machine), "Authorize" takes an
API token and "Try it out" answers with the caller's data. Screenshot: artifacts/apidocs.png."""

from __future__ import annotations

from pathlib import Path

import pytest

from lantu.store import users
from test_web_browser import server  # noqa: F401  (the fixture)

pytestmark = [pytest.mark.browser, pytest.mark.slow]
SHOT = Path(__file__).resolve().parents[1] / "artifacts" / "apidocs.png"


def test_swagger_ui_with_a_bearer_token_in_chromium(server, chromium):  # noqa: F811
    base, db = server
    with db.session() as s:
        token = users.create_api_token(s, "rep_fgw", "docs")
    outside, problems = [], []
    page = chromium.new_page()
    page.on("request", lambda r: outside.append(r.url)
            if not r.url.startswith((base, "data:")) else None)
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.goto(f"{base}/api/v1/docs")
    page.wait_for_selector(".swagger-ui .information-container .title", timeout=20000)
    assert "Lantu" in page.inner_text(".swagger-ui .information-container .title")
    page.click("button.authorize")
    page.fill(".auth-container input[type=text], .auth-container input", token)
    page.click(".auth-container button.authorize")
    page.click("button.btn-done")
    # the group is named in the page's language (left11web): the block by its operation
    block = page.locator("[id$=\"-notifications_api_v1_notifications_get\"]")
    block.locator(".opblock-summary").click()
    block.locator("button.try-out__btn").click()
    block.locator("button.execute").click()
    page.wait_for_selector(".responses-wrapper .live-responses-table .response-col_status",
                           timeout=20000)
    status = block.locator(".live-responses-table tbody .response-col_status").first.inner_text()
    body = block.locator(".live-responses-table tbody .microlight").first.inner_text()
    SHOT.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOT), full_page=False)
    assert status.strip().startswith("200"), (status, body[:300])
    assert '"unread"' in body
    assert outside == [], f"requests left the machine: {outside}"
    assert not [m for m in problems if "Content Security Policy" in m], problems
