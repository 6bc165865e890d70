"""English counts in their proper form (left12): "1 version", "2 versions", never "1
version(s)". One rule: a locale text with a count ``n`` takes its singular ``<key>.one`` when
``n`` is 1 (:func:`lantu.locale.translate`), and code-built English (the CLI's summaries, the
verdict's English reason) says a count with :func:`lantu.locale.plural`. No English text of the
interface holds "(s)" after a word any more, nor does the code build one."""

from __future__ import annotations

import re
from pathlib import Path

from lantu.locale import catalogue, plural, translate

SRC = Path(__file__).resolve().parents[1] / "src" / "lantu"
#: a count followed by a noun in "(s)": "{n} version(s)", "{len(x)} problem(s)"
COUNT_S = re.compile(r"\}\s*(?:[a-z-]+\s+)?[A-Za-z-]+\(s\)")


def test_a_count_of_one_is_singular_and_others_plural():
    assert translate("en", "as.n_versions", n=1) == "1 version · see the differences"
    assert translate("en", "as.n_versions", n=3) == "3 versions · see the differences"
    assert translate("en", "im.refused", file="a.csv", n=1).startswith("a.csv was refused: 1 problem;")
    assert translate("zh", "as.n_versions", n=1) == "1 个版本 · 查看差异"
    assert plural(1, "region") == "1 region" and plural(2, "region") == "2 regions"


def test_no_english_text_counts_in_s_forms():
    en = catalogue("en")
    assert not [k for k, v in en.items() if COUNT_S.search(v)], \
        [(k, v) for k, v in en.items() if COUNT_S.search(v)]
    built = [f"{p.relative_to(SRC)}:{i}" for p in SRC.rglob("*.py")
             for i, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
             if COUNT_S.search(line)]
    assert not built, built


def test_the_task_page_says_one_version(client, web_db):
    from webutil import login, task_ids

    task = task_ids(web_db, "fgw")[0]
    login(client, "supervisor")
    html = client.get(f"/supervision/tasks/{task}?lang=en").text
    said = re.search(r"(\d+) versions? · see the differences", html)
    assert said and "version(s)" not in html
    assert (said.group(1) == "1") == ("1 version ·" in html)
