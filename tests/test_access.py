"""Who may do what: salted hashes only, logins rate-limited per client and name (kept across a
restart), lasting logins by signed tokens, staff-only pages, a viewer password when settings ask for
one, a 登录 page for any account, and a district login that sees only its district's figures."""

import asyncio
import json
import subprocess
import sys
import tomllib

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from cockpit.settings import load_settings
from cockpit.store import readers, versions
from cockpit.web import access, server
from tests.browser import ROOT
from tests.conftest import TEST_SETTINGS

PASSWORD = "创城2026!"
STAFF = access.account_entry("王丽", PASSWORD, "staff")
VIEWER = access.account_entry("李明", PASSWORD, "viewer")
DISTRICT_STAFF = access.account_entry("赵强", PASSWORD, "staff", "广陵区")
DISTRICT_VIEWER = access.account_entry("孙芳", PASSWORD, "viewer", "广陵区")
TINY_AS_OF = "2026-06-10"


class FakeClock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


@pytest.fixture(autouse=True)
def fresh_state(monkeypatch, tmp_path):
    """Fresh caches, the test accounts, and the login files in a folder of this test's own."""
    st.cache_data.clear()
    st.cache_resource.clear()
    monkeypatch.setenv("COCKPIT_DB", str(tmp_path / "store"))
    monkeypatch.setenv(access.USERS_ENV, STAFF + VIEWER + DISTRICT_STAFF + DISTRICT_VIEWER)


def users() -> dict:
    return access.load_users()


# ---- hashes -------------------------------------------------------------------------------------

def test_a_hash_is_salted_and_never_the_password():
    first, second = access.hash_password(PASSWORD), access.hash_password(PASSWORD)
    assert first != second  # a fresh salt each time
    for stored in (first, second, STAFF):
        assert PASSWORD not in stored and PASSWORD.encode().hex() not in stored
    assert access.verify_password(PASSWORD, first) and access.verify_password(PASSWORD, second)
    assert not access.verify_password(PASSWORD + " ", first)
    assert not access.verify_password(PASSWORD, PASSWORD)  # a plain password is never accepted as a hash


def test_a_plain_password_in_the_accounts_is_refused(monkeypatch):
    monkeypatch.setenv(access.USERS_ENV, '[cockpit_users."王丽"]\nhash = "创城2026!"\n')
    with pytest.raises(access.AccountsError, match="^账号 王丽 的 hash 不是 python -m cockpit passwd 生成的格式"):
        access.load_users()


def test_the_passwd_command_prints_an_entry_that_logs_in(tmp_path):
    done = subprocess.run([sys.executable, "-m", "cockpit", "passwd", "周敏", "--district", "邗江区", "--password-stdin"],
                          input=PASSWORD + "\n", capture_output=True, text=True, cwd=ROOT, check=True)
    assert PASSWORD not in done.stdout
    entry = tomllib.loads(done.stdout)["cockpit_users"]["周敏"]
    assert entry["role"] == "staff" and entry["district"] == "邗江区"
    assert access.verify_password(PASSWORD, entry["hash"])


def test_writing_an_account_replaces_the_old_entry_of_that_name(tmp_path):
    secrets = tmp_path / ".streamlit" / "secrets.toml"
    secrets.parent.mkdir()
    secrets.write_text('[other]\nkey = 1\n', encoding="utf-8")
    access.write_account(secrets, access.account_entry("周敏", "旧密码"))
    access.write_account(secrets, access.account_entry("周敏", "新密码", "viewer"))
    written = tomllib.loads(secrets.read_text(encoding="utf-8"))
    assert written["other"] == {"key": 1}
    assert list(written["cockpit_users"]) == ["周敏"]
    assert written["cockpit_users"]["周敏"]["role"] == "viewer"
    assert access.verify_password("新密码", written["cockpit_users"]["周敏"]["hash"])
    assert secrets.stat().st_mode & 0o077 == 0


# ---- rate limiting ------------------------------------------------------------------------------

def test_five_failures_lock_the_name_then_the_lock_expires():
    clock = FakeClock()
    limiter = access.LoginLimiter(max_failures=5, lock_seconds=300, clock=clock)
    for _ in range(4):
        with pytest.raises(access.LoginRefused, match="^用户名或密码不正确。$"):
            access.check_login("王丽", "错的", users(), limiter)
    with pytest.raises(access.LoginRefused) as fifth:
        access.check_login("王丽", "错的", users(), limiter)
    assert str(fifth.value) == "用户名或密码不正确。连续 5 次错误，用户 王丽 已锁定，请 5 分 0 秒后再试。"
    clock.now += 100
    with pytest.raises(access.LoginRefused) as locked:  # even the right password waits
        access.check_login("王丽", PASSWORD, users(), limiter)
    assert str(locked.value) == "用户 王丽 连续 5 次密码错误，已暂时锁定，请 3 分 20 秒后再试。"
    assert access.check_login("李明", PASSWORD, users(), limiter).name == "李明"  # other names are not locked
    clock.now += 200
    assert access.check_login("王丽", PASSWORD, users(), limiter).role == "staff"


def test_a_good_login_clears_the_count():
    limiter = access.LoginLimiter(max_failures=3, lock_seconds=60, clock=FakeClock())
    for _ in range(2):
        with pytest.raises(access.LoginRefused):
            access.check_login("王丽", "错的", users(), limiter)
    access.check_login("王丽", PASSWORD, users(), limiter)
    for _ in range(2):
        with pytest.raises(access.LoginRefused, match="^用户名或密码不正确。$"):
            access.check_login("王丽", "错的", users(), limiter)


def test_a_locked_name_stays_open_to_other_clients(tmp_path):
    limiter = access.LoginLimiter(tmp_path / "failures.json", max_failures=5, lock_seconds=300, clock=FakeClock())
    for _ in range(5):
        with pytest.raises(access.LoginRefused):
            access.check_login("王丽", "错的", users(), limiter, client="10.0.0.66")
    with pytest.raises(access.LoginRefused, match="^用户 王丽 连续 5 次密码错误，已暂时锁定，请 5 分 0 秒后再试。$"):
        access.check_login("王丽", PASSWORD, users(), limiter, client="10.0.0.66")
    assert access.check_login("王丽", PASSWORD, users(), limiter, client="10.0.0.8").name == "王丽"
    assert (limiter.seconds_locked("王丽", "10.0.0.66"), limiter.seconds_locked("王丽", "10.0.0.8")) == (300, 0)


def test_a_lock_survives_a_restart(tmp_path):
    path, clock = tmp_path / "store" / access.FAILURES_FILE, FakeClock()
    before = access.LoginLimiter(path, max_failures=5, lock_seconds=300, clock=clock)
    for _ in range(5):
        with pytest.raises(access.LoginRefused):
            access.check_login("王丽", "错的", users(), before, client="10.0.0.66")
    for _ in range(2):
        with pytest.raises(access.LoginRefused):
            access.check_login("李明", "错的", users(), before, client="10.0.0.66")
    clock.now += 60
    after = access.LoginLimiter(path, max_failures=5, lock_seconds=300, clock=clock)  # a new server process
    assert after.seconds_locked("王丽", "10.0.0.66") == 240
    with pytest.raises(access.LoginRefused, match="请 4 分 0 秒后再试"):
        access.check_login("王丽", PASSWORD, users(), after, client="10.0.0.66")
    for _ in range(3):  # 李明's two failures were kept: three more lock him
        with pytest.raises(access.LoginRefused):
            access.check_login("李明", "错的", users(), after, client="10.0.0.66")
    assert after.seconds_locked("李明", "10.0.0.66") == 300
    assert PASSWORD not in path.read_text(encoding="utf-8") and "错的" not in path.read_text(encoding="utf-8")
    clock.now += 300
    assert access.check_login("王丽", PASSWORD, users(), after, client="10.0.0.66").name == "王丽"
    assert json.loads(path.read_text(encoding="utf-8")) == {}  # expired counts are not kept


def test_the_page_counts_failures_in_the_store_folder(tiny_store):
    for _ in range(5):
        at = log_in(open_app("pages/settings.py"), "王丽", "错的")
    assert [e.value for e in at.error] == ["用户名或密码不正确。连续 5 次错误，用户 王丽 已锁定，请 5 分 0 秒后再试。"]
    saved = json.loads((tiny_store / access.FAILURES_FILE).read_text(encoding="utf-8"))
    assert [(key.split("\n"), count) for key, (count, _) in saved.items()] == [([access.UNKNOWN_CLIENT, "王丽"], 5)]


def test_an_unknown_name_is_refused_like_a_wrong_password():
    with pytest.raises(access.LoginRefused, match="^用户名或密码不正确。$"):
        access.check_login("不存在", PASSWORD, users())


# ---- pages --------------------------------------------------------------------------------------

def open_app(page: str | None = None, login: str | None = None, **url) -> AppTest:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.query_params["as_of"] = TINY_AS_OF
    at.query_params.update(url)
    if login:
        at.session_state[access.SESSION_KEY] = users()[login]
    at.run()
    if page:
        at.switch_page(page).run()
    assert not at.exception
    return at


def log_in(at: AppTest, name: str, password: str = PASSWORD) -> AppTest:
    at.text_input(key="login_name").input(name)
    at.text_input(key="login_password").input(password)
    [submit] = [b for b in at.button if b.label == "登录"]
    submit.click().run()
    assert not at.exception
    return at


@pytest.fixture
def tiny_store(tiny_db_dir, monkeypatch):
    monkeypatch.setenv("COCKPIT_DB", str(tiny_db_dir))
    return tiny_db_dir


def test_the_settings_page_asks_a_viewer_to_log_in(tiny_store):
    at = open_app("pages/settings.py")
    assert [t.label for t in at.text_input] == ["用户名", "密码"]
    assert not at.data_editor and not [b for b in at.button if b.label == "保存"]


def test_a_viewer_account_cannot_open_the_settings_page(tiny_store):
    at = log_in(open_app("pages/settings.py"), "李明")
    assert [e.value for e in at.error] == ["李明 是查看账号，不能进行此操作；请用工作人员账号登录。"]
    assert not at.data_editor


def test_a_wrong_password_is_refused_on_the_page(tiny_store):
    at = log_in(open_app("pages/settings.py"), "王丽", "错的")
    assert [e.value for e in at.error] == ["用户名或密码不正确。"]
    assert not at.data_editor


def test_staff_log_in_and_see_the_editor(tiny_store):
    at = log_in(open_app("pages/settings.py"), "王丽")
    assert at.data_editor and not [t for t in at.text_input if t.label == "用户名"]
    frame = open_app(login="王丽")  # (AppTest keeps only a switched-to page's own elements: the frame is checked here)
    assert "已登录：王丽（工作人员）" in [c.value for c in frame.sidebar.caption]


def test_with_a_viewer_password_every_page_needs_a_login(tiny_store, tmp_path, monkeypatch):
    conf = tmp_path / "settings.toml"
    conf.write_text(TEST_SETTINGS.read_text(encoding="utf-8").replace(
        "viewer_login = false", "viewer_login = true"), encoding="utf-8")
    monkeypatch.setenv("COCKPIT_SETTINGS", str(conf))
    at = open_app()
    assert [t.label for t in at.text_input] == ["用户名", "密码"] and not at.metric
    at = log_in(at, "李明")
    assert at.metric  # the progress page's figures


def figures(at: AppTest) -> tuple:
    """Every figure a page shows: its metrics and its tables."""
    return {m.label: m.value for m in at.metric}, [df.value.to_csv() for df in at.dataframe]


def test_a_district_login_sees_only_its_district_on_the_progress_page(tiny_store):
    city = open_app("pages/progress.py")
    scoped = open_app("pages/progress.py", login="赵强", district="邗江区")  # a URL asking for another district is overruled
    chosen = open_app("pages/progress.py", district="广陵区")
    assert figures(scoped) == figures(chosen) != figures(city)
    assert (figures(city)[0]["问题总数"], figures(scoped)[0]["问题总数"]) == ("20", "16")  # 4 problems are 邗江区's
    assert [m.disabled for m in scoped.sidebar.multiselect if m.label == "区县"] == [True]


def test_a_district_login_sees_only_its_district_on_the_map(tiny_store):
    city = open_app("pages/hotspots.py")
    scoped = open_app("pages/hotspots.py", login="赵强")
    assert set(city.dataframe[0].value["street"]) == {"东关街道", "汶河街道", "蒋王街道"}
    assert set(scoped.dataframe[0].value["street"]) == {"东关街道", "汶河街道"}  # 广陵区's streets only


# ---- every page, through the scoped connection (cockpit/store/readers.py DISTRICT_SCOPE) ------------------------

def test_a_district_connection_reads_only_that_district(tiny_db_dir):
    path = versions.current_file(tiny_db_dir)
    city, scoped = readers.open_reader(path), readers.open_reader(path, "广陵区")
    try:
        count = "select count(*) from {}"
        # tiny.sql: 21 problems (17 in 广陵区, one found after D), 6 points (4 in 广陵区)
        assert [scoped.execute(count.format(t)).fetchone()[0] for t in ("problems", "points")] == [17, 4]
        assert [city.execute(count.format(t)).fetchone()[0] for t in ("problems", "points")] == [21, 6]
        assert scoped.execute("select distinct district from problems").fetchall() == [("广陵区",)]
        assert scoped.execute("select count(*) from problem_history where problem_id not in "
                              "(select problem_id from problems)").fetchone() == (0,)
        assert readers.open_reader(path, "无此区' or '1'='1").execute(count.format("problems")).fetchone() == (0,)
    finally:
        city.close()
        scoped.close()


@pytest.mark.parametrize("page", ["pages/rankings.py", "pages/countdown.py", "pages/brief.py", "pages/points.py"])
def test_a_district_login_sees_only_its_district_on_every_page(tiny_store, page):
    city = open_app(page)
    scoped = open_app(page, login="赵强")
    assert figures(scoped) != figures(city)
    text = " ".join(figures(scoped)[1])
    for name in ("蒋王街道", "邗江公园"):  # 邗江区's street and its point
        assert name not in text


def test_a_district_login_cannot_open_another_districts_problem_by_its_id(tiny_store):
    at = open_app("pages/progress.py", login="赵强", problem="P03")  # P03 is 蒋王街道, 邗江区
    assert "电动车堵塞人行道" not in " ".join(str(m.value) for m in at.markdown)
    assert not any("P03" in df.value.to_csv() for df in at.dataframe)


# ---- the 登录 page ---------------------------------------------------------------------------------

def test_a_district_viewer_logs_in_on_the_login_page_and_sees_only_its_district(tiny_store):
    assert load_settings().viewer_login is False  # the committed settings: anyone may look
    at = open_app("pages/login.py")
    assert [t.label for t in at.text_input] == ["用户名", "密码"]  # viewing needs no login, yet one is offered
    log_in(at, "孙芳")
    assert [s.value for s in at.success] == ["已登录：孙芳（查看，仅广陵区）"]
    at.switch_page("pages/progress.py").run()
    assert not at.exception
    assert figures(at)[0]["问题总数"] == "16"  # 广陵区's; the city has 20
    assert [m.disabled for m in at.sidebar.multiselect if m.label == "区县"] == [True]


def test_logging_out_on_the_login_page_asks_again(tiny_store):
    at = log_in(open_app("pages/login.py"), "王丽")
    [logout] = [b for b in at.button if b.label == "退出登录" and b.key == "page_logout"]
    logout.click().run()
    assert [t.label for t in at.text_input] == ["用户名", "密码"] and access.SESSION_KEY not in at.session_state


# ---- lasting logins: tokens -------------------------------------------------------------------------

SECRET = b"k" * 32
DAY = 86400


def token_for(name: str, now: float = 1000.0, lasts: float = 7 * DAY) -> str:
    return access.issue_token(users()[name], SECRET, lasts, now=now)[0]


def read(token: str, accounts=None, revoked=None, now: float = 2000.0, secret: bytes = SECRET):
    found = access.read_token(token, secret, accounts or users(), revoked or access.Revocations(), now=now)
    return found and found[0].name


def test_a_token_names_its_user_until_it_expires():
    token = token_for("赵强")
    assert read(token) == "赵强"
    found = access.read_token(token, SECRET, users(), access.Revocations(), now=2000.0)
    assert (found[0].role, found[0].district) == ("staff", "广陵区")
    assert read(token, now=1000.0 + 7 * DAY - 1) == "赵强" and read(token, now=1000.0 + 7 * DAY) is None
    assert PASSWORD not in token and users()["赵强"].password_hash not in token


def test_a_forged_or_foreign_token_is_refused():
    token = token_for("李明")
    body, signature = token.split(".")
    other = access._b64(json.dumps({**json.loads(access._unb64(body)), "r": "staff"}).encode())
    assert read(f"{other}.{signature}") is None           # a viewer made staff
    assert read(token, secret=b"x" * 32) is None          # another server's key
    assert [read(bad) for bad in ("", "abc", "a.b.c", f"{body}.")] == [None] * 4


def test_a_changed_password_role_or_district_or_a_removed_account_ends_the_token():
    token = token_for("王丽")
    changed = {**users(), "王丽": access.User("王丽", "staff", None, access.hash_password("新密码"))}
    assert read(token, changed) is None
    assert read(token, {**users(), "王丽": access.User("王丽", "viewer", None, users()["王丽"].password_hash)}) is None
    assert read(token, {**users(), "王丽": access.User("王丽", "staff", "广陵区", users()["王丽"].password_hash)}) is None
    assert read(token, {k: v for k, v in users().items() if k != "王丽"}) is None
    assert read(token) == "王丽"


def test_a_revoked_token_stays_revoked_after_a_restart(tmp_path):
    token, token_id, expires = access.issue_token(users()["王丽"], SECRET, 7 * DAY, now=1000.0)
    path = tmp_path / access.REVOKED_FILE
    assert expires == 1000 + 7 * DAY
    access.Revocations(path, clock=lambda: 2000.0).revoke(token_id, expires)
    assert read(token, revoked=access.Revocations(path)) is None
    assert read(token_for("王丽"), revoked=access.Revocations(path)) == "王丽"  # another login of the name


def test_the_signing_key_is_made_once_owner_only_beside_the_database(tmp_path):
    first = access.login_secret()
    path = tmp_path / "store" / access.SECRET_FILE
    assert len(first) == 32 and access.login_secret() == first
    assert path.stat().st_mode & 0o077 == 0


def test_a_login_on_the_page_hands_out_a_ticket_for_a_lasting_cookie(tiny_store):
    at = log_in(open_app("pages/login.py"), "王丽")
    ticket, (token_id, _) = at.session_state[access.TICKET_KEY], at.session_state[access.TOKEN_KEY]
    token, lasts = access.redeem_ticket(ticket)
    assert lasts == 7 * DAY and access.redeem_ticket(ticket) is None  # used once
    found = access.read_token(token, access.login_secret(), users(), access.revocations())
    assert (found[0].name, found[1]) == ("王丽", token_id)
    [logout] = [b for b in at.button if b.key == "page_logout"]
    logout.click().run()
    assert access.read_token(token, access.login_secret(), users(), access.revocations()) is None
    assert token_id in json.loads((tiny_store / access.REVOKED_FILE).read_text(encoding="utf-8"))


def post(endpoint, body: bytes = b""):
    """One POST to a server endpoint, as Starlette hands it over."""
    from starlette.requests import Request

    async def receive():
        return {"type": "http.request", "body": body, "more_body": False}

    scope = {"type": "http", "method": "POST", "path": "/_cockpit/login", "headers": [], "query_string": b""}
    return asyncio.run(endpoint(Request(scope, receive)))


def test_the_server_trades_a_ticket_once_for_an_httponly_strict_cookie():
    ticket = access.ticket_for("a-token", 7 * DAY)
    answer = post(server.set_login_cookie, ticket.encode())
    cookie = answer.headers["set-cookie"]
    assert answer.status_code == 204 and cookie.startswith(f"{access.COOKIE_NAME}=a-token;")
    assert {"HttpOnly", "SameSite=strict", f"Max-Age={7 * DAY}", "Path=/"} <= {p.strip() for p in cookie.split(";")}
    assert post(server.set_login_cookie, ticket.encode()).status_code == 403  # used up
    assert post(server.set_login_cookie, b"guessed").status_code == 403
    cleared = post(server.clear_login_cookie).headers["set-cookie"]
    assert cleared.startswith(f'{access.COOKIE_NAME}="";') and "Max-Age=0" in cleared
