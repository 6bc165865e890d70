"""How the web app answers an error: one table from status to a stable error code, one JSON
shape, one mapping from Lantu's error classes to HTTP status.

JSON errors (the API under ``/api/v1``, and any request that asks for JSON) are::

    {"detail": "what went wrong, naming the field or object", "error": "not_found",
     "errors": [{"field": "...", "reason": "..."}]}     # errors: only for a named field

The status of a :class:`lantu.errors.LantuError` is its ``http_status`` (422 by default,
404 for :class:`~lantu.errors.NotFound`, 409 for :class:`~lantu.errors.Conflict`, 503 for
:class:`~lantu.errors.Unavailable`, an instance's own for workflow and upload errors). Pages
show the same error in ``error.html``, translated when the error names a locale ``key``.
"""

from __future__ import annotations

from typing import Any

from fastapi.responses import JSONResponse

from lantu.errors import LantuError, ValidationError

ERROR_CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
               405: "method_not_allowed", 409: "conflict", 413: "too_large",
               415: "unsupported_media_type", 422: "validation_error", 428: "precondition_required",
               429: "too_many_requests", 431: "headers_too_large", 500: "internal_error", 503: "unavailable"}


#: the most field errors one answer lists (probe17): a body with 100,000 wrong fields was
#: answered with all of them — 10 MB and seconds of a worker, the size the attacker chose
MAX_ERRORS = 50
#: the longest ``detail`` an error answer carries (it may repeat the errors in words)
MAX_DETAIL = 2000


def error_response(status: int, detail: str, errors: list[dict[str, str]] | None = None,
                   headers: dict[str, str] | None = None) -> JSONResponse:
    """The JSON error answer: ``{"detail", "error"}`` and, if given, ``errors`` by field —
    bounded, whatever was sent: the first :data:`MAX_ERRORS` errors, how many more there were
    in ``errors_omitted``, and a ``detail`` of at most :data:`MAX_DETAIL` characters."""
    if len(detail) > MAX_DETAIL:
        detail = detail[:MAX_DETAIL - 1] + "…"
    body: dict[str, Any] = {"detail": detail, "error": ERROR_CODES.get(status, "error")}
    if errors is not None:
        body["errors"] = errors[:MAX_ERRORS]
        if len(errors) > MAX_ERRORS:
            body["errors_omitted"] = len(errors) - MAX_ERRORS
    return JSONResponse(body, status_code=status, headers=headers)


def field_errors(exc: LantuError) -> list[dict[str, str]] | None:
    """``[{"field", "reason"}]`` for a validation error that names its field (or a workflow
    rule's invalid field, ``values`` ``field``/``why``: :func:`lantu.supervise.assign.bad_field`),
    else None."""
    if not isinstance(exc, ValidationError):
        values = exc.values or {}
        if "field" in values and "why" in values:
            return [{"field": str(values["field"]), "reason": str(values["why"])}]
        return None
    problems = getattr(exc, "problems", None)  # the gate's (key, field, reason) of each object
    if problems and all(isinstance(p, tuple) and len(p) == 3 for p in problems):
        return [{"field": f, "reason": r} for _, f, r in problems]
    reason = str(exc).removeprefix(f"{exc.field}: ") if exc.field else str(exc)
    return [{"field": exc.field or "", "reason": reason}]


def lantu_error_response(exc: LantuError) -> JSONResponse:
    """The JSON answer to one of Lantu's errors, with the status its class (or it) names."""
    return error_response(exc.http_status, str(exc), field_errors(exc))
