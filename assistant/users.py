"""The users file (KLASINOV_USERS_FILE): names, bcrypt password hashes and roles (staff | admin).

```yaml
users:
  - {name: sari, password_hash: "$2b$12$...", role: admin}
  - {name: budi, password_hash: "$2b$12$...", role: staff}
```
Only hashes are stored; ``python -m assistant users add NAME --role admin`` writes an entry.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

import bcrypt

from assistant.errors import ConfigError
from assistant.yaml_io import YamlProblem, dump_yaml, load_yaml

ROLES = ("staff", "admin")
NAME_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$")
MIN_PASSWORD_CHARS = 8
MAX_PASSWORD_BYTES = 72  # bcrypt reads no further; longer passwords are refused, not cut silently
DEFAULT_ROUNDS = 12


@dataclass(frozen=True)
class User:
    name: str
    password_hash: str
    role: str

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


def hash_password(password: str, rounds: int = DEFAULT_ROUNDS) -> str:
    check_password_rules(password)
    return bcrypt.hashpw(password.encode("utf-8"), bcrypt.gensalt(rounds)).decode("ascii")


def check_password_rules(password: str) -> None:
    if len(password) < MIN_PASSWORD_CHARS:
        raise ConfigError(f"the password has {len(password)} characters; use at least {MIN_PASSWORD_CHARS}")
    if len(password.encode("utf-8")) > MAX_PASSWORD_BYTES:
        raise ConfigError(f"the password is longer than {MAX_PASSWORD_BYTES} bytes; use a shorter one")


class UserDirectory:
    """Checks logins against the users file; unknown names cost as much time as wrong passwords."""

    def __init__(self, users: dict[str, User]) -> None:
        self.users = users
        self._dummy = bcrypt.hashpw(b"not-a-password", bcrypt.gensalt(4)).decode("ascii")

    def authenticate(self, name: str, password: str) -> bool:
        user = self.users.get(name or "")
        hashed = user.password_hash if user else self._dummy
        try:
            ok = bcrypt.checkpw((password or "").encode("utf-8"), hashed.encode("ascii"))
        except ValueError:  # e.g. a password over 72 bytes
            return False
        return ok and user is not None

    def role(self, name: str | None) -> str | None:
        user = self.users.get(name or "")
        return user.role if user else None

    def is_admin(self, name: str | None) -> bool:
        return self.role(name) == "admin"


def _user_from(raw: object, index: int, path: Path) -> User:
    where = f"{path}, users[{index}]"
    if not isinstance(raw, dict):
        raise ConfigError(f"{where} must be a mapping with name, password_hash and role")
    name = str(raw.get("name") or "").strip()
    hashed = str(raw.get("password_hash") or "").strip()
    role = str(raw.get("role") or "").strip().lower()
    if not NAME_PATTERN.match(name):
        raise ConfigError(f"{where}: name {name!r} must be 1-64 letters, digits, '.', '_', '@' or '-'")
    if not re.match(r"^\$2[aby]\$\d\d\$.{53}$", hashed):
        raise ConfigError(
            f"{where}: password_hash of {name!r} is not a bcrypt hash; "
            f"create it with `python -m assistant users add {name} --role {role or 'staff'}`"
        )
    if role not in ROLES:
        raise ConfigError(f"{where}: role {role!r} of {name!r} must be one of {', '.join(ROLES)}")
    return User(name, hashed, role)


def read_users(path: Path) -> dict[str, User]:
    """Users by name; a missing, unreadable or malformed file is a ConfigError naming the fix."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as e:
        raise ConfigError(
            f"users file {path} does not exist; create it with `python -m assistant users add NAME --role admin` "
            "or unset KLASINOV_USERS_FILE for single-user mode"
        ) from e
    except (OSError, UnicodeDecodeError) as e:
        raise ConfigError(f"users file {path} cannot be read ({e}); check its permissions and encoding") from e
    try:
        data = load_yaml(text, f"users file {path}") or {}
    except YamlProblem as e:
        raise ConfigError(f"{e}; fix the file and restart") from e
    raw_users = data.get("users") if isinstance(data, dict) else None
    if not isinstance(raw_users, list):
        raise ConfigError(f"users file {path} must hold a list under the key 'users:'")
    users: dict[str, User] = {}
    for index, raw in enumerate(raw_users):
        user = _user_from(raw, index, path)
        if user.name in users:
            raise ConfigError(f"users file {path} lists {user.name!r} twice; keep one entry")
        users[user.name] = user
    return users


def load_directory(path: Path) -> UserDirectory:
    users = read_users(path)
    if not users:
        raise ConfigError(f"users file {path} has no users; add one with `python -m assistant users add`")
    if not any(u.is_admin for u in users.values()):
        raise ConfigError(f"users file {path} has no admin; add one with `users add NAME --role admin`")
    return UserDirectory(users)


def add_user(path: Path, name: str, role: str, password: str, rounds: int = DEFAULT_ROUNDS) -> bool:
    """Add or replace one user (the file keeps the others); returns True when the name was new."""
    if role not in ROLES:
        raise ConfigError(f"role {role!r} must be one of {', '.join(ROLES)}")
    if not NAME_PATTERN.match(name):
        raise ConfigError(f"name {name!r} must be 1-64 letters, digits, '.', '_', '@' or '-'")
    users = read_users(path) if path.exists() else {}
    new = name not in users
    users[name] = User(name, hash_password(password, rounds), role)
    data = {"users": [{"name": u.name, "password_hash": u.password_hash, "role": u.role} for u in users.values()]}
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(dump_yaml(data), encoding="utf-8")
    os.chmod(tmp, 0o600)
    os.replace(tmp, path)
    return new
