"""textual-serve's server, hardened: Origin and Host checked, security headers, no directory listing, limits."""
from __future__ import annotations

import asyncio
import base64
import hashlib
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import aiohttp_jinja2
import jinja2
from aiohttp import WSMsgType, web
from textual_serve.app_service import AppService
from textual_serve.server import Server, log, to_int

from klantbeheer.data.i18n import _, language
from klantbeheer.tui.serve import ServeOptions

INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.S)
IDLE_CHECK_S = 1.0


def script_hashes(page: Path) -> list[str]:
    """CSP sources ('sha256-…') of the page's inline scripts, so that no other inline script can run."""
    text = page.read_text(encoding="utf-8")
    return [f"'sha256-{base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()}'"
            for body in INLINE_SCRIPT.findall(text)]


def content_policy(url: str, page: Path) -> str:
    """The Content-Security-Policy: everything from the server itself, the socket to itself, no framing."""
    parts = urlsplit(url)
    socket = ("wss://" if parts.scheme == "https" else "ws://") + parts.netloc
    scripts = " ".join(["'self'", *script_hashes(page)])
    return ("default-src 'self'; "
            f"script-src {scripts}; "
            "style-src 'self' 'unsafe-inline'; "  # xterm.js and the page set element styles
            "img-src 'self' data:; font-src 'self' data:; "
            f"connect-src 'self' {socket}; "
            "object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")


class KlantbeheerServer(Server):
    """One app process per accepted browser socket; refused sockets start nothing."""

    def __init__(self, command: str, options: ServeOptions, url: str, templates: Path) -> None:
        super().__init__(command, host=options.host, port=options.port, title="Klantbeheer", public_url=url,
                         templates_path=templates)
        parts = urlsplit(url)
        self.origin = f"{parts.scheme}://{parts.netloc}".casefold()
        self.host_header = parts.netloc.casefold()
        self.max_sessions = options.max_sessions
        self.idle_seconds = options.idle_minutes * 60
        self.sessions = 0
        self.policy = content_policy(url, Path(templates) / "app_index.html")

    async def _make_app(self) -> web.Application:
        """textual-serve's routes, with /static/ never listing a directory and the headers on every response."""
        app = web.Application()
        aiohttp_jinja2.setup(app, loader=jinja2.FileSystemLoader(self.templates_path))
        app.add_routes([
            web.get("/", self.handle_index, name="index"),
            web.get("/ws", self.handle_websocket, name="websocket"),
            web.get("/download/{key}", self.handle_download, name="download"),
            web.static("/static", self.statics_path, show_index=False, follow_symlinks=False, name="static"),
        ])
        app.on_response_prepare.append(self.add_headers)
        app.on_startup.append(self.on_startup)
        return app

    @aiohttp_jinja2.template("app_index.html")
    async def handle_index(self, request: web.Request) -> dict[str, Any]:
        """textual-serve's page data, plus the page's own words in the server's language (and its lang attribute)."""
        context = await Server.handle_index.__wrapped__(self, request)
        context["page"] = {"lang": language(), "start": _("Starten"), "ended": _("Sessie beëindigd."),
                           "restart": _("Opnieuw starten")}
        return context

    async def add_headers(self, request: web.Request, response: web.StreamResponse) -> None:
        """CSP, no framing, no sniffing, no referrer: on every answer, errors included."""
        response.headers["Content-Security-Policy"] = self.policy
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        if request.path == "/":
            response.headers["Cache-Control"] = "no-store"

    async def on_startup(self, app: web.Application) -> None:
        """One line on where it listens (textual-serve prints its logo and the command)."""
        self.console.print(f"Klantbeheer: {self.public_url}", highlight=False)

    def refusal(self, request: web.Request) -> web.Response | None:
        """403 for a socket from another page or address, 503 beyond the session limit; None to accept."""
        origin = (request.headers.get("Origin") or "").casefold()
        host = (request.headers.get("Host") or "").casefold()
        if origin != self.origin or host != self.host_header:
            log.warning("socket refused: Origin %r, Host %r", origin[:100], host[:100])
            return web.Response(status=403, text=_("Geweigerd: deze verbinding komt niet van {url}.").format(url=self.public_url))
        if self.sessions >= self.max_sessions:
            return web.Response(status=503, text=_("Te veel browsersessies tegelijk; probeer het later opnieuw."))
        return None

    async def handle_websocket(self, request: web.Request) -> web.StreamResponse:
        """Check the socket before any process starts; count it while it lives."""
        refused = self.refusal(request)
        if refused is not None:
            return refused
        self.sessions += 1  # no await since the check: two sockets cannot both take the last place
        try:
            return await self.run_session(request)
        finally:
            self.sessions -= 1

    async def run_session(self, request: web.Request) -> web.WebSocketResponse:
        """textual-serve's session: the app process driven by this socket, ended after the idle time."""
        websocket = web.WebSocketResponse(heartbeat=15, max_msg_size=1024 * 1024)
        width = min(max(to_int(request.query.get("width", "80"), 80), 10), 500)
        height = min(max(to_int(request.query.get("height", "24"), 24), 5), 300)
        app_service: AppService | None = None
        try:
            await websocket.prepare(request)
            app_service = AppService(self.command, write_bytes=websocket.send_bytes, write_str=websocket.send_str,
                                     close=websocket.close, download_manager=self.download_manager, debug=self.debug)
            await app_service.start(width, height)
            await self.messages_until_idle(websocket, app_service)
        except asyncio.CancelledError:
            await websocket.close()
        except Exception as error:  # noqa: BLE001 - one broken session never stops the server
            log.exception(error)
        finally:
            if app_service is not None:
                await app_service.stop()
        return websocket

    async def messages_until_idle(self, websocket: web.WebSocketResponse, app_service: AppService) -> None:
        """Pass the browser's input on; close the socket when no key or click came for the idle time."""
        loop = asyncio.get_running_loop()
        last_input = [loop.time()]

        async def watch_idle() -> None:
            while not websocket.closed:
                await asyncio.sleep(min(IDLE_CHECK_S, self.idle_seconds))
                if loop.time() - last_input[0] >= self.idle_seconds:
                    await websocket.close(message=_("Sessie beëindigd na inactiviteit.").encode()[:120])
                    return

        watcher = asyncio.create_task(watch_idle())
        try:
            async for message in websocket:
                if message.type != WSMsgType.TEXT:
                    continue
                envelope: Any = message.json()
                if not isinstance(envelope, list) or not envelope:
                    continue
                kind = envelope[0]
                if kind == "stdin" and len(envelope) > 1 and isinstance(envelope[1], str):
                    last_input[0] = loop.time()
                    await app_service.send_bytes(envelope[1].encode("utf-8"))
                elif kind == "resize" and len(envelope) > 1 and isinstance(envelope[1], dict):
                    size = envelope[1]
                    await app_service.set_terminal_size(min(max(to_int(str(size.get("width")), 80), 10), 500),
                                                        min(max(to_int(str(size.get("height")), 24), 5), 300))
                elif kind == "ping" and len(envelope) > 1:
                    await websocket.send_json(["pong", envelope[1]])
                elif kind == "blur":
                    await app_service.blur()
                elif kind == "focus":
                    await app_service.focus()
        finally:
            watcher.cancel()
