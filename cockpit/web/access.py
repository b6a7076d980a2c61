"""Who may do what: viewers look (with no login unless settings ask for one), staff import, undo and
change settings, and a login tied to one district sees only that district's data.

Accounts live in `.streamlit/secrets.toml` (table [cockpit_users], never committed) or in the
environment variable COCKPIT_USERS (the same TOML lines); each holds only a salted scrypt hash,
written by `python -m cockpit passwd NAME`. Failed logins are counted per client address and user
name on the server, in a file beside the database files, so neither a new browser session nor a
restart starts the count again, and nobody can lock a name for everyone else.

A login lasts beyond its tab (settings [access] login_days): a signed, expiring token in an HttpOnly
cookie, set by the server's own endpoint (cockpit/web/server.py) that the page calls once with a one-time
ticket, so the token itself never reaches the page's scripts. The token names the user, role and
district and carries a fingerprint of the account's stored password hash: a changed password, role
or district, or a removed account ends it; logging out revokes it on the server and clears the cookie.

The pages use three calls:
    access.require_staff()   -> the staff name, or a login form and st.stop()
    access.current_user()    -> the logged-in User or None
    access.district_scope()  -> the district a login is tied to, or None (the whole city)
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import os
import re
import secrets as token_source
import threading
import time
import tomllib
from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from cockpit.settings import write_atomically
from cockpit.store import versions
from cockpit.web import fmt

log = logging.getLogger("cockpit.access")

ROLES = {"viewer": "查看", "staff": "工作人员"}
USERS_TABLE = "cockpit_users"
USERS_ENV = "COCKPIT_USERS"
SESSION_KEY = "cockpit_login"
TOKEN_KEY = "cockpit_login_token"      # the session's token (id, expiry), revoked when it logs out
TICKET_KEY = "cockpit_login_ticket"       # a ticket the page has yet to trade for its cookie
CLEAR_COOKIE_KEY = "cockpit_clear_cookie"  # a logout whose cookie the page has yet to clear
REFUSED_TOKEN_KEY = "cockpit_refused_token"  # a cookie's token found void, not checked again
COOKIE_NAME = "cockpit_login"
SECRET_KEY = "cockpit_login_secret"       # in secrets.toml; otherwise a file beside the database
FAILURES_FILE = "login-failures.json"
REVOKED_FILE = "login-revoked.json"
SECRET_FILE = "login-secret"
UNKNOWN_CLIENT = "本机或未知地址"          # the server's own machine, a proxy on it, or a test
TICKET_SECONDS = 60
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


# ---- files beside the database -----------------------------------------------------------------

def state_dir() -> Path:
    """Where logins keep what must outlive the server process: the database folder."""
    return versions.db_dir()


class _JsonFile:
    """A small dict kept in memory and written atomically to a JSON file at every change. A file that
    cannot be read starts empty (logged): it holds nothing a login cannot do without."""

    def __init__(self, path: Path | None):
        self.path, self.lock = path, threading.Lock()
        self.data: dict = {}
        if path and path.exists():
            try:
                loaded = json.loads(path.read_text(encoding="utf-8"))
                self.data = loaded if isinstance(loaded, dict) else {}
            except (OSError, ValueError):
                log.warning("无法读取 %s，从空白开始", path, exc_info=True)

    def save(self) -> None:
        if self.path is None:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            write_atomically(self.path, json.dumps(self.data, ensure_ascii=False).encode("utf-8"))
        except OSError:
            log.warning("无法写入 %s", self.path, exc_info=True)


# ---- rate limiting --------------------------------------------------------------------------------

class LoginLimiter:
    """Failures per client address and user name: MAX_FAILURES in a row from one client lock that name
    for that client for LOCK_SECONDS; other clients may still log in with it. A successful login
    clears the count, and a count whose last failure is LOCK_SECONDS old is forgotten. Kept in `path`
    (wall-clock times), so a restart keeps the locks; None keeps them in memory only."""

    def __init__(self, path: Path | None = None, max_failures: int = MAX_FAILURES,
                 lock_seconds: float = LOCK_SECONDS, clock=time.time):
        self.max_failures, self.lock_seconds, self.clock = max_failures, lock_seconds, clock
        self._file = _JsonFile(path)  # "client\nname" -> [count, time of the last failure]

    @staticmethod
    def _key(name: str, client: str) -> str:
        return f"{client}\n{name}"

    def seconds_locked(self, name: str, client: str = UNKNOWN_CLIENT) -> int:
        with self._file.lock:
            count, last = self._file.data.get(self._key(name, client), (0, 0.0))
            if count < self.max_failures:
                return 0
            left = self.lock_seconds - (self.clock() - last)
            return max(1, round(left)) if left > 0 else 0

    def failed(self, name: str, client: str = UNKNOWN_CLIENT) -> None:
        with self._file.lock:
            self._forget_old()
            count, _ = self._file.data.get(self._key(name, client), (0, 0.0))
            self._file.data[self._key(name, client)] = [count + 1, self.clock()]
            self._file.save()

    def succeeded(self, name: str, client: str = UNKNOWN_CLIENT) -> None:
        with self._file.lock:
            if self._file.data.pop(self._key(name, client), None) is not None:
                self._forget_old()
                self._file.save()

    def clear(self) -> None:
        with self._file.lock:
            self._file.data.clear()
            self._file.save()

    def _forget_old(self) -> None:
        now = self.clock()
        for key in [k for k, (_, last) in self._file.data.items() if now - last >= self.lock_seconds]:
            del self._file.data[key]


_LIMITERS: dict[Path, LoginLimiter] = {}
_FILES_LOCK = threading.Lock()


def _one_per_file(kept: dict, name: str, make):
    """The object kept for the login file `name` beside the database the server reads, made once."""
    path = state_dir() / name
    with _FILES_LOCK:
        if path not in kept:
            kept[path] = make(path)
        return kept[path]


def server_limiter() -> LoginLimiter:
    """The server's limiter, kept beside the database the server reads."""
    return _one_per_file(_LIMITERS, FAILURES_FILE, LoginLimiter)


def client_address() -> str:
    """The browser's address as the server sees it. Streamlit gives none for a connection from the
    server's own machine: that is a browser there, or a reverse proxy there, whose last
    X-Forwarded-For entry (the one it added itself) names the client; otherwise UNKNOWN_CLIENT."""
    try:
        address = st.context.ip_address
        if isinstance(address, str) and address:
            return address
        forwarded = st.context.headers.get("X-Forwarded-For") or st.context.headers.get("X-Real-Ip")
    except Exception:  # noqa: BLE001 - no browser connection (a test, a bare run)
        return UNKNOWN_CLIENT
    last = forwarded.split(",")[-1].strip() if isinstance(forwarded, str) else ""
    return f"经代理 {last}" if last else UNKNOWN_CLIENT


def wait_text(seconds: int) -> str:
    minutes, rest = divmod(seconds, 60)
    return f"{minutes} 分 {rest} 秒" if minutes else f"{rest} 秒"


def check_login(name: str, password: str, users: dict[str, User], limiter: LoginLimiter | None = None,
                client: str = UNKNOWN_CLIENT) -> User:
    """The user, or LoginRefused with the reason; every failure counts against the name, from this client."""
    limiter = limiter or server_limiter()
    name = (name or "").strip()
    locked = limiter.seconds_locked(name, client)
    if locked:
        raise LoginRefused(f"用户 {name} 连续 {limiter.max_failures} 次密码错误，已暂时锁定，请 {wait_text(locked)}后再试。")
    user = users.get(name)
    if not verify_password(password or "", user.password_hash if user else _DECOY_HASH) or user is None:
        limiter.failed(name, client)
        return _refuse(name, limiter, client)
    limiter.succeeded(name, client)
    return user


def _refuse(name: str, limiter: LoginLimiter, client: str):
    locked = limiter.seconds_locked(name, client)
    if locked:
        raise LoginRefused(f"用户名或密码不正确。连续 {limiter.max_failures} 次错误，用户 {name} 已锁定，"
                           f"请 {wait_text(locked)}后再试。")
    raise LoginRefused("用户名或密码不正确。")


# ---- lasting logins: signed tokens --------------------------------------------------------------

def password_fingerprint(user: User) -> str:
    """Changes whenever the stored password entry does (a new password gets a new salt)."""
    return hashlib.sha256(user.password_hash.encode("utf-8")).hexdigest()[:32]


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def issue_token(user: User, secret: bytes, lasts_seconds: float, now: float | None = None) -> tuple[str, str, int]:
    """(token, its id, its expiry): name, role, district, expiry and password fingerprint, signed with
    HMAC-SHA256."""
    token_id = token_source.token_hex(12)
    expires = int((now if now is not None else time.time()) + lasts_seconds)
    payload = {"n": user.name, "r": user.role, "d": user.district, "p": password_fingerprint(user),
               "e": expires, "i": token_id}
    body = _b64(json.dumps(payload, ensure_ascii=True, separators=(",", ":")).encode("ascii"))
    return f"{body}.{_b64(hmac.new(secret, body.encode('ascii'), hashlib.sha256).digest())}", token_id, expires


def read_token(token: str, secret: bytes, users: dict[str, User], revoked: "Revocations",
               now: float | None = None) -> tuple[User, str, float] | None:
    """(user, token id, expiry) for a token that is genuine, unexpired, not revoked and still matches the
    account as it stands (same role, district and password entry); None for anything else."""
    try:
        body, signature = token.split(".")
        if not hmac.compare_digest(_unb64(signature), hmac.new(secret, body.encode("ascii"), hashlib.sha256).digest()):
            return None
        payload = json.loads(_unb64(body))
        expires, token_id, name = float(payload["e"]), str(payload["i"]), payload["n"]
    except (ValueError, KeyError, TypeError, UnicodeError):
        return None
    user = users.get(name)
    if (user is None or expires <= (now if now is not None else time.time()) or revoked.is_revoked(token_id)
            or (payload.get("r"), payload.get("d")) != (user.role, user.district)
            or not hmac.compare_digest(str(payload.get("p", "")), password_fingerprint(user))):
        return None
    return user, token_id, expires


class Revocations:
    """Tokens ended by a logout before they expire: id -> expiry, forgotten once expired."""

    def __init__(self, path: Path | None = None, clock=time.time):
        self._file, self.clock = _JsonFile(path), clock

    def revoke(self, token_id: str, expires: float) -> None:
        with self._file.lock:
            now = self.clock()
            for old in [k for k, until in self._file.data.items() if until <= now]:
                del self._file.data[old]
            self._file.data[token_id] = expires
            self._file.save()

    def is_revoked(self, token_id: str) -> bool:
        with self._file.lock:
            return token_id in self._file.data


_REVOCATIONS: dict[Path, Revocations] = {}


def revocations() -> Revocations:
    return _one_per_file(_REVOCATIONS, REVOKED_FILE, Revocations)


def login_secret() -> bytes:
    """The key tokens are signed with: [cockpit_login_secret] in secrets.toml, else a random one made
    once into a file beside the database (owner-only; never committed). A new key ends every token."""
    try:
        configured = st.secrets.get(SECRET_KEY)
    except (FileNotFoundError, tomllib.TOMLDecodeError, st.errors.StreamlitSecretNotFoundError):
        configured = None
    if configured:
        return str(configured).encode("utf-8")
    path = state_dir() / SECRET_FILE
    try:
        return bytes.fromhex(path.read_text(encoding="ascii").strip())
    except (FileNotFoundError, ValueError):
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another session made it a moment ago
        return bytes.fromhex(path.read_text(encoding="ascii").strip())
    secret = token_source.token_bytes(32)
    with os.fdopen(fd, "w", encoding="ascii") as f:
        f.write(secret.hex())
    return secret


# Tickets the page trades, once, for its cookie at the server's endpoint (cockpit/web/server.py):
# ticket -> (token, seconds the cookie lasts, monotonic time the ticket expires).
_TICKETS: dict[str, tuple[str, int, float]] = {}
_TICKETS_LOCK = threading.Lock()


def ticket_for(token: str, lasts_seconds: int) -> str:
    ticket = token_source.token_urlsafe(24)
    with _TICKETS_LOCK:
        now = time.monotonic()
        for old in [t for t, (_, _, until) in _TICKETS.items() if until <= now]:
            del _TICKETS[old]
        _TICKETS[ticket] = (token, lasts_seconds, now + TICKET_SECONDS)
    return ticket


def redeem_ticket(ticket: str) -> tuple[str, int] | None:
    """(token, seconds the cookie lasts) for a live ticket, which is then used up; None otherwise."""
    with _TICKETS_LOCK:
        found = _TICKETS.pop(ticket, None)
    if found is None or found[2] <= time.monotonic():
        return None
    return found[0], found[1]


def ticket_pending(ticket: str) -> bool:
    with _TICKETS_LOCK:
        return ticket in _TICKETS


# ---- the session --------------------------------------------------------------------------------

def current_user() -> User | None:
    """The session's login; else a lasting login from this browser's cookie, taken into the session."""
    found = st.session_state.get(SESSION_KEY)
    if isinstance(found, User):
        return found
    return _user_from_cookie()


def _user_from_cookie() -> User | None:
    try:
        token = st.context.cookies.get(COOKIE_NAME)
    except Exception:  # noqa: BLE001 - no browser connection (a test, a bare run)
        return None
    if (not isinstance(token, str) or not token or st.session_state.get(CLEAR_COOKIE_KEY)
            or st.session_state.get(REFUSED_TOKEN_KEY) == token):
        return None
    try:
        found = read_token(token, login_secret(), load_users(), revocations())
    except (AccountsError, OSError):
        found = None
    if found is None:
        st.session_state[REFUSED_TOKEN_KEY] = token  # the session's cookie stays as it came: not asked again
        return None
    user, token_id, expires = found
    st.session_state[SESSION_KEY], st.session_state[TOKEN_KEY] = user, (token_id, expires)
    return user


def district_scope() -> str | None:
    """The one district this session may see, or None for the whole city."""
    user = current_user()
    return user.district if user else None


def logout() -> None:
    """Ends the session's login and its token (revoked on the server, cookie cleared by the page)."""
    st.session_state.pop(SESSION_KEY, None)
    st.session_state.pop(TICKET_KEY, None)
    token = st.session_state.pop(TOKEN_KEY, None)
    if token:
        revocations().revoke(*token)
    st.session_state[CLEAR_COOKIE_KEY] = True


def _lasting_seconds() -> int:
    from cockpit.web import cached  # cached imports this module

    return int(cached.settings().login_days * 86400)


def _remember(user: User) -> None:
    """The session's login, and a token for the page to trade for its cookie (when logins last)."""
    st.session_state[SESSION_KEY] = user
    st.session_state.pop(CLEAR_COOKIE_KEY, None)
    lasts = _lasting_seconds()
    if lasts <= 0:
        return
    try:
        secret = login_secret()
    except OSError:  # a store folder the server may not write: the login lasts for this tab only
        log.warning("无法保存登录签名密钥，本次登录只在当前标签页有效", exc_info=True)
        return
    token, token_id, expires = issue_token(user, secret, lasts)
    st.session_state[TOKEN_KEY] = (token_id, expires)
    st.session_state[TICKET_KEY] = ticket_for(token, lasts)


def cookie_path(name: str) -> str:
    """The server's endpoint for setting or clearing the login cookie (cockpit/web/server.py serves it)."""
    base = (st.get_option("server.baseUrlPath") or "").strip("/")
    return f"/{base}/_cockpit/{name}" if base else f"/_cockpit/{name}"


def cookie_script() -> None:
    """After a login, the page trades its ticket for the HttpOnly cookie; after a logout, it asks for
    the cookie to be cleared. Drawn on every run until done, so a rerun cannot lose it."""
    ticket = st.session_state.get(TICKET_KEY)
    if ticket and not ticket_pending(ticket):
        st.session_state.pop(TICKET_KEY, None)
        ticket = None
    if ticket:
        call = f"fetch({json.dumps(cookie_path('login'))}, {{method: 'POST', body: {json.dumps(ticket)}}})"
    elif st.session_state.pop(CLEAR_COOKIE_KEY, None):
        call = f"fetch({json.dumps(cookie_path('logout'))}, {{method: 'POST'}})"
    else:
        return
    st.sidebar.html(f"<script>{call}</script>", unsafe_allow_javascript=True)  # out of the page's layout


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
        user = check_login(name, password, users, client=client_address())
    except LoginRefused as refused:
        st.error(_plain(str(refused)))
        return
    if staff_only and not user.is_staff:
        st.error(f"{_plain(user.name)} 是查看账号，不能进行此操作；请用工作人员账号登录。")
        return
    _remember(user)
    st.rerun()


def _plain(text: str) -> str:
    return fmt.md(text)


def require_staff(purpose: str = "导入数据、撤销导入和修改设置需要工作人员登录。") -> str:
    """The staff member's name; otherwise the login form is shown and the page stops here."""
    user = current_user()
    if user and user.is_staff:
        return user.name
    if user:
        st.warning(f"当前登录的 {_plain(user.describe())} 不是工作人员账号。{purpose}")
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


def login_page() -> None:
    """The 登录 page: any account logs in here, also when viewing needs no login (a district
    account then sees only its district); a logged-in user sees who they are and a way out."""
    user = current_user()
    if user:
        st.success(f"已登录：{_plain(user.describe())}")
        if user.district:
            st.caption(f"各页面只显示{_plain(user.district)}的数据。")
        st.button("退出登录", on_click=logout, key="page_logout")
        return
    login_form("用工作人员或查看账号登录。绑定区县的账号登录后，各页面只显示本区县的数据。", staff_only=False)


def sidebar_status() -> None:
    """Who is logged in, with a way out; nothing when nobody is. Also sets or clears the login cookie."""
    cookie_script()
    user = current_user()
    if not user:
        return
    with st.sidebar:
        st.caption(f"已登录：{_plain(user.describe())}")
        st.button("退出登录", on_click=logout, key="sidebar_logout")
