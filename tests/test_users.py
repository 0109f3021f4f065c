"""The users file: bcrypt hashes only, roles, clear errors, and the `users add` command."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from assistant.errors import ConfigError
from assistant.users import add_user, load_directory, read_users

ROOT = Path(__file__).resolve().parents[1]


def test_added_users_log_in_with_their_password_only(tmp_path: Path) -> None:
    path = tmp_path / "users.yaml"
    assert add_user(path, "sari", "admin", "rahasia-admin", rounds=4)
    assert add_user(path, "budi", "staff", "rahasia-staf", rounds=4)
    text = path.read_text(encoding="utf-8")
    assert "rahasia" not in text and "$2b$04$" in text
    users = load_directory(path)
    assert users.authenticate("sari", "rahasia-admin")
    assert not users.authenticate("sari", "rahasia-staf")
    assert not users.authenticate("tamu", "rahasia-admin")
    assert not users.authenticate("sari", "x" * 100)  # over bcrypt's 72 bytes: refused, not truncated
    assert (users.role("sari"), users.role("budi"), users.role("tamu")) == ("admin", "staff", None)
    assert users.is_admin("sari") and not users.is_admin("budi")
    assert path.stat().st_mode & 0o077 == 0


def test_adding_an_existing_name_replaces_its_password_and_role(tmp_path: Path) -> None:
    path = tmp_path / "users.yaml"
    add_user(path, "sari", "admin", "password-lama", rounds=4)
    add_user(path, "budi", "admin", "password-budi", rounds=4)
    assert not add_user(path, "sari", "staff", "password-baru", rounds=4)
    users = load_directory(path)
    assert users.authenticate("sari", "password-baru") and users.role("sari") == "staff"
    assert list(read_users(path)) == ["sari", "budi"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("users: [{name: a, password_hash: plain, role: admin}]", "not a bcrypt hash"),
        ("users: [{name: a, password_hash: '$2b$04$" + "a" * 53 + "', role: boss}]", "must be one of staff, admin"),
        ("users: [{name: a, password_hash: '$2b$04$" + "a" * 53 + "', role: staff}]", "has no admin"),
        ("people: []", "list under the key 'users:'"),
        ("users: [", "not valid YAML"),
        ("users: []", "has no users"),
    ],
)
def test_bad_users_files_say_what_to_fix(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "users.yaml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError, match=message):
        load_directory(path)


def test_missing_file_and_weak_passwords_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"does not exist.*users add"):
        load_directory(tmp_path / "none.yaml")
    with pytest.raises(ConfigError, match="at least 8"):
        add_user(tmp_path / "u.yaml", "sari", "admin", "short", rounds=4)
    with pytest.raises(ConfigError, match="name 'a b'"):
        add_user(tmp_path / "u.yaml", "a b", "admin", "long-enough", rounds=4)


def test_cli_users_add_reads_the_password_from_stdin(tmp_path: Path) -> None:
    path = tmp_path / "users.yaml"
    env = {"PATH": "/usr/bin:/bin", "KLASINOV_DATA_DIR": str(tmp_path / "var"), "KLASINOV_USERS_FILE": str(path)}
    done = subprocess.run(
        [sys.executable, "-m", "assistant", "users", "add", "sari", "--role", "admin", "--password-stdin"],
        cwd=ROOT,
        env=env,
        input="kata-sandi-panjang\n",
        capture_output=True,
        text=True,
        check=True,
    )
    assert "added sari (admin)" in done.stdout
    assert load_directory(path).authenticate("sari", "kata-sandi-panjang")
