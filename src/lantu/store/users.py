"""Users, login sessions, login attempts and API tokens: the store side of authentication.

Passwords are hashed with argon2 (argon2-cffi). Session and API tokens are random strings given to
the client once; only their SHA-256 is stored.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from lantu import actors
from lantu.config import get_settings
from lantu.domain.errors import ValidationError
from lantu.domain.gate import invisible_problem, storable, text_problem
from lantu.domain.links import looks_latin, mixed_scripts
from lantu.security_log import security_event
from lantu.store.db import hold_instance_lock, sqlite_write_lock
from lantu.store.models import DepartmentRow, utcnow
from lantu.store.models_web import (
    ROLES,
    ApiTokenRow,
    LoginAttemptRow,
    UserRow,
    WebSessionRow,
)
from lantu.store.passwords import MIN_LENGTH, check_password, context_problem
from lantu.store.repo import audit

# OWASP's argon2id minimum (19 MiB, 2 passes): about 0.1 s a hash here, so a login does not
# stall a worker. ``LANTU_PASSWORD_PROFILE=test`` makes hashes cheap for the test suite only
# (a hash carries its own parameters, so both kinds verify).
PROFILES = {
    "owasp": {"time_cost": 2, "memory_cost": 19 * 1024, "parallelism": 1},
    "test": {"time_cost": 1, "memory_cost": 256, "parallelism": 1},
}
_hasher = PasswordHasher(**PROFILES[get_settings().password_profile])
MIN_PASSWORD = MIN_LENGTH  # the rule is in lantu.store.passwords
#: an API token lives this long unless another lifetime is asked for (``lantu user token``)
TOKEN_DAYS = 90


@dataclass(frozen=True, slots=True)
class User:
    """The signed-in user as the web layer sees it (no password hash)."""

    id: int
    username: str
    display_name: str
    role: str
    department_code: str | None
    active: bool = True
    email: str | None = None
    must_change_password: bool = False

    @property
    def is_reporter(self) -> bool:
        return self.role == "reporter"

    def has_role(self, *roles: str) -> bool:
        return self.role in roles


def _user(row: UserRow) -> User:
    return User(row.id, row.username, row.display_name or row.username, row.role,
                row.department_code, row.active, row.email, bool(row.password_must_change))


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def hash_password(password: str) -> str:
    """The argon2 hash of a password (the rule it must follow is checked by the callers that
    know the user: :func:`add_user`, :func:`set_password`)."""
    return _hasher.hash(password)


def verify_password(stored_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False


# -- users ---------------------------------------------------------------------------------------


_EMAIL = re.compile(r"^[^@\s<>,;]+@[^@\s<>,;]+\.[^@\s<>,;]+$")


def check_email(email: str | None) -> str | None:
    """An e-mail address as stored: stripped, None when empty; refused when malformed.

    >>> check_email(" wang@fgw.taiyuan.gov.cn ")
    'wang@fgw.taiyuan.gov.cn'
    """
    email = (email or "").strip()
    if not email:
        return None
    if len(email) > 254 or not _EMAIL.match(email):
        raise ValidationError(f"{email!r} is not an e-mail address", field="email")
    if why := text_problem(email) or invisible_problem(email):
        # an address is read by a person before it is used: what shows nothing makes it a
        # look-alike of another (probe24: ``a\u200b@fgw.gov.cn`` was stored)
        raise ValidationError(f"{email!r} is not an e-mail address: {why}", field="email")
    return email


def username_problem(name: str) -> str | None:
    """Why ``name`` cannot be a user name, or None: 1–64 characters written as they are read —
    no blanks, control or invisible characters (a zero-width space, a direction mark, a soft
    hyphen), no full-width or other compatibility forms (``ａｄｍｉｎ``: NFKC), no scripts mixed
    that no one writes together (``аdmin`` with a Cyrillic а: the one rule of
    :func:`lantu.domain.links.mixed_scripts`).

    >>> username_problem("wang_fgw"), username_problem("ａｄｍｉｎ")[:20]
    (None, 'written with full-wi')
    """
    if not name or len(name) > 64:
        return "1 to 64 characters"
    if any(unicodedata.category(c)[0] in "CZ" for c in name) or invisible_problem(name):
        # the characters that show nothing are the labels' one list (probe24: the Hangul
        # choseong filler and the Braille blank, letter and symbol by category, made
        # ``admin\u115f`` and ``admin\u2800`` beside ``admin``)
        return "no blanks, control or invisible characters"
    if unicodedata.normalize("NFKC", name) != name:
        return "written with full-width or compatibility characters"
    if mixed := mixed_scripts(name):
        return f"mixes scripts ({', '.join(mixed)}), as a look-alike of another name does"
    return None


def username_key(name: str) -> str:
    """What two user names that look alike share: case folded, accents and dots removed, and
    letters of another script that pass for Latin ones written as those
    (:func:`lantu.domain.links.looks_latin`): ``Admin``, ``ADMIN``, ``admİn``, ``admın`` and
    ``аԁміп`` (all Cyrillic) all are ``admin``; ``apple``, ``appIe``, ``app1e`` and ``аррӏе``
    share one key, as do ``modern`` and ``rnodern`` (:data:`_ONE_GLYPH`). No two users have the same key
    (:func:`add_user`); a login names a user exactly, and is refused when another user shares
    its key (a name kept from before the rule: :func:`lookalike_users`)."""
    folded = unicodedata.normalize("NFD", unicodedata.normalize("NFKC", name).casefold())
    latin = looks_latin("".join(c for c in folded if unicodedata.category(c) != "Mn")
                        .replace("ı", "i"))
    return latin.translate(_ONE_GLYPH).replace("rn", "m")


#: ASCII that one glyph stands for once case is set aside (Unicode's confusables read ``I``
#: and ``1`` as ``l``, ``0`` as ``O``, ``m`` as ``rn``; a name is shown as it was written, so
#: ``appIe`` passes for ``apple`` while the key, case folded, reads ``i``): ``i l 1`` are one
#: letter of the key, ``o 0`` another, and ``rn`` is ``m``
_ONE_GLYPH = str.maketrans({"l": "i", "1": "i", "0": "o"})


@dataclass(frozen=True, slots=True)
class NameProblem:
    """A stored user name that breaks the name rule or shares its look-alike key with another
    user's: names kept from before the rule (:func:`lookalike_users`)."""

    username: str
    role: str
    active: bool
    problem: str | None
    looks_like: tuple[str, ...]


def lookalike_users(session: Session) -> list[NameProblem]:
    """The users whose names break :func:`username_problem` or share :func:`username_key` with
    another user's (``admin`` and ``Admin``, ``ａｄｍｉｎ`` or an all-Cyrillic ``аԁміп``): what
    an operator renames (:func:`rename_user`); a login by such a shared name is refused
    (:func:`check_login`). Sorted by key, so the users that look alike stand together."""
    rows = session.execute(select(UserRow.username, UserRow.role, UserRow.active)).all()
    by_key: dict[str, list[str]] = {}
    for name, _, _ in rows:
        by_key.setdefault(username_key(name), []).append(name)
    out = []
    for name, role, active in rows:
        others = tuple(sorted(n for n in by_key[username_key(name)] if n != name))
        problem = username_problem(name)
        if problem or others:
            out.append(NameProblem(name, role, bool(active), problem, others))
    return sorted(out, key=lambda p: (username_key(p.username), p.username))


def warn_lookalike_users(database) -> list[NameProblem]:
    """Log the users :func:`lookalike_users` finds (``lookalike_users``, a warning naming
    them): asked when the app starts, so an operator upgrading an older database hears of
    names kept from before the rule."""
    with database.session() as s:
        found = lookalike_users(s)
    if found:
        security_event("lookalike_users", count=len(found),
                       users=",".join(p.username for p in found)[:500],
                       fix="lantu user lookalikes; lantu user rename OLD NEW")
    return found


def _lookalikes_of(session: Session, username: str) -> list[str]:
    """The other users whose names share ``username``'s look-alike key."""
    key = username_key(username)
    return [n for n in session.scalars(select(UserRow.username))
            if n != username and username_key(n) == key]


#: PostgreSQL advisory lock ("LNAM") that serialises the writes of user names
_NAMES_LOCK = 0x4C4E414D


def _claim_name(session: Session, name: str, *, user_id: int | None = None) -> None:
    """Refuse ``name`` when another user (than ``user_id``) holds it or a name that shares its
    look-alike key (:func:`username_key`). The key is checked here, not by a unique index
    (names kept from before the rule may share one until renamed), so the check holds the
    write of names until the transaction ends: on PostgreSQL an advisory lock, on SQLite the
    database's one write lock, taken before the names are read. Two transactions can then
    not both pass it with look-alike names (each would have found none of the other's)."""
    if session.get_bind().dialect.name == "postgresql":
        hold_instance_lock(session, _NAMES_LOCK)
    sqlite_write_lock(session)  # the write transaction begun before the read
    key = username_key(name)
    q = select(UserRow.username)
    if user_id is not None:
        q = q.where(UserRow.id != user_id)
    for other in session.scalars(q):
        if username_key(other) == key:
            shown = "exists already" if other == name else \
                f"looks like the existing user {other!r}"
            raise ValidationError(f"user {name!r} {shown}", field="username")


#: Why a rename is refused when the new name is the user's password (the name is not repeated:
#: it is the password, and the page or the terminal that shows this may be seen by others).
RENAME_IS_PASSWORD = ("the new name is this user's password, and a password may not be the user "
                      "name: set a new password for the user first, or choose another name")


def is_own_password(password_hash: str, name: str) -> bool:
    """Whether ``name`` is the password of the stored hash, as the password rule compares a
    name (:func:`lantu.store.passwords.password_problem`: case aside) as far as a hash can
    tell: the name as written, in lower and upper case, capitalised and in title case
    (``Granite-Lantern-4417``). A hash cannot say whether the password *contains* the name, nor
    try every mix of cases: a rename asks the part of the rule it can. Each form costs one
    password check (at most five, on an administrator's rename)."""
    forms = dict.fromkeys((name, name.lower(), name.upper(), name.capitalize(), name.title()))
    return any(verify_password(password_hash, f) for f in forms)


def rename_user(session: Session, username: str, new_name: str, *, actor: str = "") -> User:
    """Give a user a new name (the name rule and the look-alike key as for :func:`add_user`,
    the user itself aside); their sessions end and their API tokens are revoked, as at a
    password change: the name is half of the credential, and a rename is how an administrator
    parts a look-alike from the name people know — a token minted under the old name must not
    outlive it (docs/security.md). Reports and history keep to the user (by id), and so does
    the login throttle's
    history, which is kept by name: the failures still count and the addresses the user signed
    in from stay known (:data:`THROTTLE`), and a new user given the old name starts with none.
    Audited and logged (``user_renamed``).

    A new name that is the user's password is refused (:data:`RENAME_IS_PASSWORD`): the rule
    that a password is not the user name would otherwise be broken by the rename, and the
    account guessed by its own name. Refused rather than "change the password at the next
    sign-in": that sign-in is made with the old password, which would then be the name anyone
    can read — whoever tried it first would choose the new one (docs/security.md, seams9)."""
    row = _require(session, username)
    new_name = new_name.strip()
    if why := username_problem(new_name):
        raise ValidationError(f"{new_name!r} is not a valid username: {why}", field="username")
    if is_own_password(row.password_hash, new_name):
        raise ValidationError(RENAME_IS_PASSWORD, field="username")
    _claim_name(session, new_name, user_id=row.id)
    old, row.username = row.username, new_name
    session.execute(update(LoginAttemptRow).where(LoginAttemptRow.username == attempt_name(old))
                    .values(username=attempt_name(new_name)))
    if row.display_name == username:
        row.display_name = new_name
    revoked = _end_credentials(session, row.id)
    session.flush()
    audit(session, actor, "rename", "user", username, {"to": new_name, "tokens_revoked": revoked})
    security_event("user_renamed", user=new_name, was=username, actor=actor,
                   tokens_revoked=revoked)
    return _user(row)


def _check_role(session: Session, role: str, department_code: str | None) -> None:
    if role not in ROLES:
        raise ValidationError(f"role must be one of {', '.join(ROLES)}, got {role!r}", field="role")
    if role == "reporter":
        if not department_code:
            raise ValidationError("a reporter needs a department", field="department")
        if session.get(DepartmentRow, department_code) is None:
            raise ValidationError(f"unknown department {department_code!r}", field="department")
    elif department_code:
        raise ValidationError("only reporters belong to a department", field="department")


def add_user(session: Session, username: str, password: str, role: str, *,
             display_name: str = "", department_code: str | None = None,
             actor: str = "", email: str | None = None, demo: bool = False) -> User:
    """Create a user. A reporter must name an existing department; other roles must not.

    Examples
    --------
    >>> add_user(s, "fgw", "secret-123", "reporter", department_code="fgw")  # doctest: +SKIP
    """
    username = username.strip()
    if why := username_problem(username):
        raise ValidationError(f"{username!r} is not a valid username: {why}", field="username")
    _check_role(session, role, department_code)
    email = check_email(email)
    _claim_name(session, username)
    if not demo:  # the printed demo logins of a demonstration database are the one exception
        check_password(password, username, display_name=display_name, email=email)
    row = UserRow(username=username, display_name=display_name or username,
                  password_hash=hash_password(password), role=role,
                  department_code=department_code, active=True, email=email)
    session.add(row)
    session.flush()
    audit(session, actor, "create", "user", username, {"role": role,
                                                        "department": department_code})
    security_event("user_added", user=username, role=role, department=department_code,
                   actor=actor)
    return _user(row)


def update_user(session: Session, username: str, *, role: str, department_code: str | None,
                email: str | None, display_name: str | None = None, actor: str = "") -> User:
    """Set a user's role, department, e-mail (and display name); the same rules as
    :func:`add_user`. A changed role or department ends the user's sessions."""
    row = _require(session, username)
    department_code = department_code or None
    _check_role(session, role, department_code)
    email = check_email(email)
    if role != "admin":
        _keep_an_admin(session, row)
    if (row.role, row.department_code) != (role, department_code):
        session.execute(delete(WebSessionRow).where(WebSessionRow.user_id == row.id))
        security_event("user_role_changed", user=username, actor=actor, role=role,
                       department=department_code, was_role=row.role,
                       was_department=row.department_code)
    before = {"role": row.role, "department": row.department_code, "email": row.email}
    row.role, row.department_code, row.email = role, department_code, email
    if display_name is not None and display_name.strip():
        row.display_name = display_name.strip()
    audit(session, actor, "update", "user", username,
          {"before": before, "after": {"role": role, "department": department_code,
                                       "email": email}})
    session.flush()
    return _user(row)


def get_user(session: Session, username: str) -> User | None:
    row = session.scalar(select(UserRow).where(UserRow.username == username))
    return _user(row) if row else None


def list_users(session: Session) -> list[User]:
    return [_user(r) for r in session.scalars(select(UserRow).order_by(UserRow.username))]


def _require(session: Session, username: str) -> UserRow:
    row = session.scalar(select(UserRow).where(UserRow.username == username))
    if row is None:
        raise ValidationError(f"no user {username!r}", field="username")
    return row


def _keep_an_admin(session: Session, row: UserRow) -> None:
    """THE rule that administration stays possible: a change that takes the admin role or the
    account from ``row`` is refused when it is the last active administrator (the users page
    refused an admin disabling themself, but let them make themself a viewer, which left no one
    to open it). The active admins' rows are locked until the change commits, so two admins
    demoting each other at once leave one."""
    if not (row.role == "admin" and row.active):
        return
    sqlite_write_lock(session)  # SQLite ignores FOR UPDATE: two admins demoted at once (probe17)
    admins = session.scalars(select(UserRow.id).where(
        UserRow.role == "admin", UserRow.active.is_(True)).with_for_update()).all()
    if set(admins) <= {row.id}:
        raise ValidationError(f"{row.username!r} is the last active administrator: make "
                              "another user an administrator first", field="role")


def _end_credentials(session: Session, user_id: int) -> int:
    """End what a user is signed in by: their sessions end and their API tokens are revoked
    (how many). One rule for a password change, a rename and disabling."""
    session.execute(delete(WebSessionRow).where(WebSessionRow.user_id == user_id))
    now, revoked = utcnow(), 0
    for tok in session.scalars(select(ApiTokenRow).where(ApiTokenRow.user_id == user_id,
                                                         ApiTokenRow.revoked_at.is_(None))):
        tok.revoked_at = now
        revoked += 1
    return revoked


def set_active(session: Session, username: str, active: bool, *, actor: str = "") -> None:
    """Enable or disable a user; disabling also ends their sessions and revokes their tokens."""
    row = _require(session, username)
    if not active:
        _keep_an_admin(session, row)
    row.active = active
    revoked = 0 if active else _end_credentials(session, row.id)
    audit(session, actor, "enable" if active else "disable", "user", username)
    security_event("user_enabled" if active else "user_disabled", user=username, actor=actor,
                   tokens_revoked=revoked)


def set_password(session: Session, username: str, password: str, *, actor: str = "") -> None:
    """Change a password: it must follow the rule (:mod:`lantu.store.passwords`); the user's
    sessions end and their API tokens are revoked (a token is a password too)."""
    row = _require(session, username)
    row.password_hash = hash_password(check_password(
        password, username, display_name=row.display_name, email=row.email))
    row.password_changed_at = utcnow()
    row.password_must_change = False
    revoked = _end_credentials(session, row.id)
    audit(session, actor, "passwd", "user", username, {"tokens_revoked": revoked})
    security_event("password_changed", user=username, actor=actor, tokens_revoked=revoked)


# -- login ---------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class LoginLimit:
    """One limit of the login throttle: more than ``failures`` failed sign-ins within
    ``window``, counted ``per`` name and address (``"name_address"``) or per name whatever the
    address (``"name"``), stops the password being checked — except, where ``spares_known``,
    from an address the user signed in from within :data:`KNOWN_ADDRESS` (there only the
    other limits apply)."""

    per: str
    failures: int
    window: timedelta
    spares_known: bool = False


#: THE login throttle, as data (:func:`check_login` asks every limit). Per name and address: 5
#: failures in 15 minutes. Per name: four addresses' worth (20 in 15 minutes), so an attacker
#: rotating addresses gets 20 checks of a name per quiet quarter hour instead of 5 per address
#: without end; it spares the addresses the user signed in from, so guesses from elsewhere
#: cannot lock the user out (docs/security.md, "The login throttle").
THROTTLE = (LoginLimit("name_address", 5, timedelta(minutes=15)),
            LoginLimit("name", 20, timedelta(minutes=15), spares_known=True))
THROTTLE_FAILURES = THROTTLE[0].failures
THROTTLE_WINDOW = THROTTLE[0].window
#: how long an address the user signed in from stays known (its success is kept that long)
KNOWN_ADDRESS = timedelta(days=30)


def attempt_name(username: str) -> str:
    """What the login-attempt table keeps of a typed name: its SHA-256, in hex. The throttle
    counts and compares names by it, and a password typed into the name field (a common slip)
    is never stored as it was typed."""
    return hashlib.sha256(username.encode("utf-8", "surrogatepass")).hexdigest()


def recent_failures(session: Session, username: str, ip: str | None,
                    window: timedelta = THROTTLE_WINDOW, now: datetime | None = None) -> int:
    """Failed sign-ins of ``username`` within ``window`` (from the throttle address ``ip``;
    ``None``: from any)."""
    now = now or utcnow()
    q = select(func.count()).select_from(LoginAttemptRow).where(
        LoginAttemptRow.username == attempt_name(username), LoginAttemptRow.success.is_(False),
        LoginAttemptRow.at > now - window)
    if ip is not None:
        q = q.where(LoginAttemptRow.ip == ip)
    return session.scalar(q) or 0


def known_address(session: Session, username: str, ip: str, now: datetime | None = None) -> bool:
    """Whether ``username`` signed in from the throttle address ``ip`` within
    :data:`KNOWN_ADDRESS`."""
    now = now or utcnow()
    return session.scalar(select(LoginAttemptRow.id).where(
        LoginAttemptRow.username == attempt_name(username), LoginAttemptRow.ip == ip,
        LoginAttemptRow.success.is_(True), LoginAttemptRow.at > now - KNOWN_ADDRESS
    ).limit(1)) is not None


def throttled_by(session: Session, username: str, ip: str) -> LoginLimit | None:
    """The first limit of :data:`THROTTLE` that stops a password check of ``username`` from
    the throttle address ``ip`` now, or None."""
    known: bool | None = None
    for limit in THROTTLE:
        count = recent_failures(session, username, ip if limit.per == "name_address" else None,
                                limit.window)
        if count <= limit.failures:
            continue
        if limit.spares_known:
            known = known_address(session, username, ip) if known is None else known
            if known:
                continue
        return limit
    return None


@dataclass(frozen=True, slots=True)
class LoginOutcome:
    user: User | None
    throttled: bool = False
    #: which limit stopped the check (:attr:`LoginLimit.per`), when throttled
    throttled_per: str = ""
    #: the password was right, but another user's name looks like this one (a name kept from
    #: before the rule): refused until an administrator renames one (``lantu user rename``)
    lookalike: bool = False


def authenticate(session: Session, username: str, password: str, ip: str) -> User | None:
    """Check a password and record the attempt, by the one login rule (:func:`_verify`, which
    :func:`check_login` asks too). Returns the user, or None when the name is unknown, the user
    disabled, the password wrong or the name shared with another user under the look-alike key
    (the caller cannot tell which). Not throttled by itself: a web login goes through
    :func:`check_login`."""
    attempt = LoginAttemptRow(username=attempt_name(username), ip=ip[:64], success=False)
    session.add(attempt)
    return _verify(session, attempt, username, password).user


def _verify(session: Session, attempt: LoginAttemptRow, username: str,
            password: str) -> LoginOutcome:
    """THE login rule, for :func:`check_login` and :func:`authenticate` alike: the user of
    ``username`` exactly, active, with this password, and no other user whose name shares its
    look-alike key (:func:`username_key`; a name kept from before the rule: which account is
    meant cannot be told, so none is signed in — told only to whoever knows the password).
    Records the outcome on ``attempt``; a success sets the last login."""
    row = session.scalar(select(UserRow).where(UserRow.username == username))
    # one password check whatever the name names — an active user, a disabled one, nobody
    # (the dummy hash) — so that neither names nor disabled accounts can be told by the time
    # an answer takes (a disabled account answered without a check, in a quarter of the time)
    verified = verify_password(row.password_hash if row is not None else _DUMMY_HASH, password)
    ok = bool(row is not None and row.active and verified)
    if ok and row is not None and _lookalikes_of(session, row.username):
        attempt.success = False
        return LoginOutcome(None, lookalike=True)
    attempt.success = ok
    if ok and row is not None:
        now = utcnow()
        row.last_login_at = now
        session.flush()
        # keep the table small: failures older than a day count for nothing; a success is kept
        # KNOWN_ADDRESS (the address is known), the newest one per name and address
        session.execute(delete(LoginAttemptRow).where(
            LoginAttemptRow.success.is_(False), LoginAttemptRow.at < now - ATTEMPTS_KEPT))
        session.execute(delete(LoginAttemptRow).where(
            LoginAttemptRow.success.is_(True), LoginAttemptRow.at < now - KNOWN_ADDRESS))
        session.execute(delete(LoginAttemptRow).where(
            LoginAttemptRow.success.is_(True), LoginAttemptRow.username == attempt.username,
            LoginAttemptRow.ip == attempt.ip, LoginAttemptRow.id != attempt.id))
        return LoginOutcome(_user(row))
    return LoginOutcome(None)


def throttle_address(ip: str) -> str:
    """The address the login throttle counts for a client: an IPv4 address itself (also when
    written IPv4-mapped, ``::ffff:1.2.3.4``), an IPv6 address by its /64 network — one
    subscriber is given a whole /64, so counting single IPv6 addresses would let one attacker
    take 2^64 fresh allowances of guesses.

    >>> throttle_address("2001:db8:1:2:aaaa::1"), throttle_address("::ffff:10.0.0.1")
    ('2001:db8:1:2::/64', '10.0.0.1')
    """
    import ipaddress

    try:
        addr = ipaddress.ip_address(ip.strip())
    except ValueError:
        return ip[:64]
    if isinstance(addr, ipaddress.IPv6Address):
        if addr.ipv4_mapped is not None:
            return str(addr.ipv4_mapped)
        return str(ipaddress.IPv6Network((addr, 64), strict=False))
    return str(addr)


def _logged_name(session: Session, username: str) -> dict[str, object]:
    """What a login event tells of the name typed: the name when it names an account, else
    only that it named none — a password typed into the name field (a common slip) never
    reaches the security log."""
    if session.scalar(select(UserRow.id).where(UserRow.username == username)) is not None:
        return {"user": username[:64]}
    return {"user": "", "unknown_user": True}


def check_login(database, username: str, password: str, ip: str) -> LoginOutcome:
    """A throttled password check that parallel guesses cannot get past.

    The attempt is first recorded as a failure and committed (a transaction of its own); then
    the failures are counted for each limit of :data:`THROTTLE` (:func:`throttled_by`) — each
    parallel guess counts every guess committed before its count, its own included, so at
    most a limit's ``failures`` of them are ever checked — and only under every limit is the
    password verified (the attempt turns into a success if it is right). Attempts are
    counted by name and :func:`throttle_address` (an IPv6 client by its /64), and by name
    alone; the per-name limit spares an address the user signed in from.
    """
    key = throttle_address(ip)
    with database.session() as s:
        attempt = LoginAttemptRow(username=attempt_name(username), ip=key, success=False)
        s.add(attempt)
        s.flush()
        attempt_id = attempt.id
    with database.session() as s:
        limit = throttled_by(s, username, key)
        if limit is not None:
            security_event("login_throttled", **_logged_name(s, username), ip=ip,
                           per=limit.per)
            return LoginOutcome(None, throttled=True, throttled_per=limit.per)
        attempt = s.get(LoginAttemptRow, attempt_id)
        outcome = _verify(s, attempt, username, password)
        # the right password names an account; a wrong one is named only if it names one
        named = ({"user": username[:64]} if outcome.user or outcome.lookalike
                 else _logged_name(s, username))
    if outcome.lookalike:  # the attempt stays the failure committed above
        security_event("login_refused_lookalike", **named, ip=ip)
    else:
        security_event("login_ok" if outcome.user else "login_failed", **named, ip=ip)
    return outcome


ATTEMPTS_KEPT = timedelta(days=1)


_DUMMY_HASH = _hasher.hash("not a password of anyone")


@dataclass(frozen=True, slots=True)
class SessionInfo:
    user: User
    csrf_token: str
    expires_at: datetime


def start_session(session: Session, user: User, max_age: int, *, ip: str = "",
                  user_agent: str = "") -> tuple[str, str]:
    """Create a login session; returns (cookie token, CSRF token)."""
    token = secrets.token_urlsafe(32)
    csrf = secrets.token_urlsafe(32)
    now = utcnow()
    session.add(WebSessionRow(id=token_hash(token), user_id=user.id, csrf_token=csrf,
                              created_at=now, expires_at=now + timedelta(seconds=max_age),
                              last_seen_at=now, ip=storable(ip[:64]),
                              user_agent=storable(user_agent[:300])))
    # expired sessions of anyone are swept on each login: cheap, and keeps the table small
    session.execute(delete(WebSessionRow).where(WebSessionRow.expires_at < now))
    session.flush()
    return token, csrf


TOUCH_EVERY = timedelta(minutes=1)


def resolve_session(session: Session, token: str, now: datetime | None = None) -> SessionInfo | None:
    """The live session of a cookie token, or None if unknown, expired or the user disabled.
    ``last_seen_at`` is written at most once a minute, so reading pages stays read-only."""
    now = now or utcnow()
    found = session.execute(select(WebSessionRow, UserRow).join(
        UserRow, UserRow.id == WebSessionRow.user_id).where(
        WebSessionRow.id == token_hash(token))).first()
    if found is None:
        return None
    srow, urow = found
    if srow.expires_at <= now or not urow.active:
        return None
    if now - srow.last_seen_at > TOUCH_EVERY:
        srow.last_seen_at = now
    return SessionInfo(_user(urow), srow.csrf_token, srow.expires_at)


def end_session(session: Session, token: str) -> None:
    session.execute(delete(WebSessionRow).where(WebSessionRow.id == token_hash(token)))


# -- API tokens ----------------------------------------------------------------------------------

TOKEN_PREFIX = "lt_"


def create_api_token(session: Session, username: str, name: str = "", *,
                     actor: str = "", days: int | None = TOKEN_DAYS) -> str:
    """Create a bearer token for a user, valid ``days`` (None: until revoked); the token is
    returned once and never stored in clear. On the web, creating one needs the password
    (``POST /account/tokens``)."""
    row = _require(session, username)
    if days is not None and not 1 <= days <= 3660:
        raise ValidationError("a token lives 1 to 3660 days", field="days")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    now = utcnow()
    session.add(ApiTokenRow(user_id=row.id, name=name[:100], token_hash=token_hash(token),
                            prefix=token[:10], created_at=now,
                            expires_at=now + timedelta(days=days) if days else None))
    audit(session, actor or username, "create", "api_token", username,
          {"name": name, "days": days})
    security_event("token_created", user=username, actor=actor or username, days=days)
    session.flush()
    return token


def resolve_api_token(session: Session, token: str) -> User | None:
    found = session.execute(select(ApiTokenRow, UserRow).join(
        UserRow, UserRow.id == ApiTokenRow.user_id).where(
        ApiTokenRow.token_hash == token_hash(token))).first()
    if found is None:
        return None
    trow, urow = found
    now = utcnow()
    if trow.revoked_at is not None or not urow.active or (
            trow.expires_at is not None and trow.expires_at <= now):
        return None
    if trow.last_used_at is None or now - trow.last_used_at > TOUCH_EVERY:
        trow.last_used_at = now
        security_event("token_used", user=urow.username, token_id=trow.id, prefix=trow.prefix)
    return _user(urow)


def revoke_api_token(session: Session, token_id: int, *, actor: str = "") -> None:
    row = session.get(ApiTokenRow, token_id)
    if row is None:
        raise ValidationError(f"no API token {token_id}", field="token")
    row.revoked_at = row.revoked_at or utcnow()
    audit(session, actor, "revoke", "api_token", str(token_id))
    security_event("token_revoked", token_id=token_id, actor=actor)


def api_tokens(session: Session, username: str) -> list[dict]:
    row = _require(session, username)
    return [{"id": t.id, "name": t.name, "prefix": t.prefix, "created_at": t.created_at,
             "last_used_at": t.last_used_at, "revoked_at": t.revoked_at,
             "expires_at": t.expires_at}
            for t in session.scalars(select(ApiTokenRow).where(ApiTokenRow.user_id == row.id)
                                     .order_by(ApiTokenRow.id))]


# -- demo users ----------------------------------------------------------------------------------


def demo_password(username: str) -> str:
    """The printed password of a demo login (the one exception to the password rule)."""
    return f"{username}-demo-2026"


def note_sign_in_password(session: Session, user: User, password: str) -> bool:
    """At a sign-in, where the password is in hand: whether it holds a context word of its
    user as they are now (:func:`lantu.store.passwords.context_problem`) — a password set
    before a rename holding the new name, which the hash could not tell at the rename
    (:func:`is_own_password` asks what it can). If so the user must choose a new one before
    any other page (``password_must_change``, cleared by :func:`set_password`); logged as
    ``password_must_change``. The printed demo logins are excepted, as at their creation."""
    if password == demo_password(user.username):
        return False
    row = session.get(UserRow, user.id)
    if row is None:
        return False
    why = context_problem(password, row.username, display_name=row.display_name,
                          email=row.email)
    if why and not row.password_must_change:
        row.password_must_change = True
        security_event("password_must_change", user=row.username, reason=why)
    return why is not None


def ensure_demo_users(session: Session, lead_departments: list[str]) -> list[dict]:
    """Create the demo users once (admin, supervisor, analyst, viewer and one reporter per
    department that leads a task). Returns their logins with passwords for printing; users that
    exist already are listed with the password they were created with."""
    wanted = [("admin", "admin", None, "系统管理员"), ("supervisor", "supervisor", None, "督查室"),
              ("analyst", "analyst", None, "分析员"), ("viewer", "viewer", None, "访客")]
    names = {d.code: d.name_zh for d in session.scalars(select(DepartmentRow))}
    wanted += [(f"rep_{code}", "reporter", code, f"{names.get(code, code)}填报员")
               for code in lead_departments]
    out = []
    for username, role, dept, display in wanted:
        password = demo_password(username)
        if get_user(session, username) is None:
            add_user(session, username, password, role, display_name=display,
                     department_code=dept, actor=actors.DEMO, demo=True)
        out.append({"username": username, "password": password, "role": role,
                    "department": dept or ""})
    return out
