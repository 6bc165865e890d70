"""The password rule, after NIST SP 800-63B (rev. 4, section 3.1.1.2): length is what counts,
no composition rules, and a password is checked against values known to be common.

- at least :data:`MIN_LENGTH` characters (15: a password is the only factor here), at most
  :data:`MAX_LENGTH`; every character allowed (blanks and Chinese included);
- not one of the 10,000 most common passwords (``defaults/data/common_passwords.txt``, shipped
  with the package), nor one of them repeated or with digits and marks around it;
- not the user name, nor anything containing it, nor the name of the service; nor anything
  containing the user's other context-specific words (63B: "the username, and derivatives
  thereof"): the name with its separators dropped (``wang.li`` in ``Wang-Li…``), the display
  name and the e-mail address's local part (:func:`context_problem`). A hash cannot say what
  a password contains, so a rename is checked where the password is in hand: at the next
  sign-in (``lantu.store.users.note_sign_in_password``), which then asks for a new one;
- not one character repeated or a run of the keyboard or the alphabet (fewer than 5 different
  characters).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from lantu.domain.errors import ValidationError

MIN_LENGTH = 15
MAX_LENGTH = 256
SERVICE_WORDS = ("lantu", "蓝图")
_TRIM = re.compile(r"^[\d\W_]+|[\d\W_]+$")


@lru_cache
def common_passwords() -> frozenset[str]:
    from lantu.defaults import DATA

    text = (DATA / "common_passwords.txt").read_text(encoding="utf-8")
    return frozenset(w.strip().lower() for w in text.splitlines() if w.strip())


def _repeats_common(word: str, common: frozenset[str]) -> bool:
    """``word`` is a common password, or one said several times (``passwordpassword``)."""
    if word in common:
        return True
    for size in range(1, len(word) // 2 + 1):
        if len(word) % size == 0 and word[:size] * (len(word) // size) == word:
            return word[:size] in common or size <= 3
    return False


def _letters(text: str) -> str:
    """``text`` as compared for context words: NFKC, lower case, letters and digits only."""
    return "".join(c for c in unicodedata.normalize("NFKC", text).lower() if c.isalnum())


#: the shortest derivative of a user's name or address that is compared (the name itself is
#: compared at any length)
MIN_WORD = 3


def context_problem(password: str, username: str = "", *, display_name: str = "",
                    email: str | None = "") -> str | None:
    """Why ``password`` may not be used because it holds a word of its user or of the service
    (NIST SP 800-63B, 3.1.1.2: the blocklist holds "context-specific words, such as the name of
    the service, the username, and derivatives thereof"), or None. The one place that says
    which words: asked when a password is set, and at sign-in, where a password set before a
    rename is checked against the new name.

    >>> context_problem("Wang-Li-granite-lantern", "wang.li")
    'the password may not contain the user name'
    >>> context_problem("granite lantern xiaoming 7", "wxm", display_name="Xiaoming")
    "the password may not contain the user's name or e-mail address"
    >>> context_problem("granite lantern 4417", "wxm", email="wxm@fgw.example") is None
    True
    """
    low = unicodedata.normalize("NFKC", password).lower()
    name = username.strip().lower()
    # a word written backwards is a derivative of it too (``8f3398eiv32p`` for ``p23vie8933f8``:
    # probe23): each word is looked for in the password and in the password reversed — a
    # short name (two letters, "oh") only forwards: backwards it stands in common words ("horse")
    lows = (low, low[::-1])
    squeezed = (_letters(password), _letters(password)[::-1])
    if name and any(name in x or x in name
                    for x in (lows if len(_letters(name)) >= MIN_WORD else lows[:1])):
        return "the password may not contain the user name"
    if len(_letters(name)) >= MIN_WORD and any(_letters(name) in x for x in squeezed):
        return "the password may not contain the user name"
    if any(w in x for w in SERVICE_WORDS for x in lows):
        return "the password may not contain the name of the service"
    others = [display_name or "", (email or "").partition("@")[0]]
    if any(len(_letters(w)) >= MIN_WORD and _letters(w) in x for w in others for x in squeezed):
        return "the password may not contain the user's name or e-mail address"
    return None


def password_problem(password: str, username: str = "", *, display_name: str = "",
                     email: str | None = "") -> str | None:
    """Why ``password`` may not be used (by ``username``, of that display name and e-mail), or
    None when it may.

    Examples
    --------
    >>> password_problem("correct horse battery staple") is None
    True
    >>> password_problem("password12345678")
    'the password is a common one (or a common one with digits or marks added)'
    """
    if len(password) < MIN_LENGTH:
        return f"the password must have at least {MIN_LENGTH} characters"
    if len(password) > MAX_LENGTH:
        return f"the password may have at most {MAX_LENGTH} characters"
    if why := context_problem(password, username, display_name=display_name, email=email):
        return why
    low = unicodedata.normalize("NFKC", password).lower()
    if len(set(low)) < 5:
        return "the password repeats too few characters"
    common = common_passwords()
    squeezed = re.sub(r"\s+", "", low)
    core = _TRIM.sub("", squeezed)
    # a common password backwards (``drowssap…``) is as common (probe23)
    if any(_repeats_common(w, common) for w in {squeezed, core, squeezed[::-1], core[::-1]} if w) \
            or not core or \
            _is_run(squeezed):
        return "the password is a common one (or a common one with digits or marks added)"
    return None


_RUNS = ("abcdefghijklmnopqrstuvwxyz", "qwertyuiopasdfghjklzxcvbnm", "01234567890",
         "1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik9ol0p", "qazwsxedcrfvtgbyhnujmikolp")


def _is_run(word: str) -> bool:
    """A walk along the alphabet, the digits or a keyboard row (forwards or back, repeated)."""
    for run in _RUNS:
        for seq in (run, run[::-1]):
            doubled = seq * (len(word) // len(seq) + 2)
            if word in doubled:
                return True
    return False


def check_password(password: str, username: str = "", *, display_name: str = "",
                   email: str | None = "") -> str:
    """``password`` when it may be used, else :class:`ValidationError` saying why."""
    if reason := password_problem(password, username, display_name=display_name, email=email):
        raise ValidationError(reason, field="password")
    return password
