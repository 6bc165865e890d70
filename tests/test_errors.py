"""One error hierarchy (:mod:`lantu.errors`): every exception class of Lantu derives from
``LantuError``; every command maps it to the one table of exit codes; the web app answers it with
one JSON shape and the status its class names."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import pytest
from fastapi import APIRouter
from typer.testing import CliRunner

import lantu
from lantu.cli import app as cli_app
from lantu.errors import (
    EXIT_CODES,
    EXIT_REFUSED,
    EXIT_SYSTEM,
    EXIT_USAGE,
    Conflict,
    LantuError,
    NotFound,
    UsageError,
    ValidationError,
)

# Alembic's env.py runs a migration when imported; version scripts define no classes
SKIP = ("lantu.store.migrations.",)


def _modules() -> list[str]:
    names = ["lantu"]
    for info in pkgutil.walk_packages(lantu.__path__, "lantu."):
        if not info.name.startswith(SKIP):
            names.append(info.name)
    return names


def test_every_exception_class_derives_from_lantu_error() -> None:
    found, stray = [], []
    for name in _modules():
        module = importlib.import_module(name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ == name and issubclass(cls, BaseException):
                found.append(f"{name}.{cls.__qualname__}")
                if not issubclass(cls, LantuError):
                    stray.append(f"{name}.{cls.__qualname__}")
    assert stray == [], f"exception classes outside the hierarchy: {stray}"
    # the walk did find the classes of every layer (so an empty `stray` means something)
    for expected in ("lantu.engine.errors.EngineError", "lantu.supervise.workflow.WorkflowError",
                     "lantu.store.supervision.NotVisible", "lantu.ingest.extract.ExtractError",
                     "lantu.ingest.textio.TextReadError", "lantu.cli.plan.PlanReadError",
                     "lantu.engine.uncertainty.UASpecError", "lantu.web.deps.UserError"):
        assert expected in found


def test_value_error_mixins_kept_where_callers_catch_value_error() -> None:
    from lantu.engine import EngineError
    from lantu.engine.uncertainty import UASpecError
    from lantu.ingest.extract import ExtractError
    from lantu.ingest.textio import TextReadError

    for cls in (EngineError, UASpecError, ExtractError, TextReadError):
        assert issubclass(cls, ValueError) and issubclass(cls, LantuError)
        assert cls.exit_code == EXIT_USAGE


def test_exit_code_table_is_complete_and_classes_use_it() -> None:
    assert set(EXIT_CODES) == {0, EXIT_REFUSED, EXIT_USAGE, EXIT_SYSTEM}
    assert LantuError.exit_code == ValidationError.exit_code == EXIT_REFUSED
    assert UsageError.exit_code == EXIT_USAGE
    assert (NotFound.http_status, Conflict.http_status, ValidationError.http_status) == (404, 409, 422)


def _commands(app, prefix=()):
    for info in app.registered_commands:
        yield " ".join((*prefix, info.name or info.callback.__name__)), info.callback
    for group in app.registered_groups:
        yield from _commands(group.typer_instance, (*prefix, group.name))


def test_every_command_has_the_one_error_handler() -> None:
    commands = dict(_commands(cli_app))
    assert {"extract", "import", "index build", "index ua", "plan parse"} <= set(commands)
    bare = [name for name, cb in commands.items() if not getattr(cb, "_friendly", False)]
    assert bare == []


runner = CliRunner()


def test_usage_and_refusal_exit_codes(tmp_path) -> None:
    res = runner.invoke(cli_app, ["extract", str(tmp_path / "r.md"), "--region", "1401", "--year", "2023"])
    assert res.exit_code == EXIT_USAGE and "region code '1401'" in res.output
    assert "Traceback" not in res.output
    out = tmp_path / "no" / "such"
    out.parent.mkdir()
    out.mkdir()  # a directory where the file should go
    seed = tmp_path / "p.md"
    seed.write_text("# 规划\n\n一、发展工业\n\n（一）建设园区。\n", encoding="utf-8")
    res = runner.invoke(cli_app, ["plan", "parse", str(seed), "-o", str(out)])
    assert res.exit_code == EXIT_SYSTEM and "cannot write" in res.output


def test_web_answers_lantu_errors_with_their_status_and_one_json_shape(client) -> None:
    router = APIRouter()

    @router.get("/errors-test/missing")
    def missing():
        raise NotFound("no thing 'x'")

    @router.get("/errors-test/bad")
    def bad():
        raise ValidationError("must be a year", field="period")

    @router.get("/errors-test/conflict")
    def conflict():
        raise Conflict("changed by someone else")

    client.app.include_router(router)
    json = {"Accept": "application/json"}
    r = client.get("/errors-test/missing", headers=json)
    assert r.status_code == 404 and r.json() == {"detail": "no thing 'x'", "error": "not_found"}
    r = client.get("/errors-test/bad", headers=json)
    assert r.status_code == 422 and r.json()["errors"] == [{"field": "period",
                                                            "reason": "must be a year"}]
    assert client.get("/errors-test/conflict", headers=json).status_code == 409
    page = client.get("/errors-test/missing")  # a browser gets the error page, same status
    assert page.status_code == 404 and "no thing" in page.text


@pytest.mark.parametrize("code", sorted(EXIT_CODES))
def test_exit_codes_are_documented(code) -> None:
    from pathlib import Path

    doc = (Path(__file__).resolve().parents[1] / "docs" / "cli.md").read_text(encoding="utf-8")
    assert f"| {code} |" in doc
