"""The reasons and notes the tenth round's fixes write (probe16) are shown in Chinese on the
pages (``lantu.reasons``, templates in ``locale/{en,zh}/probe16.yaml``): the bad inputs are
fed to the readers and every reason they give matches its template, with no English sentence
left in its Chinese. A reason reworded without its template fails here (drift)."""

from __future__ import annotations

import re

import pytest

from lantu.reasons import match, reason_text

CJK = re.compile(r"[\u4e00-\u9fff]")
ENGLISH = re.compile(r"\b[A-Za-z]{2,} [A-Za-z]{2,} [A-Za-z]{2,}\b")


def _undecodable(data: bytes) -> str:
    from lantu.domain.textcodec import Undecodable, decode_text

    with pytest.raises(Undecodable) as info:
        decode_text(data)
    return info.value.reason


def _period(text: str) -> str:
    from lantu.domain import Period, ValidationError

    with pytest.raises(ValidationError) as info:
        Period.parse(text)
    return info.value.reason.removeprefix("not a period: ")


def _unopened() -> str:
    from lantu.errors import Unavailable
    from lantu.store import open_database

    with pytest.raises(Unavailable) as info:
        open_database("sqlite:////nonexistent/dir/x.db")
    return str(info.value)


@pytest.fixture(scope="module")
def produced() -> dict[str, str]:
    from lantu.ingest.textio import no_text_pages_note

    return {
        "rsn.encoding_utf32": _undecodable(b"\xff\xfe\x00\x00" + "ab".encode("utf-32-le") + b"\x00\x00\x11\x00"),
        "rsn.encoding_mixed": _undecodable(("a,太原市统计局\n").encode("gbk") + "b,太原统计公报\n".encode()),
        "rsn.period_year_end": _period("2023年末"),
        "rsn.period_relative": _period("上年"),
        "rsn.pdf_page_no_text": no_text_pages_note([2]),
        "rsn.pdf_pages_no_text": no_text_pages_note([2, 5]),
        "rsn.database_unopened": _unopened(),
    }


@pytest.mark.parametrize("key", ["rsn.encoding_utf32", "rsn.encoding_mixed", "rsn.period_year_end",
                                 "rsn.period_relative", "rsn.pdf_page_no_text",
                                 "rsn.pdf_pages_no_text", "rsn.database_unopened"])
def test_each_new_reason_matches_its_template_and_reads_in_chinese(produced, key):
    reason = produced[key]
    found = match(reason)
    assert found is not None and found[0] == key, (reason, found)
    zh = reason_text("zh", reason)
    rest = zh
    for value in found[1].values():  # a field (a driver's own reason, a path) is shown as read
        rest = rest.replace(value, "")
    assert CJK.search(zh) and not ENGLISH.search(rest), zh
