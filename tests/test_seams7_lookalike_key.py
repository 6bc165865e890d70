"""The user-name key and the host rule read one data set (``domain/data/latin_lookalikes.csv``):
every letter the host rule counts as passing for Latin (or for a digit) folds, in the user-name
key, to the ASCII it passes for, and a row that names none is refused when the data is read."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from lantu.domain import links
from lantu.domain.errors import ValidationError
from lantu.store import users


def _counted() -> set[str]:
    facts = links.lookalikes()
    return set().union(*facts.letters.values()) | facts.digits


def test_every_letter_the_host_rule_counts_folds_in_the_user_name_key() -> None:
    facts = links.lookalikes()
    counted = _counted()
    assert len(counted) > 200
    unfolded = {
        c: users.username_key(c) for c in counted
        if users.username_key(c) != users.username_key(facts.latin[c])
    }  # each letter has the key of the ASCII it passes for
    assert unfolded == {}
    assert all(users.username_key(c).isascii() for c in counted)
    # the scripts the key used to leave as they are
    for script in ("ETHIOPIC", "GEORGIAN", "HEBREW", "THAI", "MYANMAR"):
        assert all(users.username_key(c).isascii() for c in facts.letters[script]), script


@pytest.mark.parametrize(
    ("latin", "lookalike"),
    [
        ("olt", "\u05e1\u05d5\u05d3"),  # Hebrew samekh, vav, dalet
        ("oh", "\u12d0\u12a8"),  # Ethiopic pharyngeal a, ka
        ("au", "\u0e14\u0e21"),  # Thai do dek, mo ma
        ("ns", "\u10d8\u10fd"),  # Georgian in, aen
        ("eoo", "\u1001\u1011"),  # Myanmar kha, hta
    ],
)
def test_a_whole_script_look_alike_of_a_user_is_refused(db, latin, lookalike) -> None:
    assert links.whole_script_lookalike(lookalike, "com")  # the host rule counts every letter
    with db.session() as s:
        users.add_user(s, latin, "Correct-horse-9-battery", "viewer")
        with pytest.raises(ValidationError, match="looks like the existing user"):
            users.add_user(s, lookalike, "Correct-horse-9-battery", "viewer")


def test_a_letter_without_the_ascii_it_passes_for_is_refused(tmp_path, monkeypatch) -> None:
    here = Path(links.__file__).with_name("data")
    for name in ("latin_lookalikes.csv", "lookalike_tlds.csv"):
        shutil.copyfile(here / name, tmp_path / name)
    with open(tmp_path / "latin_lookalikes.csv", "a", encoding="utf-8") as fh:
        fh.write("THAI,\u0e2a,\n")
    monkeypatch.setattr(links, "_DATA", tmp_path)
    links.lookalikes.cache_clear()
    try:
        with pytest.raises(ValueError, match="names no ASCII it passes for"):
            links.lookalikes()
    finally:
        monkeypatch.undo()
        links.lookalikes.cache_clear()
    assert links.lookalikes().latin["\u0e14"] == "a"
