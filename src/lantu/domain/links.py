"""Links: the one rule for every URL Lantu stores (a source, a plan's text, evidence).

Only ``http`` and ``https`` addresses with a host are kept; ``javascript:``, ``data:``,
``file:``, ``vbscript:`` and anything with blanks or control characters inside (browsers strip
them and run what is left: ``java\\tscript:``) are refused, so a stored link can never run
script or open a local file when it is rendered or clicked.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from urllib.parse import urlsplit

from lantu.domain.errors import ValidationError

MAX_URL_LENGTH = 2000
_BAD_CHARS = re.compile(r"[\x00-\x20\x7f-\x9f\u2028\u2029\\]")


#: A link the rule below accepts at sight: http(s), a plain host name, printable ASCII after it
#: (no blanks, backslashes or controls). Only a shortcut: anything else is read in full.
_PLAIN_LINK = re.compile(r"(?i:https?)://([A-Za-z0-9.-]+)(?::[0-9]{0,5})?(?:[/?#][!-\[\]-~]*)?\Z")


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
    return None


def url_problems(urls: Iterable[str]) -> list[str | None]:
    """The rule for a column of links: for each URL, why it may not be stored, or None when it
    may (the empty text may). Plain ``http(s)://host/path`` links pass at sight; each other
    distinct text is read in full once.

    Examples
    --------
    >>> url_problems(["https://tjj.taiyuan.gov.cn/x.html", "", "javascript:alert(1)"])
    [None, None, "only http(s) links are kept, not 'javascript:'"]
    """
    judged: dict[str, str | None] = {}
    out: list[str | None] = []
    for url in urls:
        if not url or (len(url) <= MAX_URL_LENGTH and _PLAIN_LINK.match(url)):
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
    if not url or (len(url) <= MAX_URL_LENGTH and _PLAIN_LINK.match(url)):
        return None
    return _problem(url)


def url_host(url: str) -> str:
    """The host name of a link (lower case, as :func:`urllib.parse.urlsplit` reads it); ``""``
    when it names none."""
    if m := _PLAIN_LINK.match(url):
        return m.group(1).lower()
    try:
        return urlsplit(url.strip()).hostname or ""
    except ValueError:
        return ""


def check_url(url: str, field: str = "source_url") -> str:
    """``url`` itself when it may be stored (see :func:`url_problem`), else ValidationError."""
    reason = url_problem(url)
    if reason:
        raise ValidationError(reason, field=field)
    return url
