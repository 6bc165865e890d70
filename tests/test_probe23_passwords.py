"""probe23: a password that is the user name written backwards (padded to 15 characters) was
taken by the admin's reset — a derivative of the user name that NIST SP 800-63B's blocklist
names. The one rule (:func:`lantu.store.passwords.context_problem`, and the common-password
check of :func:`password_problem`) now reads the password backwards too. Neighbours, written
before they ran: the display name and the e-mail's local part backwards, the service's name
backwards, a common password backwards, and passwords that merely share letters still pass."""

from __future__ import annotations

import os

os.environ.setdefault("LANTU_PASSWORD_PROFILE", "test")

import pytest  # noqa: E402

from lantu.store.passwords import password_problem  # noqa: E402


@pytest.mark.parametrize("password, user, kw", [
    ("8f3398eiv32p8f31", "p23vie8933f8", {}),                     # the probe's case
    ("il.gnaw-granite-lantern", "wang.li", {}),                   # the name, backwards
    ("granite-gnimoaix-lantern-7", "wxm", {"display_name": "Xiaoming"}),
    ("granite-lantern-ilgnaw-44", "wxm", {"email": "wangli@fgw.example"}),
    ("utnal-granite-orbit-7731", "wxm", {}),                      # the service, backwards
    ("drowssapdrowssap1", "wxm", {}),                             # a common one, backwards
])
def test_a_word_of_the_user_or_a_common_password_backwards_is_refused(password, user, kw):
    assert password_problem(password, user, **kw) is not None


@pytest.mark.parametrize("password, user", [
    ("copper-meadow-signal-4410", "p23vie8933f8"),
    ("violet-harbour-quiet-9182", "analyst"),
    ("correct horse battery staple", "wang.li"),
])
def test_a_password_of_other_words_still_passes(password, user):
    assert password_problem(password, user) is None


def test_adding_and_setting_a_password_refuse_the_name_backwards(db):
    from lantu.errors import ValidationError
    from lantu.store import users

    with db.session() as s, pytest.raises(ValidationError):
        users.add_user(s, "zhaoming", "gnimoahz-granite-4417", "analyst")
    with db.session() as s:
        users.add_user(s, "zhaoming", "quiet-harbour-copper-8821", "analyst", display_name="Chen Fang")
    with db.session() as s, pytest.raises(ValidationError):
        users.set_password(s, "zhaoming", "granite-gnafnehc-lantern")
    with db.session() as s:  # the old one stands
        assert users.check_login(db, "zhaoming", "quiet-harbour-copper-8821", "10.0.0.9").user is not None


def test_a_two_letter_name_is_looked_for_forwards_only():
    """User "oh" with "Correct-horse-9-battery": "horse" holds "oh" backwards (session 14's merge
    found it in the look-alike tests); a two-letter name backwards is in too many words."""
    from lantu.store.passwords import context_problem

    assert context_problem("Correct-horse-9-battery", "oh") is None
    assert context_problem("granite-oh-lantern-41", "oh") is not None  # forwards still counts
    assert context_problem("granite-lantern-nhoj-41", "john") is not None  # a longer name backwards
