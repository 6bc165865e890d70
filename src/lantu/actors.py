"""Who did something: a person, by their user name, or Lantu itself, by the command that did it.

The system's actors are written ``lantu <command>`` (:data:`INIT`, :data:`DEMO`, :data:`REMIND`,
:data:`CLI`): the blank in them is what marks them, and no user name may hold a blank
(:func:`lantu.store.users.username_problem`), so a user named ``init`` or ``demo`` is a person
and shown by their name, and nothing a person does is shown as the system's. Before migration
0015 the system wrote ``init``, ``demo`` and ``cli``; the migration gives those rows the marked
names where no user holds the bare name.

:func:`actor_text` is the one rule of how a page or a document names an actor.

>>> is_system(INIT), is_system("init"), is_system("lantu_remind")
(True, False, False)
>>> actor_text("en", INIT), actor_text("en", "init")
('initialisation', 'init')
"""

from __future__ import annotations

from typing import Any

#: the default's loading (``lantu init``, ``lantu demo`` loading the default)
INIT = "lantu init"
#: the demonstration's logins (``lantu demo``)
DEMO = "lantu demo"
#: the automatic reminders (``lantu remind``)
REMIND = "lantu remind"
#: a command run on the server (``lantu user add``, ``lantu import``, ``lantu plan load``)
CLI = "lantu cli"

SYSTEM = (INIT, DEMO, REMIND, CLI)
_PREFIX = "lantu "


def is_system(actor: Any) -> bool:
    """Whether ``actor`` is Lantu itself: ``lantu <command>``, a name no user can have."""
    return isinstance(actor, str) and actor.startswith(_PREFIX) and len(actor) > len(_PREFIX)


def actor_key(actor: Any) -> str | None:
    """The locale key that names a system actor (``actor.lantu_remind``), None for a person."""
    return "actor." + actor.replace(" ", "_") if is_system(actor) else None


def actor_text(lang: str, actor: Any, people: dict[str, str] | None = None) -> str:
    """``actor`` as a reader sees it: the system by its name in ``lang`` (``actor.<…>`` of the
    locale files), a person by their display name when ``people`` (``{user name: display
    name}``, :func:`lantu.store.queries.display_names`) knows it, else by the user name as
    written.

    >>> actor_text("zh", "rep_fgw", {"rep_fgw": "市发展和改革委员会填报员"})
    '市发展和改革委员会填报员'
    """
    from lantu.locale import catalogue

    who = "" if actor is None else str(actor)
    key = actor_key(who)
    if key:
        return catalogue(lang).get(key, who)
    return (people or {}).get(who, who)
