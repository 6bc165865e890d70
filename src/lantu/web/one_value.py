"""One value per field: a query parameter or a form field a route reads as one value is refused
when the request gives it more than once.

Starlette keeps every value of a repeated name and FastAPI hands a route the *last* one of a
single-valued parameter (``?limit=2000&limit=5`` was read as 5; a report form with
``percent=10&percent=90`` stored 90: probe24), while a proxy, a firewall or a log that reads
the first sees another request — HTTP parameter pollution, the twin of a JSON object naming a
key twice (:func:`lantu.web.api_schemas.json_object`). Which names are single-valued is read
from the route's own declaration (FastAPI's record of its query and form parameters, its
dependencies' included), so a list a route declares (``region``, ``period``, the supporting
departments of a task, the evidence files) still takes many, and a route added later keeps the
rule. Installed on the whole app, after :func:`lantu.web.deps.csrf_protect` (which reads a form
once, with its limits): 422 naming the field, in the page's or the API's error shape.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Sequence
from typing import Any

from fastapi import Request
from fastapi.exceptions import RequestValidationError

_MANY = (list, set, frozenset, tuple, Sequence)
_FORMS = ("application/x-www-form-urlencoded", "multipart/form-data")
#: the attribute a route keeps its (single-valued query names, single-valued form names) in: on
#: the route itself, not in a table keyed by ``id(route)`` — an id is reused once a route is
#: gone (an app made and dropped, as the tests make thousands), and the table would only grow
_SINGLE = "_lantu_single_valued"


def takes_many(annotation: Any) -> bool:
    """Whether a parameter of this annotation takes several values (a list, a set, …, also
    inside ``Annotated`` or an optional).

    >>> from typing import Annotated
    >>> takes_many(int), takes_many(list[str] | None), takes_many(Annotated[list[int], "x"])
    (False, True, True)
    """
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return takes_many(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        return any(takes_many(a) for a in typing.get_args(annotation) if a is not type(None))
    return origin in _MANY or annotation in _MANY


def _walk(dependant: Any, query: set[str], form: set[str]) -> None:
    for f in dependant.query_params:
        if not takes_many(f.field_info.annotation):
            query.add(f.alias)
    for f in dependant.body_params:
        if not takes_many(f.field_info.annotation):
            form.add(f.alias)
    for sub in dependant.dependencies:
        _walk(sub, query, form)


def single_valued(route: Any) -> tuple[frozenset[str], frozenset[str]]:
    """The names of a route's query parameters and form fields that take one value."""
    known = route.__dict__.get(_SINGLE)
    if known is None:
        query: set[str] = set()
        form: set[str] = set()
        _walk(route.dependant, query, form)
        known = route.__dict__[_SINGLE] = (frozenset(query), frozenset(form))
    return known


async def one_value_each(request: Request) -> None:
    """THE rule: a single-valued query parameter or form field given twice is a 422 naming it."""
    route = request.scope.get("route")
    if route is None or not hasattr(route, "dependant"):
        return
    query, form_names = single_valued(route)
    twice = [("query", n, k) for n in query if (k := len(request.query_params.getlist(n))) > 1]
    if not twice and form_names and request.headers.get("content-type", "").lower().startswith(
            _FORMS):
        form = await request.form()  # read once already (FastAPI, csrf_protect): kept
        twice = [("body", n, k) for n in form_names if (k := len(form.getlist(n))) > 1]
    if twice:
        raise RequestValidationError([
            {"type": "value_error", "loc": (where, name), "input": None,
             "msg": f"given {k} times; one value is expected"} for where, name, k in twice])
