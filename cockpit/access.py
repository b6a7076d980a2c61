"""Who may do what: viewers look (with no login unless settings ask for one), staff import, undo and
change settings, and a login tied to one district sees only that district's data.

Accounts live in `.streamlit/secrets.toml` (table [cockpit_users], never committed) or in the
environment variable COCKPIT_USERS (the same TOML lines); each holds only a salted scrypt hash,
written by `python -m cockpit passwd NAME`. Failed logins are counted per user name on the server,
so a new browser session does not start the count again.

The pages use three calls:
    access.require_staff()   -> the staff name, or a login form and st.stop()
    access.current_user()    -> the logged-in User or None
    access.district_scope()  -> the district a login is tied to, or None (the whole city)
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets as token_source
import threading
import time
import tomllib
from dataclasses import dataclass
from pathlib import Path

import streamlit as st

ROLES = {"viewer": "查看", "staff": "工作人员"}
USERS_TABLE = "cockpit_users"
USERS_ENV = "COCKPIT_USERS"
SESSION_KEY = "cockpit_login"
MAX_FAILURES = 5        # wrong passwords in a row for one name ...
LOCK_SECONDS = 300      # ... lock that name for this long
# scrypt at 16 MiB of memory: about 50 ms a guess on the server, costly for anyone with a stolen hash.
_SCRYPT = {"n": 2**14, "r": 8, "p": 1}
_HASH_FORMAT = re.compile(r"^scrypt\$(\d+)\$(\d+)\$(\d+)\$([0-9a-f]{32,})\$([0-9a-f]{64})$")


@dataclass(frozen=True)
class User:
    name: str
    role: str                 # viewer or staff
    district: str | None      # None: the whole city
    password_hash: str = ""

    @property
    def is_staff(self) -> bool:
        return self.role == "staff"

    def describe(self) -> str:
        where = f"，仅{self.district}" if self.district else ""
        return f"{self.name}（{ROLES[self.role]}{where}）"


class LoginRefused(Exception):
    """Why a login failed, in Chinese, for the login form."""


class AccountsError(ValueError):
    """An account entry that cannot be used (a bad hash or role), naming the entry."""


# ---- hashes -----------------------------------------------------------------------------------

def hash_password(password: str, salt: bytes | None = None) -> str:
    """scrypt$n$r$p$salt$hash with a fresh 16-byte salt: the only form a password is ever stored in."""
    salt = salt or token_source.token_bytes(16)
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, dklen=32, **_SCRYPT)
    return f"scrypt${_SCRYPT['n']}${_SCRYPT['r']}${_SCRYPT['p']}${salt.hex()}${digest.hex()}"


def verify_password(password: str, stored: str) -> bool:
    found = _HASH_FORMAT.match(stored or "")
    if not found:
        return False
    n, r, p, salt, digest = found.groups()
    computed = hashlib.scrypt(password.encode("utf-8"), salt=bytes.fromhex(salt), n=int(n), r=int(r), p=int(p),
                              dklen=len(digest) // 2)
    return hmac.compare_digest(computed.hex(), digest)


# A hash to check against when the name is unknown, so a wrong name takes as long as a wrong password.
_DECOY_HASH = hash_password(token_source.token_hex(16))


def account_entry(name: str, password: str, role: str = "staff", district: str | None = None) -> str:
    """The secrets.toml table for one account (what `python -m cockpit passwd` prints)."""
    if role not in ROLES:
        raise AccountsError(f"角色应为 {'、'.join(ROLES)} 之一，现为 {role!r}")
    if not name.strip() or not password:
        raise AccountsError("用户名和密码都不能为空")
    lines = [f"[{USERS_TABLE}.{_toml_key(name.strip())}]", f'hash = "{hash_password(password)}"', f'role = "{role}"']
    if district:
        lines.append(f"district = {_toml_key(district.strip())}")
    return "\n".join(lines) + "\n"


def _toml_key(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def write_account(secrets_path: Path, entry: str) -> None:
    """Add the entry to secrets.toml, replacing an earlier entry for the same name."""
    header = entry.splitlines()[0]
    text = secrets_path.read_text(encoding="utf-8") if secrets_path.exists() else ""
    kept, skipping = [], False
    for line in text.splitlines(keepends=True):
        if line.strip().startswith("["):
            skipping = line.strip() == header
        if not skipping:
            kept.append(line)
    text = "".join(kept)
    if text and not text.endswith("\n"):
        text += "\n"
    secrets_path.parent.mkdir(parents=True, exist_ok=True)
    secrets_path.write_text(text + ("\n" if text else "") + entry, encoding="utf-8")
    os.chmod(secrets_path, 0o600)


# ---- accounts -----------------------------------------------------------------------------------

def load_users() -> dict[str, User]:
    """Every account from secrets.toml and COCKPIT_USERS (the environment wins on a shared name)."""
    tables = {}
    try:
        tables.update(dict(st.secrets.get(USERS_TABLE, {})))
    except (FileNotFoundError, tomllib.TOMLDecodeError, st.errors.StreamlitSecretNotFoundError):
        pass  # no secrets file: no accounts from it
    env_text = os.environ.get(USERS_ENV, "").strip()
    if env_text:
        try:
            parsed = tomllib.loads(env_text)
        except tomllib.TOMLDecodeError as err:
            raise AccountsError(f"环境变量 {USERS_ENV} 格式有误：{err}") from None
        tables.update(parsed.get(USERS_TABLE, parsed))
    return {name: _user(name, dict(entry)) for name, entry in tables.items()}


def _user(name: str, entry: dict) -> User:
    role = entry.get("role", "staff")
    if role not in ROLES:
        raise AccountsError(f"账号 {name} 的 role 应为 {'、'.join(ROLES)} 之一，现为 {role!r}")
    password_hash = str(entry.get("hash", ""))
    if not _HASH_FORMAT.match(password_hash):
        raise AccountsError(f"账号 {name} 的 hash 不是 python -m cockpit passwd 生成的格式（不能写明文密码）")
    district = entry.get("district") or None
    return User(name=name, role=role, district=str(district).strip() if district else None,
                password_hash=password_hash)


# ---- rate limiting --------------------------------------------------------------------------------

class LoginLimiter:
    """Failures per user name, kept in the server process: MAX_FAILURES in a row lock the name for
    LOCK_SECONDS. A successful login clears the count."""

    def __init__(self, max_failures: int = MAX_FAILURES, lock_seconds: float = LOCK_SECONDS, clock=time.monotonic):
        self.max_failures, self.lock_seconds, self.clock = max_failures, lock_seconds, clock
        self._failures: dict[str, tuple[int, float]] = {}  # name -> (count, time of the last failure)
        self._lock = threading.Lock()

    def seconds_locked(self, name: str) -> int:
        with self._lock:
            count, last = self._failures.get(name, (0, 0.0))
            if count < self.max_failures:
                return 0
            left = self.lock_seconds - (self.clock() - last)
            if left <= 0:
                del self._failures[name]
                return 0
            return max(1, round(left))

    def failed(self, name: str) -> None:
        with self._lock:
            count, _ = self._failures.get(name, (0, 0.0))
            self._failures[name] = (count + 1, self.clock())

    def succeeded(self, name: str) -> None:
        with self._lock:
            self._failures.pop(name, None)


LIMITER = LoginLimiter()


def wait_text(seconds: int) -> str:
    minutes, rest = divmod(seconds, 60)
    return f"{minutes} 分 {rest} 秒" if minutes else f"{rest} 秒"


def check_login(name: str, password: str, users: dict[str, User], limiter: LoginLimiter = LIMITER) -> User:
    """The user, or LoginRefused with the reason; every failure counts against the name."""
    name = (name or "").strip()
    locked = limiter.seconds_locked(name)
    if locked:
        raise LoginRefused(f"用户 {name} 连续 {limiter.max_failures} 次密码错误，已暂时锁定，请 {wait_text(locked)}后再试。")
    user = users.get(name)
    if not verify_password(password or "", user.password_hash if user else _DECOY_HASH) or user is None:
        limiter.failed(name)
        return _refuse(name, limiter)
    limiter.succeeded(name)
    return user


def _refuse(name: str, limiter: LoginLimiter):
    locked = limiter.seconds_locked(name)
    if locked:
        raise LoginRefused(f"用户名或密码不正确。连续 {limiter.max_failures} 次错误，用户 {name} 已锁定，"
                           f"请 {wait_text(locked)}后再试。")
    raise LoginRefused("用户名或密码不正确。")


# ---- the session --------------------------------------------------------------------------------

def current_user() -> User | None:
    found = st.session_state.get(SESSION_KEY)
    return found if isinstance(found, User) else None


def district_scope() -> str | None:
    """The one district this session may see, or None for the whole city."""
    user = current_user()
    return user.district if user else None


def logout() -> None:
    st.session_state.pop(SESSION_KEY, None)


def login_form(purpose: str, *, staff_only: bool) -> None:
    """The login form; a good login is stored in the session and the page runs again."""
    try:
        users = load_users()
    except AccountsError as err:
        st.error(f"账号设置有误：{err}")
        return
    if not any(u.is_staff or not staff_only for u in users.values()):
        st.info("还没有设置账号。请管理员在服务器上运行 python -m cockpit passwd 用户名 --write 添加账号（见 README“登录”一节）。")
        return
    with st.form("login_form"):
        st.subheader("登录")
        st.caption(purpose)
        name = st.text_input("用户名", key="login_name")
        password = st.text_input("密码", type="password", key="login_password")
        submitted = st.form_submit_button("登录", type="primary")
    if not submitted:
        return
    try:
        user = check_login(name, password, users)
    except LoginRefused as refused:
        st.error(str(refused))
        return
    if staff_only and not user.is_staff:
        st.error(f"{user.name} 是查看账号，不能进行此操作；请用工作人员账号登录。")
        return
    st.session_state[SESSION_KEY] = user
    st.rerun()


def require_staff(purpose: str = "导入数据、撤销导入和修改设置需要工作人员登录。") -> str:
    """The staff member's name; otherwise the login form is shown and the page stops here."""
    user = current_user()
    if user and user.is_staff:
        return user.name
    if user:
        st.warning(f"当前登录的 {user.describe()} 不是工作人员账号。{purpose}")
        st.button("退出登录", on_click=logout, key="switch_login")
        st.stop()
    login_form(purpose, staff_only=True)
    st.stop()


def require_viewer(viewer_login: bool) -> None:
    """When settings ask for a viewer password, every page first needs a login (viewer or staff)."""
    if not viewer_login or current_user():
        return
    login_form("查看驾驶舱需要登录。", staff_only=False)
    st.stop()


def sidebar_status() -> None:
    """Who is logged in, with a way out; nothing when nobody is."""
    user = current_user()
    if not user:
        return
    with st.sidebar:
        st.caption(f"已登录：{user.describe()}")
        st.button("退出登录", on_click=logout, key="sidebar_logout")
