"""The navigation bar, in one place: (translation key, path, section, roles allowed or None)."""

from __future__ import annotations

from dataclasses import dataclass

from lantu.store.users import User


@dataclass(frozen=True, slots=True)
class NavItem:
    key: str
    path: str
    section: str
    roles: tuple[str, ...] | None = None  # None: everyone (signed in or not)


NAV: tuple[NavItem, ...] = (
    NavItem("nav.overview", "/", "overview"),
    NavItem("nav.indicators", "/indicators", "indicators"),
    NavItem("nav.targets", "/targets", "targets"),
    NavItem("nav.comparison", "/comparison", "comparison"),
    NavItem("nav.supervision", "/supervision", "supervision",
            ("admin", "supervisor", "analyst", "reporter", "viewer")),
    NavItem("nav.import", "/import", "import", ("admin", "analyst")),
    NavItem("nav.review", "/review", "review", ("admin", "analyst")),
    NavItem("nav.groups", "/groups", "groups", ("admin", "analyst")),
    NavItem("nav.audit", "/audit", "audit", ("admin", "supervisor")),
    NavItem("us.title", "/admin/users", "users", ("admin",)),
)


def visible_nav(user: User | None) -> list[NavItem]:
    return [item for item in NAV
            if item.roles is None or (user is not None and user.role in item.roles)]
