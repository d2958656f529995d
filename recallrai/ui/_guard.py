"""Who may talk to the inspector: Host check, access token, same-origin writes.

The proxy holds an API key, so a page on another site must not be able to use it:
- **DNS rebinding**: on loopback, only ``Host: 127.0.0.1:PORT`` / ``localhost:PORT`` /
  ``[::1]:PORT`` are answered; a rebound name arrives with its own Host and is refused.
- **Other hosts**: bound anywhere but loopback, every request needs the token printed
  at start (``?token=`` once, then an HttpOnly, SameSite=Strict cookie, or an
  ``Authorization: Bearer`` header).
- **CSRF**: a write (POST) needs the page's CSRF token in ``X-Inspector-CSRF`` — a
  custom header no cross-site form can send and no cross-origin script may send
  without a CORS preflight, which this server never grants — and, when the browser
  says where it came from, an ``Origin`` equal to this server's.
"""

from __future__ import annotations

import hmac
import ipaddress
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from http.cookies import CookieError, SimpleCookie

COOKIE = "recallrai_inspector"
"""The cookie's name, followed by the port: cookies are per host, not per port."""
CSRF_HEADER = "X-Inspector-CSRF"


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


@dataclass
class Guard:
    """The access rules of one inspector server."""

    host: str
    token: str | None
    csrf: str = field(default_factory=lambda: secrets.token_urlsafe(24))
    port: int = 0

    @property
    def loopback(self) -> bool:
        return is_loopback(self.host)

    def allowed_hosts(self) -> set[str]:
        names = {self.host, "127.0.0.1", "localhost", "[::1]"}
        if ":" in self.host and not self.host.startswith("["):
            names.add(f"[{self.host}]")
        return {f"{name}:{self.port}" for name in names}

    def host_ok(self, host_header: str | None) -> bool:
        """Loopback: the Host must name this server. Elsewhere the token guards."""
        if not self.loopback:
            return True
        return host_header is not None and host_header.lower() in self.allowed_hosts()

    @property
    def cookie_name(self) -> str:
        return f"{COOKIE}_{self.port}"

    def token_ok(self, headers: Mapping[str, str]) -> bool:
        """``headers`` has lower-case names, as every method here expects."""
        if self.token is None:
            return True
        presented = bearer(headers.get("authorization")) or cookie(
            headers.get("cookie"), self.cookie_name
        )
        return presented is not None and same(presented, self.token)

    def token_in_query_ok(self, value: str | None) -> bool:
        return self.token is not None and value is not None and same(value, self.token)

    def write_ok(self, headers: Mapping[str, str]) -> str | None:
        """Why a state-changing request is refused, or ``None`` when it may go on."""
        csrf = headers.get(CSRF_HEADER.lower())
        if csrf is None or not same(csrf, self.csrf):
            return f"missing or wrong {CSRF_HEADER} header (reload the page)"
        origin = headers.get("origin")
        host = headers.get("host")
        if origin is not None and (host is None or origin.lower() != f"http://{host}".lower()):
            return "cross-origin request refused"
        site = headers.get("sec-fetch-site")
        if site is not None and site not in ("same-origin", "none"):
            return "cross-site request refused"
        content_type = (headers.get("content-type") or "").split(";")[0].strip().lower()
        if content_type != "application/json":
            return "the body must be application/json"
        return None

    def set_cookie(self) -> str:
        assert self.token is not None
        return f"{self.cookie_name}={self.token}; HttpOnly; SameSite=Strict; Path=/"


def same(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode("utf-8", "replace"), b.encode("utf-8", "replace"))


def bearer(value: str | None) -> str | None:
    if value and value[:7].lower() == "bearer ":
        return value[7:].strip()
    return None


def cookie(value: str | None, name: str) -> str | None:
    if not value:
        return None
    jar: SimpleCookie = SimpleCookie()
    try:
        jar.load(value)
    except CookieError:
        return None
    morsel = jar.get(name)
    return None if morsel is None else morsel.value
