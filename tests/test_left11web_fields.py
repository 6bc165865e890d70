"""A refused field is named once, however the reason writes its name (left11web).

``reasons.field_reason`` left the field's name out when the reason named it already, but only
when written exactly as the page's word: the English word for ``username`` is "user name", the
reason says "username", so the page said "user name: 'x y' is not a valid username: …". A name
is now the same word with its parts joined, spaced or hyphenated and in the plural, in both
languages; the sweep below tries every field word against every reason template."""

from __future__ import annotations

import re

import pytest

from lantu.locale import catalogue
from lantu.reasons import _names_field, field_reason, reason_text


@pytest.mark.parametrize(("field", "reason", "en"), [
    ("username", "'x y' is not a valid username: no blanks, control or invisible characters",
     "'x y' is not a valid username: no blanks, control or invisible characters"),
    ("email", "'mail' is not an email address", "'mail' is not an email address"),
    ("region", "unknown region(s): 999999", "unknown region(s): 999999"),
])
def test_a_field_written_another_way_is_named_once(field, reason, en):
    assert field_reason("en", field, reason) == en
    assert reason_text("en", f"{field}: {reason}") == en


def test_the_user_name_refusal_is_said_once_in_both_languages():
    text = "username: 'x y' is not a valid username: no blanks, control or invisible characters"
    assert reason_text("en", text) == text.partition(": ")[2]
    assert reason_text("zh", text) == "'x y' 不能用作用户名：不得含空格、控制字符或不可见字符"


def _joined(s: str) -> str:
    return re.sub(r"[\s\-_]", "", s.lower())


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_no_reason_template_names_its_field_in_a_way_the_rule_misses(lang):
    """Every reason template that holds a field's word — its parts joined any way, as a whole
    word — is seen to name it, so the field is not said before it again."""
    texts = catalogue(lang)
    words = {k.removeprefix("rsn.word."): v for k, v in texts.items()
             if k.startswith("rsn.word.")}
    templates = [v for k, v in texts.items() if k.startswith("rsn.") and
                 not k.startswith("rsn.word.")]
    assert len(words) > 60 and len(templates) > 100
    missed = []
    for field, word in words.items():
        joined = _joined(word)
        if len(joined) < 3:
            continue
        for t in templates:
            if lang == "en":
                hit = re.search(rf"(?<![a-z]){re.escape(joined)}s?(?![a-z])", _joined(t))
                # only where the word stands whole in the text (not "notes" inside "denotes")
                hit = hit and re.search(r"(?<![A-Za-z])" + r"[\s-]?".join(
                    re.escape(c) for c in joined) + r"s?(?![A-Za-z])", t, re.IGNORECASE)
            else:
                hit = joined in _joined(t)
            if hit and not _names_field(t, word):
                missed.append((field, word, t[:80]))
    assert not missed, missed
