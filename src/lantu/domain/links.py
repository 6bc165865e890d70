"""Links: the one rule for every URL Lantu stores (a source, a plan's text, evidence).

Only ``http`` and ``https`` addresses with a host are kept; ``javascript:``, ``data:``,
``file:``, ``vbscript:`` and anything with blanks or control characters inside (browsers strip
them and run what is left: ``java\\tscript:``) are refused, so a stored link can never run
script or open a local file when it is rendered or clicked; so is a user name or password
before the host (``https://gov.cn@evil.example/`` leads to evil.example), a port that is
no port, and a host name that disguises where it leads (:func:`host_problem`: scripts mixed in
one label, full-width letters, other dots than ``.``, a label written wholly in letters of
another script that look Latin under a top-level domain not of that script, characters no
host name holds — ``%65vil.com`` is evil.com to a browser, ``x.gov.cn∕evil.com`` shows a
slash that is none — and an address written as a name, ``0x7f.1`` being 127.0.0.1).
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

import numpy as np

from lantu.domain.errors import ValidationError

MAX_URL_LENGTH = 2000
_BAD_CHARS = re.compile(r"[\x00-\x20\x7f-\x9f\u2028\u2029\\]")


#: A link the rule below accepts at sight: http(s), a plain host name, printable ASCII after it
#: (no blanks, backslashes or controls), a port of at most four digits (not 0). Only a
#: shortcut: anything else is read in full (a host whose last label is a number too).
_LINK = r"(?i:https?)://([A-Za-z0-9.-]+)(?::(?:[1-9][0-9]{0,3})?)?(?:[/?#][!-\[\]-~]*)?"
_PLAIN_LINK = re.compile(_LINK + r"\Z")


def _problem(url: str) -> str | None:
    if len(url) > MAX_URL_LENGTH:
        return f"a link may be at most {MAX_URL_LENGTH} characters"
    if _BAD_CHARS.search(url) or (not url.isascii() and any(
            unicodedata.category(c) in ("Cf", "Cc", "Zs") for c in url)):
        return "a link may not contain blanks, backslashes or control characters"
    try:
        parts = urlsplit(url)
    except ValueError:
        return "not a link (cannot be read as a URL)"
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        shown = (scheme + ":") if scheme else url[:20]
        return f"only http(s) links are kept, not {shown!r}"
    if not parts.hostname:
        return "the link names no host (https://host/...)"
    if "@" in parts.netloc:
        # https://tjj.taiyuan.gov.cn@evil.example/ goes to evil.example: a name and password
        # before the host only ever serve to disguise where a link leads
        return "a link may not carry a user name or password before the host (user@host)"
    try:
        port = parts.port  # reading it checks it: a port beyond 65535 is no address
    except ValueError:
        port = 0
    if port == 0:  # port 0 reaches nothing either
        return "the link's port is not a number from 1 to 65535"
    return host_problem(parts.hostname)


#: scripts a label of a host name may mix (UTS #39 "highly restrictive"): Latin with the
#: scripts written beside it in East Asia; any other mix (Latin with Cyrillic or Greek
#: look-alikes: ``pаypal.com`` with a Cyrillic а) only ever serves to disguise a host
_MIXABLE = (frozenset({"LATIN", "CJK", "HIRAGANA", "KATAKANA"}),
            frozenset({"LATIN", "CJK", "BOPOMOFO"}), frozenset({"LATIN", "CJK", "HANGUL"}))
#: what browsers read as a dot between labels (UTS #46): ``gov.cn。evil.com`` is gov.cn.evil.com
_OTHER_DOTS = "\u3002\uff0e\uff61"


def _script(c: str) -> str | None:
    """The script of a letter of a host name (the first word of its Unicode name: LATIN,
    CYRILLIC, CJK, …), None for digits, hyphens and marks (they go with any script)."""
    if not c.isalpha():
        return None
    word = unicodedata.name(c, "?").split()[0]
    return "CJK" if word in ("CJK", "IDEOGRAPHIC") else word


def host_problem(host: str) -> str | None:
    """Why a link's host name (lower case, as :func:`urllib.parse.urlsplit` reads it) disguises
    where it leads, or None: each label in one script (or Latin with Han, kana, Bopomofo or
    Hangul), written as it is reached (no full-width or compatibility forms, no other dots than
    ``.``), an ``xn--`` label a valid IDN, and no label a whole-script look-alike of a Latin one
    (:func:`whole_script_lookalike`: ``аррӏе.com`` all in Cyrillic). ``https://政府.cn``, its
    ``xn--`` form and ``пример.рф`` pass; ``https://еvil.com`` with a Cyrillic е does not.

    >>> host_problem("xn--mxtq1m.cn"), host_problem("\u0435vil.com")[:36]
    (None, 'the host name mixes scripts in one l')
    """
    if ":" in host:  # an IPv6 address (urlsplit read it between brackets)
        return None
    if any(d in host for d in _OTHER_DOTS):
        return "the host name separates its labels by another character than '.'"
    if unicodedata.normalize("NFKC", host) != host:
        return "the host name is written with full-width or compatibility characters"
    if (odd := next((c for c in host if not (c.isalnum() or c in "-._"
                                             or unicodedata.category(c)[0] == "M")), None)):
        return (f"the host name holds {odd!r} (U+{ord(odd):04X}), which no host name holds: a "
                "browser reads it otherwise than it shows (%-escapes, slashes that are none)")
    if why := numeric_host_problem(host):
        return why
    if host.isascii() and "xn--" not in host:
        return None
    labels = []
    for label in host.split("."):
        if label.startswith("xn--"):
            try:
                label = label[4:].encode("ascii").decode("punycode")
            except (UnicodeError, ValueError):
                return f"the host name's label {label!r} is not a valid international name"
        if mixed := mixed_scripts(label):
            return (f"the host name mixes scripts in one label ({', '.join(mixed)}): "
                    "a look-alike of another host")
        labels.append(label.lower())
    tld = next((label for label in reversed(labels) if label), "")
    for label in labels:
        if (script := whole_script_lookalike(label, tld)) == "DIGIT":
            return (f"the host name's label {label!r} is written in digits and letters that "
                    f"look like digits ({looks_latin(label)!r}): a look-alike of another host")
        if script:
            return (f"the host name's label {label!r} is written wholly in {script} letters "
                    f"that look like Latin ones ({looks_latin(label)!r}) under the top-level "
                    f"domain {tld!r}: a look-alike of another host")
    return None


#: a last label that makes a browser read the whole host as an IPv4 address (WHATWG URL:
#: "ends in a number"): digits, or ``0x`` and hex digits
_NUMBER_LABEL = re.compile(r"(?:[0-9]+|0[xX][0-9A-Fa-f]*)\.?\Z")
_DOTTED_QUAD = re.compile(r"(?:(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])\.){3}"
                          r"(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])\Z")


def numeric_host_problem(host: str) -> str | None:
    """Why a host a browser reads as an IPv4 address is written so that it hides which, or
    None: only the four decimal parts ``127.0.0.1`` show it; ``0x7f.1``, ``2130706433``,
    ``0177.0.0.1`` and ``127.1`` are all 127.0.0.1 to a browser.

    >>> numeric_host_problem("10.0.0.1"), numeric_host_problem("stats.gov.cn")
    (None, None)
    >>> numeric_host_problem("0x7f.1")[:40]
    'the host 0x7f.1 is an address written so'
    """
    last = host.rstrip(".").rsplit(".", 1)[-1]
    if not _NUMBER_LABEL.match(last) or _DOTTED_QUAD.match(host.rstrip(".")):
        return None
    return (f"the host {host} is an address written so that it hides which (a browser reads "
            "it as an IPv4 address): write it as four decimal numbers, 127.0.0.1")


@dataclass(frozen=True, slots=True)
class Lookalikes:
    """The whole-script look-alike facts (``domain/data/latin_lookalikes.csv``,
    ``lookalike_tlds.csv``): per script, its letters that pass for Latin letters or digits; the
    letters of any script that pass for digits; the ASCII each of them passes for (every one
    names it: what the host rule counts, the user-name key folds); per script, the ASCII
    country domains where names in it are at home."""

    letters: dict[str, frozenset[str]]
    digits: frozenset[str]
    latin: dict[str, str]
    tlds: dict[str, frozenset[str]]


_DATA = Path(__file__).with_name("data")


@lru_cache(maxsize=1)
def lookalikes() -> Lookalikes:
    """The look-alike facts, read once."""
    letters: dict[str, set[str]] = {}
    digits: set[str] = set()
    latin: dict[str, str] = {}
    with open(_DATA / "latin_lookalikes.csv", encoding="utf-8", newline="") as f:
        for line, row in enumerate(csv.DictReader(f), start=2):
            c, like = row["letter"], row["looks_like"]
            if not (like.isascii() and like.isprintable() and like.strip() == like != ""):
                # every letter the host rule counts names what it passes for, so the user-name
                # key (looks_latin) folds each one: the two cannot drift apart
                raise ValueError(f"latin_lookalikes.csv row {line}: {c!r} ({row['script']}) "
                                 f"names no ASCII it passes for (looks_like {like!r})")
            if like.isdigit():
                digits.add(c)
            # a letter that passes for a digit passes for Latin too: ০৭ reads "o9", зоо "3oo"
            letters.setdefault(row["script"], set()).add(c)
            latin[c] = like
    tlds: dict[str, set[str]] = {}
    with open(_DATA / "lookalike_tlds.csv", encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            tlds.setdefault(row["script"], set()).add(row["tld"])
    return Lookalikes({s: frozenset(v) for s, v in letters.items()}, frozenset(digits), latin,
                      {s: frozenset(v) for s, v in tlds.items()})


def _name_script(c: str) -> str:
    """The script a character of a label belongs to by its Unicode name (letters, digits and
    signs alike: ``BENGALI DIGIT ZERO`` is Bengali), ``""`` for ASCII."""
    return "" if c.isascii() else unicodedata.name(c, "?").split()[0]


def whole_script_lookalike(label: str, tld: str) -> str | None:
    """The script whose letters that look Latin make up all its letters in ``label`` (lower
    case), when ``tld`` is not of that script — neither written in it (``рф``) nor a country
    domain where names in it are at home (``ru``); ``"DIGIT"`` when the label is only digits
    and letters that look like digits (``з`` for 3); else None. Chromium's IDN display policy
    (whole-script confusables), with the look-alikes as data (:func:`lookalikes`).

    >>> whole_script_lookalike("\u0430\u0440\u0440\u04cf\u0435", "com")
    'CYRILLIC'
    >>> whole_script_lookalike("\u043f\u0440\u0438\u043c\u0435\u0440", "com") is None
    True
    """
    if label.isascii():
        return None
    data = lookalikes()
    if all(c in data.digits or (c.isascii() and c.isdigit()) for c in label):
        return "DIGIT"
    by_script: dict[str, set[str]] = {}
    for c in set(label):
        if script := _name_script(c):
            by_script.setdefault(script, set()).add(c)
    for script, own in by_script.items():
        look = data.letters.get(script)
        if look and own <= look and not _at_home(script, tld, data):
            return script
    return None


def _at_home(script: str, tld: str, data: Lookalikes) -> bool:
    return tld in data.tlds.get(script, ()) or any(_name_script(c) == script for c in tld)


def looks_latin(word: str) -> str:
    """``word`` with each letter that passes for Latin letters or a digit written as what it
    passes for (``ѕсоре`` → ``scope``, ``аррӏе`` → ``appie``: Unicode's confusables read the
    palochka ``ӏ`` as ``i``): what a reader sees; the look-alike key of a user name
    (:func:`lantu.store.users.username_key`).

    >>> looks_latin("\u0455\u0441\u043e\u0440\u0435"), looks_latin("\u0440\u0430\u0443\u0440\u0430\u04cf")
    ('scope', 'paypai')
    """
    latin = lookalikes().latin
    return word if word.isascii() else "".join(latin.get(c, c) for c in word)


def mixed_scripts(word: str) -> list[str]:
    """The scripts ``word`` mixes when no one writes them together (Latin with Cyrillic or
    Greek look-alikes: ``pаypal`` with a Cyrillic а), else ``[]``: THE rule of a host label and
    of a user name (:func:`lantu.store.users.username_problem`). Latin with Han, kana, Bopomofo
    or Hangul is a mix people write (UTS #39 "highly restrictive").

    >>> mixed_scripts("p\u0430ypal"), mixed_scripts("中国abc")
    (['CYRILLIC', 'LATIN'], [])
    """
    scripts = {s for c in word if (s := _script(c))}
    if len(scripts) > 1 and not any(scripts <= ok for ok in _MIXABLE):
        return sorted(scripts)
    return []


_PLAIN_LINES = re.compile(r"(?m)^" + _LINK + "$")
#: an international (punycode) label, or a host ending in a number (an address): read in
#: full, never taken at sight
_IDN = re.compile(r"(?im)xn--|(?:^|\.)(?:[0-9]+|0x[0-9a-f]*)\.?$")
#: the last column found plain (its links joined by line breaks) and its hosts: an import asks
#: the same column more than once (its own report, the gate, the source quality)
_last_plain: list[tuple[str, list[str]]] = [("", [])]


def _plain_hosts(urls: list[str]) -> list[str] | None:
    """The host of each link of a column when every link is plain (one pass over the joined
    column: ``findall``), else None."""
    joined = "\n".join(urls)
    if len(urls) > 1000 and joined == _last_plain[0][0]:
        return list(_last_plain[0][1])
    if "\n" in "".join(urls) or not all(urls) or max(map(len, urls), default=0) > MAX_URL_LENGTH:
        return None
    hosts = _PLAIN_LINES.findall(joined)
    if len(hosts) != len(urls) or _IDN.search("\n".join(hosts)):
        return None
    _last_plain[0] = (joined, hosts)
    return hosts


def _all_plain(urls: list[str]) -> bool:
    """Whether every link of a column is empty or plain (one C-level pass)."""
    given = [u for u in urls if u]
    if not given:
        return True
    return _plain_hosts(given) is not None


def _plain(url: str) -> bool:
    """Whether ``url`` passes at sight: plain, with no ``xn--`` (international) label."""
    m = _PLAIN_LINK.match(url) if len(url) <= MAX_URL_LENGTH else None
    return m is not None and _IDN.search(m.group(1)) is None


def url_problems(urls: Iterable[str]) -> list[str | None]:
    """The rule for a column of links: for each URL, why it may not be stored, or None when it
    may (the empty text may). Plain ``http(s)://host/path`` links pass at sight (a whole
    column of them in one pass); each other distinct text is read in full once.

    Examples
    --------
    >>> url_problems(["https://tjj.taiyuan.gov.cn/x.html", "", "javascript:alert(1)"])
    [None, None, "only http(s) links are kept, not 'javascript:'"]
    """
    urls = list(urls)
    if _all_plain(list(dict.fromkeys(urls))):  # each distinct link once: a column repeats them
        return [None] * len(urls)
    judged: dict[str, str | None] = {}
    out: list[str | None] = []
    for url in urls:
        if not url or _plain(url):
            out.append(None)
        else:
            if url not in judged:
                judged[url] = _problem(url)
            out.append(judged[url])
    return out


def url_problem(url: str) -> str | None:
    """Why ``url`` may not be stored as a link, or None when it may (the rule of
    :func:`url_problems` for one link).

    Examples
    --------
    >>> url_problem("https://tjj.taiyuan.gov.cn/x.html") is None
    True
    >>> url_problem("javascript:alert(1)")
    "only http(s) links are kept, not 'javascript:'"
    """
    if not url or _plain(url):
        return None
    return _problem(url)


def live_link(url: object) -> str:
    """A stored link as it may be rendered live (an ``href``): itself when :func:`url_problem`
    accepts it, else ``""`` (show no link). Links are checked when stored; this keeps one
    stored before a rule existed (a database from an older Lantu) from ever becoming a live
    link — THE rule of every page and report that renders a stored link.

    >>> live_link("https://tjj.taiyuan.gov.cn/x.html"), live_link("https://x.gov.cn@evil.example/")
    ('https://tjj.taiyuan.gov.cn/x.html', '')
    """
    text = str(url or "")
    return text if text and url_problem(text) is None else ""


def url_host(url: str) -> str:
    """The host name of a link (lower case, as :func:`urllib.parse.urlsplit` reads it); ``""``
    when it names none."""
    if m := _PLAIN_LINK.match(url):
        return m.group(1).lower()
    try:
        return urlsplit(url.strip()).hostname or ""
    except ValueError:
        return ""


def url_hosts(urls: Iterable[str]) -> list[str]:
    """:func:`url_host` of each link of a column."""
    urls = list(urls)
    distinct = list(dict.fromkeys(urls))  # each distinct link once: a column repeats them
    hosts = _plain_hosts(distinct)
    if hosts is not None:
        host_of = {u: h.lower() for u, h in zip(distinct, hosts)}
        return [host_of[u] for u in urls]
    return [url_host(u) if u else "" for u in urls]


def lines_naming(texts: Sequence[str], words: Sequence[str]) -> np.ndarray:
    """Which texts of a column contain any of ``words`` (one search over the whole column)."""
    joined = "\x1f".join(texts)
    out = np.zeros(len(texts), dtype=bool)
    if not any(word in joined for word in words):
        return out
    starts = np.cumsum([0] + [len(t) + 1 for t in texts])
    for word in words:
        at = [m.start() for m in re.finditer(re.escape(word), joined)]
        if at:
            out[np.searchsorted(starts, at, side="right") - 1] = True
    return out


def check_url(url: str, field: str = "source_url") -> str:
    """``url`` itself when it may be stored (see :func:`url_problem`), else ValidationError."""
    reason = url_problem(url)
    if reason:
        raise ValidationError(reason, field=field)
    return url
