"""Links: the one rule for every URL Lantu stores (a source, a plan's text, evidence).

Only ``http`` and ``https`` addresses with a host are kept; ``javascript:``, ``data:``,
``file:``, ``vbscript:`` and anything with blanks or control characters inside (browsers strip
them and run what is left: ``java\\tscript:``) are refused, so a stored link can never run
script or open a local file when it is rendered or clicked.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import urlsplit

from lantu.domain.errors import ValidationError

MAX_URL_LENGTH = 2000
_BAD_CHARS = re.compile(r"[\x00-\x20\x7f-\x9f\u2028\u2029\\]")


def url_problem(url: str) -> str | None:
    """Why ``url`` may not be stored as a link, or None when it may (the empty text may).

    Examples
    --------
    >>> url_problem("https://tjj.taiyuan.gov.cn/x.html") is None
    True
    >>> url_problem("javascript:alert(1)")
    "only http(s) links are kept, not 'javascript:'"
    """
    if not url:
        return None
    if len(url) > MAX_URL_LENGTH:
        return f"a link may be at most {MAX_URL_LENGTH} characters"
    if _BAD_CHARS.search(url) or any(unicodedata.category(c) in ("Cf", "Cc", "Zs") for c in url):
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


def check_url(url: str, field: str = "source_url") -> str:
    """``url`` itself when it may be stored (see :func:`url_problem`), else ValidationError."""
    reason = url_problem(url)
    if reason:
        raise ValidationError(reason, field=field)
    return url
