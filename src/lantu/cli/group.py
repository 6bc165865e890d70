"""`lantu group add|list`: region groups (peer groups) compared or aggregated together."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from lantu.cli import app
from lantu.cli.common import DbOption, console, friendly_errors, open_db, styled
from lantu.locale import plural

group_app = typer.Typer(help="Region groups (peer groups): add, list.", no_args_is_help=True)
app.add_typer(group_app, name="group")


@group_app.command("add")
@friendly_errors
def group_add(
    code: Annotated[str, typer.Argument(help="Group code, e.g. north_capitals")],
    regions: Annotated[list[str], typer.Argument(help="Member regions: GB/T 2260 codes or names")],
    name: Annotated[str, typer.Option("--name", help="Chinese name of the group")],
    name_en: Annotated[str, typer.Option("--name-en", help="English name")] = "",
    note: Annotated[str, typer.Option("--note", help="What the group is for")] = "",
    db: DbOption = None,
) -> None:
    """Create a region group, or replace the members of an existing one."""
    from lantu import services

    g = services.save_group(open_db(db), code, name, regions, name_en=name_en, note=note)
    console.print(styled("Group ", (g.code, "bold"),
                         f" {g.name_zh}: {plural(len(g.members), 'region')} {' '.join(g.members)}"))


@group_app.command("list")
@friendly_errors
def group_list(db: DbOption = None) -> None:
    """List the region groups with their members."""
    from lantu import services
    from lantu.store import queries

    database = open_db(db)
    with database.session() as s:
        names = queries.region_names(s)
    t = Table("group", "名称", "name", "members", title="Region groups 地区组")
    for g in services.list_groups(database):
        t.add_row(g.code, g.name_zh, g.name_en,
                  " ".join(f"{m} {names.get(m, {}).get('zh', '')}".strip() for m in g.members))
    console.print(t)
