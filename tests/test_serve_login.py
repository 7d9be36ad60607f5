"""Issue 25, hole 1: `serve` has a log-in of its own; the attacks of the review, repeated against a real server."""
from __future__ import annotations

import asyncio
import json
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import urllib.error
import urllib.request

import pytest

pytest.importorskip("textual_serve", reason="the optional 'serve' extra (textual-serve) is not installed")

import aiohttp  # noqa: E402 - textual-serve's own dependency

from klantbeheer.data import customers, passwords  # noqa: E402
from klantbeheer.data.errors import NotPermitted  # noqa: E402
from klantbeheer.data.models import StaffEvent  # noqa: E402
from tests.support.foundation_helpers import run_cli  # noqa: E402
from tests.support.serve_helpers import REPO, await_state, children, read_until, serving, type_keys, wait_for  # noqa: E402
from tests.support.waiting import POLL_S, app_until

ANNA = "anna-wachtwoord-7"
MIA = "mia-wachtwoord-42"


@pytest.fixture
def office(demo_db: str) -> str:
    """The demo database with beheerder anna and medewerker mw, both with a password; admin runs the server."""
    from klantbeheer.data import staff

    staff.add("anna", "Anna Beheerder", "beheerder", "admin")
    passwords.set_password("anna", ANNA, "admin")
    passwords.set_password("mw", MIA, "mw")
    return demo_db


def socket_url(base: str) -> str:
    """The app socket of a served base URL."""
    return base.replace("http://", "ws://") + "/ws?width=100&height=30"


def headers_of(url: str) -> tuple[int, dict[str, str], bytes]:
    """Status, headers and body of a GET, errors included."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


# ----------------------------------------------------------------- a real browser
def chromium() -> object:
    """A headless Chromium driven through chromedriver (selenium); skipped when neither is installed."""
    webdriver = pytest.importorskip("selenium.webdriver")
    from selenium.webdriver.chrome.service import Service

    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    driver_path = shutil.which("chromedriver")
    if not browser or not driver_path:
        pytest.skip("chromium and chromium-driver are not installed (apt-get install -y chromium chromium-driver)")
    options = webdriver.ChromeOptions()
    options.binary_location = browser
    for argument in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run",
                     f"--user-data-dir={tempfile.mkdtemp(prefix='h25-chromium-')}", "--window-size=1400,1000"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(service=Service(driver_path), options=options)


# The page draws on a canvas; this copy of what the page's socket received lets the test wait for a screen.
RECORD_SOCKET = """
window.__painted = "";
const Original = window.WebSocket;
window.WebSocket = function (...args) {
  const socket = new Original(...args);
  const decoder = new TextDecoder();
  socket.addEventListener("message", async (event) => {
    const data = event.data instanceof Blob ? await event.data.arrayBuffer() : event.data;
    window.__painted += typeof data === "string" ? data : decoder.decode(data, {stream: true});
  });
  return socket;
};
window.WebSocket.prototype = Original.prototype;
"""


def test_real_browser_logs_in_and_blocks_as_that_user(office: str) -> None:
    """Headless Chromium: the log-in screen, anna signs in, blocks 1004 by keys; the history says anna, not admin."""
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    assert not customers.get(1004)["blocked"]
    driver = chromium()
    try:
        with serving(office) as (base, _process):
            driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": RECORD_SOCKET})
            driver.get(base + "/")

            def painted(text: str) -> bool:
                screen = driver.execute_script("return window.__painted || ''")
                return text in screen.replace("\x1b", "")

            wait_for(lambda: painted("Wachtwoord"), "the log-in screen in the browser")
            terminal = driver.find_element(By.CSS_SELECTOR, ".xterm-helper-textarea")
            driver.execute_script("arguments[0].focus()", terminal)
            keys = ActionChains(driver)
            keys.send_keys("anna", Keys.ENTER, ANNA, Keys.ENTER).perform()
            wait_for(lambda: painted("Beheer › Derde partijen › Klanten"), "the search screen after signing in")
            assert ANNA not in driver.execute_script("return window.__painted")  # masked: never painted
            ActionChains(driver).send_keys("1004").perform()
            wait_for(lambda: painted("1004"), "1004 in the search box")
            ActionChains(driver).send_keys(Keys.ENTER).perform()
            wait_for(lambda: painted("Beheer Eigenaars"), "the customer form")
            ActionChains(driver).key_down(Keys.CONTROL).send_keys("b").key_up(Keys.CONTROL).perform()
            wait_for(lambda: painted("Reden"), "the block dialog")
            ActionChains(driver).send_keys(Keys.ENTER).perform()
            ActionChains(driver).send_keys(Keys.DOWN).perform()
            ActionChains(driver).send_keys(Keys.ENTER).perform()
            ActionChains(driver).key_down(Keys.CONTROL).send_keys("s").key_up(Keys.CONTROL).perform()
            ActionChains(driver).key_down(Keys.CONTROL).send_keys("s").key_up(Keys.CONTROL).perform()
            wait_for(lambda: customers.get(1004)["blocked"], "customer 1004 blocked through the browser")
            violations = [entry for entry in driver.get_log("browser") if "Content Security Policy" in entry["message"]]
            assert violations == []  # the page works under its own CSP
    finally:
        driver.quit()
    blocked = customers.get(1004)
    assert blocked["blocked_by"] == "anna"
    event = next(e for e in customers.history(1004) if e["kind"] == "blocked")
    assert event["operator"] == "anna"
    signed = [(e.username, e.kind) for e in StaffEvent.select().order_by(StaffEvent.id)]
    assert ("anna", "login") in signed


# ----------------------------------------------------------------- the socket itself
async def refused_status(url: str, headers: dict[str, str]) -> int:
    """The HTTP status with which the server refuses a socket (0 when it accepted it)."""
    async with aiohttp.ClientSession() as client:
        try:
            async with client.ws_connect(url, headers=headers):
                return 0
        except aiohttp.WSServerHandshakeError as refused:
            return refused.status


async def test_cross_origin_socket_is_refused_and_starts_no_process(office: str) -> None:
    """`Origin: http://evil.example` (and a wrong Host, and no Origin): 403, and not one process started."""
    with serving(office) as (base, process):
        url = socket_url(base)
        assert await refused_status(url, {"Origin": "http://evil.example"}) == 403
        assert await refused_status(url, {}) == 403
        assert await refused_status(url, {"Origin": base, "Host": "evil.example"}) == 403
        assert await refused_status(url, {"Origin": base.replace("127.0.0.1", "localhost")}) == 403
        assert children(process.pid) == []
        async with aiohttp.ClientSession() as client:  # the served origin itself is let in
            async with client.ws_connect(url, headers={"Origin": base}) as accepted:
                await read_until(accepted, "Wachtwoord")
                assert children(process.pid) != []


async def test_the_socket_types_the_old_attack_and_meets_the_log_in_screen(office: str) -> None:
    """The review's keys (1004, Enter, Ctrl+B, …) on an accepted socket reach only the log-in screen: nothing blocked."""
    with serving(office) as (base, _process):
        async with aiohttp.ClientSession() as client:
            async with client.ws_connect(socket_url(base), headers={"Origin": base}) as socket_:
                await read_until(socket_, "Wachtwoord")
                await type_keys(socket_, "1004", "\r", "\x02", "\r", "\x1b[B", "\r", "\x13", "\x13", "\x10")
                await type_keys(socket_, "\r")  # Enter in the password field: a sign-in attempt, refused
                await read_until(socket_, "onjuist")
    assert not customers.get(1004)["blocked"]


def test_headers_on_every_response_and_no_listing(office: str) -> None:
    """CSP with frame-ancestors 'none' and X-Frame-Options DENY on the page, static files, errors; /static/ lists nothing."""
    with serving(office) as (base, _process):
        for path in ("/", "/static/js/textual.js", "/static/", "/static/js/", "/nothing-here"):
            status, headers, body = headers_of(base + path)
            policy = headers.get("Content-Security-Policy", "")
            assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy, path
            assert headers.get("X-Frame-Options") == "DENY", path
            if path.endswith("/") and path != "/":
                assert status in (403, 404), path
                assert b"textual.js" not in body and b"Index of" not in body, path
        assert "'unsafe-inline'" not in policy.split("script-src", 1)[1].split(";", 1)[0]


async def test_session_limit_refuses_the_socket_beyond_it(office: str) -> None:
    """--max-sessions 2: a third socket is refused (503) and starts nothing; a place freed is taken again."""
    with serving(office, "--max-sessions", "2") as (base, process):
        url = socket_url(base)
        async with aiohttp.ClientSession() as client:
            first = await client.ws_connect(url, headers={"Origin": base})
            second = await client.ws_connect(url, headers={"Origin": base})
            await read_until(first, "Wachtwoord")
            await read_until(second, "Wachtwoord")
            started = len(children(process.pid))
            assert await refused_status(url, {"Origin": base}) == 503
            assert len(children(process.pid)) == started
            await first.close()

            for _ in range(int(60 / POLL_S)):  # free once the first app has stopped (each try is a real connection)
                if await refused_status(url, {"Origin": base}) == 0:
                    break
                await asyncio.sleep(POLL_S)
            else:
                raise AssertionError("the freed place was never given again")
            await second.close()


async def test_idle_session_ends(office: str) -> None:
    """--idle-minutes: a socket without input is closed by the server and its app process ends."""
    with serving(office, "--idle-minutes", "0.05") as (base, process):
        async with aiohttp.ClientSession() as client:
            async with client.ws_connect(socket_url(base), headers={"Origin": base}) as socket_:
                await await_state(lambda: children(process.pid), "the session's app process started")
                while True:  # no input at all: the server closes the socket (whether or not the app painted yet)
                    message = await asyncio.wait_for(socket_.receive(), 60)
                    if message.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED, aiohttp.WSMsgType.CLOSING):
                        break
        await await_state(lambda: children(process.pid) == [], "the idle session's app process ended")


async def test_wrong_password_five_times_locks_out_across_sessions(office: str) -> None:
    """Five wrong passwords on one socket lock mw out; on a new socket even the right password is refused."""
    with serving(office) as (base, _process):
        async with aiohttp.ClientSession() as client:
            async with client.ws_connect(socket_url(base), headers={"Origin": base}) as socket_:
                await read_until(socket_, "Wachtwoord")
                await type_keys(socket_, "mw", "\r")
                for attempt in range(5):
                    await type_keys(socket_, f"fout-wachtwoord-{attempt}", "\r")
                    await await_state(lambda: StaffEvent.select().where(
                        (StaffEvent.username == "mw") & (StaffEvent.kind == "login_failed")).count() > attempt,
                        f"failed sign-in {attempt + 1} recorded")
                await read_until(socket_, "Te veel mislukte aanmeldingen")
            async with client.ws_connect(socket_url(base), headers={"Origin": base}) as again:
                await read_until(again, "Wachtwoord")
                await type_keys(again, "mw", "\r", MIA, "\r")
                await read_until(again, "Te veel mislukte aanmeldingen")
    kinds = [e.kind for e in StaffEvent.select().where(StaffEvent.username == "mw").order_by(StaffEvent.id)]
    assert kinds.count("login_failed") == 6 and "locked" in kinds and "login" not in kinds
    with pytest.raises(NotPermitted, match="Te veel mislukte"):
        passwords.sign_in("mw", MIA)


def test_public_host_needs_an_https_public_url(db_path: str) -> None:
    """--host 0.0.0.0 without --public-url, or with an http:// one: one Dutch sentence, exit 2, nothing listens."""
    for extra in ([], ["--public-url", "http://klanten.example"]):
        done = run_cli("serve", "--host", "0.0.0.0", "--port", "1", *extra, db=db_path, operator=None)
        assert done.code == 2, done.err
        assert "--public-url https://" in done.err and "Traceback" not in done.err
        assert len(done.err.strip().splitlines()) == 1


def test_serve_takes_no_operator(db_path: str) -> None:
    """`serve --operator admin`: refused; the server's account is never the operator of a browser session."""
    done = run_cli("serve", "--port", "1", db=db_path, operator="admin")
    assert done.code == 2 and "--operator" in done.err and "Traceback" not in done.err


def test_public_host_with_https_url_warns(db_path: str) -> None:
    """--host 0.0.0.0 --public-url https://…: it serves, with a warning on stderr naming the accepted URL."""
    from tests.support.serve_helpers import free_port

    process = subprocess.Popen(
        [sys.executable, str(REPO / "app.py"), "serve", "--db", db_path, "--host", "0.0.0.0",
         "--port", str(free_port()), "--public-url", "https://klanten.example"],
        cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, start_new_session=True,
    )
    try:
        line = process.stderr.readline()
    finally:
        process.terminate()
        process.wait(timeout=20)
    assert "Let op" in line and "https://klanten.example" in line


# ----------------------------------------------------------------- passwords on the command line
def test_staff_password_rules_and_storage(db_path: str) -> None:
    """stdin sets a password; a medewerker only their own; stored as argon2id, never shown, never in plain text."""
    done = subprocess.run([sys.executable, str(REPO / "app.py"), "--db", db_path, "--operator", "mw", "staff", "password", "mw"],
                          input=MIA + "\n", capture_output=True, text=True, cwd=REPO, timeout=60)
    assert done.returncode == 0, done.stderr
    assert MIA not in done.stdout + done.stderr
    refused = subprocess.run([sys.executable, str(REPO / "app.py"), "--db", db_path, "--operator", "mw", "staff", "password", "admin"],
                             input="overgenomen-wachtwoord\n", capture_output=True, text=True, cwd=REPO, timeout=60)
    assert refused.returncode == 4 and "beheerder" in refused.stderr and "Traceback" not in refused.stderr
    short = subprocess.run([sys.executable, str(REPO / "app.py"), "--db", db_path, "--operator", "admin", "staff", "password", "mw"],
                           input="kort\n", capture_output=True, text=True, cwd=REPO, timeout=60)
    assert short.returncode == 2 and "te kort" in short.stderr
    with sqlite3.connect(db_path) as raw:
        stored = raw.execute("SELECT p.hash FROM staff_password p JOIN staff s ON s.id = p.staff_id").fetchall()
        dump = "\n".join(raw.iterdump())
    assert len(stored) == 1 and stored[0][0].startswith("$argon2id$")
    assert MIA not in dump and "overgenomen" not in dump
    assert passwords.sign_in("mw", MIA).username == "mw"
    logins = run_cli("staff", "logins", "--json", db=db_path)
    assert {(e["username"], e["kind"]) for e in json.loads(logins.out)} >= {("mw", "password_set"), ("mw", "login")}
    assert run_cli("staff", "logins", "admin", db=db_path, operator="mw").code == 4


def test_unknown_inactive_and_passwordless_get_the_same_answer(db_path: str) -> None:
    """An unknown name, a name without password and a wrong password all read 'onjuist'; each is recorded."""
    for name in ("niemand", "mw", "admin"):
        with pytest.raises(NotPermitted, match="onjuist"):
            passwords.sign_in(name, "wat-dan-ook-123")
    assert StaffEvent.select().where(StaffEvent.kind == "login_failed").count() == 3


# ----------------------------------------------------------------- the browser session's app
async def test_browser_session_app_offers_no_server_files(db_path: str) -> None:
    """A --web app: nothing before signing in; after it, no Importeren/Exporteren and their actions refused."""
    from textual.widgets import Input

    from klantbeheer.tui.app import AppSettings, create_app
    from klantbeheer.tui.screens.login import LoginScreen

    passwords.set_password("admin", "admin-wachtwoord-1", "admin")
    app = create_app(db=db_path, settings=AppSettings(web=True))
    async with app.run_test(notifications=True) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, LoginScreen)
        assert app.screen.query_one("#login_password", Input).password
        for action in ("command_palette", "search", "new_dossier", "reference_lists", "export_customers"):
            assert not app.check_action(action, ())
        assert list(app.get_system_commands(app.screen)) == []
        app.screen.query_one("#login_username", Input).value = "admin"
        app.screen.query_one("#login_password", Input).value = "admin-wachtwoord-1"
        app.screen.attempt()
        await app_until(pilot, lambda: app.operator is not None, what="logged in")
        assert app.username == "admin"
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert "Zoeken" in titles and "Importeren" not in titles and "Exporteren" not in titles
        for action in ("import_customers", "export_customers", "screenshot", "suspend_process"):
            assert not app.check_action(action, ())
        assert app.check_action("search", ())


def test_web_session_takes_no_operator(db_path: str) -> None:
    """`app.py --web --operator X` is refused: in a browser session only the log-in screen says who works."""
    done = run_cli("--web", db=db_path, operator="admin")
    assert done.code == 2 and "--operator" in done.err


# ----------------------------------------------------------------- PostgreSQL
def test_postgres_hash_table_is_the_owners_alone() -> None:
    """A medewerker login cannot read staff_password, sets only its own password (through the function)."""
    psycopg2 = pytest.importorskip("psycopg2")
    from tests.support.pg_support import medewerker_login

    try:
        manager = medewerker_login("h25pw")
        admin_url, login_url = manager.__enter__()
    except psycopg2.OperationalError:
        pytest.skip("no PostgreSQL on 127.0.0.1:5432")
    try:
        login = login_url.split("//", 1)[1].split("@", 1)[0]
        own = subprocess.run([sys.executable, str(REPO / "app.py"), "--db", login_url, "staff", "password", login],
                             input=MIA + "\n", capture_output=True, text=True, cwd=REPO, timeout=60)
        assert own.returncode == 0, own.stderr
        other = subprocess.run([sys.executable, str(REPO / "app.py"), "--db", login_url, "staff", "password", "admin"],
                               input="overgenomen-wachtwoord\n", capture_output=True, text=True, cwd=REPO, timeout=60)
        assert other.returncode == 4, other.stderr
        connection = psycopg2.connect(login_url)
        try:
            with connection.cursor() as cursor:
                with pytest.raises(psycopg2.errors.InsufficientPrivilege):
                    cursor.execute("SELECT hash FROM staff_password")
            connection.rollback()
            with connection.cursor() as cursor:  # the function itself holds the rule, also when called directly
                with pytest.raises(psycopg2.errors.InsufficientPrivilege):
                    cursor.execute("SELECT klantbeheer_set_password('admin', '$argon2id$x', 'admin')")
        finally:
            connection.close()
        by_owner = subprocess.run([sys.executable, str(REPO / "app.py"), "--db", admin_url, "--operator", "admin", "staff",
                                   "password", "admin"], input=ANNA + "\n", capture_output=True, text=True, cwd=REPO, timeout=60)
        assert by_owner.returncode == 0, by_owner.stderr
        seen = run_cli("staff", "logins", login, "--json", db=login_url, operator=None)
        assert seen.code == 0, seen.err
        assert [(e["username"], e["kind"]) for e in seen.json()] == [(login, "password_set")]
        connection = psycopg2.connect(login_url)
        try:
            with connection.cursor() as cursor:  # row-level security: the medewerker's own rows only, even by SQL
                cursor.execute("SELECT DISTINCT username FROM staff_event")
                assert cursor.fetchall() == [(login,)]
        finally:
            connection.close()
        serve_as_medewerker = run_cli("serve", "--port", "1", db=login_url, operator=None)
        assert serve_as_medewerker.code == 4 and "eigenaar" in serve_as_medewerker.err
        owner = psycopg2.connect(admin_url)
        try:
            with owner.cursor() as cursor:
                cursor.execute("SELECT count(*) FROM staff_password WHERE hash LIKE '$argon2id$%%'")
                assert cursor.fetchone()[0] == 2
        finally:
            owner.close()
    finally:
        manager.__exit__(None, None, None)
