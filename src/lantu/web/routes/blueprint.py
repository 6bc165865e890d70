"""Upload a blueprint text (规划文本), edit its outline and save it as a new plan (supervisors
and admins). Reading and parsing are the code behind ``lantu plan parse``
(:func:`lantu.cli.plan.read_policy_text`'s readers, :func:`lantu.ingest.policy.parse_policy`,
:func:`lantu.ingest.plan_export.to_plan`); the outline is :mod:`lantu.ingest.outline`; saving
is :func:`lantu.services.save_plan` (the plan gate) and version 1 of every node
(:func:`lantu.store.assignment.baseline`). Nothing is stored before "save": the form carries
the outline and what the parsed nodes keep."""

from __future__ import annotations

import json
import re
import tempfile
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import RedirectResponse, Response

from lantu.domain.gate import trim
from lantu.errors import LantuError, ValidationError
from lantu.store import assignment
from lantu.store.models import PlanRow
from lantu.web.deps import OneBuild, SessionDep, SettingsDep, UserError
from lantu.web.deps import Reviewer as Assigner  # supervisors and admins
from lantu.web.templating import render

router = APIRouter(prefix="/supervision/plans", include_in_schema=False)
EXTENSIONS = (".txt", ".md", ".markdown", ".docx")
#: a plan's code, asked with ``fullmatch`` (``match`` took ``p24plan\n``: probe24)
CODE = re.compile(r"^[a-z0-9][a-z0-9\-]{0,63}$")
Line = Annotated[str, Form(max_length=300)]


def _page(request: Request, context: dict[str, Any], status: int = 200) -> Response:
    return render(request, "supervision/plan_upload.html", {"sub": "plan", **context},
                  active="supervision", status_code=status)


def _read(name: str, data: bytes) -> str:
    """The text of an uploaded .txt/.md (UTF-8 or GBK) or .docx, as ``lantu plan parse``."""
    from lantu.ingest.textio import TextReadError, decode_bytes, read_text

    ext = Path(name).suffix.lower()
    if ext not in EXTENSIONS:
        raise ValidationError(f"{name}: a blueprint is {', '.join(EXTENSIONS)}", field="file")
    try:
        if ext == ".docx":
            with tempfile.TemporaryDirectory() as d:
                path = Path(d) / "upload.docx"
                path.write_bytes(data)
                return read_text(path).text
        return decode_bytes(data, name)
    except TextReadError as exc:
        raise ValidationError(f"{name}: {exc.reason}", field="file") from None


@router.get("/new")
def upload_page(request: Request, user: Assigner) -> Response:
    return _page(request, {"stage": "upload"})


@router.post("/new", dependencies=[OneBuild])  # reading a policy text: seconds
def upload(request: Request, session: SessionDep, settings: SettingsDep, user: Assigner,
           file: Annotated[UploadFile, File()], code: Line = "", region: Line = "") -> Response:
    from lantu.ingest.outline import to_outline
    from lantu.ingest.plan_export import to_plan
    from lantu.ingest.policy import parse_policy, policy_text_problem

    name = Path(file.filename or "blueprint.txt").name
    data = file.file.read(settings.upload_max_bytes + 1)
    if len(data) > settings.upload_max_bytes:
        raise UserError(413, "the file is too large", "err.too_large",
                        limit=settings.upload_max_bytes)
    text = _read(name, data)
    if why := policy_text_problem(text):  # minutes of a build slot (probe22)
        raise ValidationError(f"{name}: {why}", field="file")
    if not re.search(r"[\u4e00-\u9fff]", text[:200000]):
        raise ValidationError(f"{name}: no Chinese text found", field="file")
    doc = parse_policy(text, source={"file": name}, title=Path(name).stem)
    if not doc.children and not doc.goals:
        raise ValidationError(f"{name}: no sections, numbered items or goals found",
                              field="file")
    stem = re.sub(r"[^0-9a-z]+", "-", Path(name).stem.lower()).strip("-")
    plan = to_plan(doc, code=code.strip() or stem or "plan", region=region.strip() or None,
                   file=name)
    outline, kept = to_outline(plan)
    return _page(request, {"stage": "edit", "outline": outline,
                           "kept": json.dumps(kept, ensure_ascii=False, default=str),
                           "code": plan["code"], "title": plan["title"] or "",
                           "region": region.strip(), "source": name,
                           "nodes": outline.count("\n") + 1})


@router.post("/new/save")
def save(request: Request, session: SessionDep, user: Assigner,
         outline: Annotated[str, Form(max_length=500_000)],
         kept: Annotated[str, Form(max_length=5_000_000)], code: Line, title: Line,
         region: Line = "", source: Line = "",
         action: Annotated[str, Form(pattern="^(preview|save)$")] = "preview") -> Response:
    from lantu import services
    from lantu.defaults import plan_from_dict
    from lantu.ingest.outline import outline_children, parse_outline, read_kept

    form = {"stage": "edit", "outline": outline, "kept": kept, "code": code, "title": title,
            "region": region, "source": source}
    try:
        children = outline_children(parse_outline(outline), read_kept(kept))
        if not CODE.fullmatch(code):
            raise ValidationError("lower-case letters, digits and '-', at most 64",
                                  field="code")
        if not title.strip():
            raise ValidationError("a plan needs a title", field="title")
        if action == "preview":
            return _page(request, {**form, "preview": children})
        if session.get(PlanRow, code) is not None:
            raise ValidationError(f"a plan {code} exists already: choose another code (a plan "
                                  f"is changed task by task, with versions)", field="code")
        plan = plan_from_dict({"code": code, "title": trim(title),
                               "region": region.strip() or None,
                               "source": {"file": source}, "children": children},
                              name=source or "outline")
        n = services.save_plan(session, plan, actor=user.username)
    except LantuError as exc:  # shown beside the outline, kept
        session.rollback()  # nothing of a refused plan stays
        return _page(request, {**form, "error": str(exc)}, status=422)
    assignment.baseline(session, code, user.username, source=source)
    return RedirectResponse(f"/?plan={code}&saved={n}", status_code=303)
