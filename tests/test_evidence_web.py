"""Source-quality badges where numbers are shown, and the milestone timeline on goal pages."""

from __future__ import annotations

import csv
import io


def test_explorer_shows_quality_badges_and_outranked_revisions(client):
    html = client.get("/indicators?indicator=gdp&region=140100").text
    assert 'class="qbadge q-official_report"' in html and "工作报告" in html
    # Taiyuan 2022 GDP: the work report's figure stands, the repost is in the history
    assert 'class="qbadge q-third_party"' in html and "被更高质量来源取代" in html
    en = client.get("/indicators?indicator=gdp&region=140100&lang=en").text
    assert "work report" in en and "outranked by a better source" in en


def test_explorer_export_carries_quality(client):
    r = client.get("/indicators/export.csv?indicator=gdp&region=140100")
    rows = list(csv.DictReader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert rows and all(row["source_quality"] for row in rows)
    assert {row["source_quality"] for row in rows} <= {
        "official_statistics", "official_report", "official_other", "third_party", "none"}


def test_targets_page_shows_quality(client):
    html = client.get("/targets").text
    assert 'class="qbadge q-' in html


def test_goal_page_has_a_milestone_timeline(client):
    html = client.get("/plan/P0.1").text
    assert "里程碑时间线" in html and 'class="timeline"' in html
    assert "国家物流枢纽" in html and "2019" in html
    assert 'class="reviewed"' in html  # a person reviewed these
    goal = client.get("/plan/P0?lang=en").text  # the goal above takes its children's
    assert "Milestone timeline" in goal and "国家现代流通战略支点城市" in goal
    other = client.get("/plan/T7?lang=zh").text
    assert "暂无官方文本所载的里程碑" in other
