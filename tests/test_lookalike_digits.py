"""A host label wholly of one script's look-alikes is refused whether its letters pass for Latin
letters, for digits or for both: ``зоо`` reads "3oo" as ``ѕсоре`` reads "scope" (the look-alikes
as data, ``domain/data/latin_lookalikes.csv``)."""

from __future__ import annotations

import pytest

from lantu.domain.links import lookalikes, url_problem, whole_script_lookalike


@pytest.mark.parametrize(("label", "script"), [
    ("\u0437\u043e\u043e", "CYRILLIC"),   # зоо: з passes for 3, о for o
    ("\u0993\u09e6", "BENGALI"),          # ও০: ও passes for 3, ০ for o
])
def test_a_label_of_letter_and_digit_look_alikes_of_one_script_is_refused(label, script):
    assert whole_script_lookalike(label, "com") == script
    assert "look like" in (url_problem(f"https://{label}.com/a") or "")


def test_such_a_label_stays_a_link_at_home():
    assert url_problem("https://\u0437\u043e\u043e.ru/a") is None


def test_a_digit_look_alike_is_counted_with_its_script_and_as_a_digit():
    facts = lookalikes()
    assert "\u0437" in facts.digits and "\u0437" in facts.letters["CYRILLIC"]
