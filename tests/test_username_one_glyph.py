"""User names whose letters one glyph shows alike share a key: a name is shown as it was
written while its key is case folded, so ``I`` (which passes for ``l``) and ``i`` are one
letter of the key, and with them ``l`` and ``1``; ``O`` and ``0`` another; ``rn`` is ``m``
(Unicode's confusables: ``I`` → ``l``, ``1`` → ``l``, ``0`` → ``O``, ``m`` → ``rn``). The
Cyrillic palochka, which Unicode reads as ``i``, so stays a look-alike of ``apple``."""

from __future__ import annotations

import pytest

from lantu.domain.errors import ValidationError
from lantu.store import users


@pytest.mark.parametrize(("name", "lookalike"), [
    ("apple", "appIe"),  # capital I for l
    ("apple", "app1e"),
    ("apple", "\u0430\u0440\u0440\u04cf\u0435"),  # all Cyrillic, palochka (Unicode: i)
    ("bill", "biII"),
    ("ops01", "opsOl"),
    ("modern", "rnodern"),
    ("li.wei", "Ii.wei"),
])
def test_names_one_glyph_shows_alike_share_a_key(name, lookalike) -> None:
    assert users.username_key(name) == users.username_key(lookalike)


@pytest.mark.parametrize(("one", "other"), [("admin", "admn"), ("lin", "lim"), ("ops", "ups")])
def test_names_that_look_different_keep_their_own_keys(one, other) -> None:
    assert users.username_key(one) != users.username_key(other)


@pytest.mark.parametrize(("name", "lookalike"), [("apple", "appIe"), ("modern", "rnodern")])
def test_a_one_glyph_look_alike_of_a_user_is_refused(db, name, lookalike) -> None:
    with db.session() as s:
        users.add_user(s, name, "Correct-horse-9-battery", "viewer")
        with pytest.raises(ValidationError, match="looks like the existing user"):
            users.add_user(s, lookalike, "Correct-horse-9-battery", "viewer")
