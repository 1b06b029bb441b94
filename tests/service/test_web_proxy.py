"""Behind the documented reverse proxy the desk sees each client's own address.

The per-client sign-in limit counts by the address uvicorn reports.  The
README's nginx block and compose's ``FORWARDED_ALLOW_IPS`` are read as they
stand, a client sends a made-up ``X-Forwarded-For`` through that proxy, and
the desk must still see the address the proxy saw, or one client could ask for
links without end by inventing a new address each time.
"""

from __future__ import annotations

import asyncio
import re

import yaml
from deskkit import ROOT
from starlette.types import Message, Receive, Scope, Send
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

REAL = "203.0.113.9"
INVENTED = "198.51.100.77"


def _nginx_forwarded_for(client: str, sent: str) -> str:
    """The X-Forwarded-For the README's nginx block passes on for *client* sending *sent*."""
    block = (ROOT / "README.md").read_text(encoding="utf-8").split("```nginx", 1)[1]
    found = re.search(r"proxy_set_header\s+X-Forwarded-For\s+(\$\w+);", block.split("```")[0])
    assert found, "the README's nginx block sets no X-Forwarded-For"
    return {"$remote_addr": client, "$proxy_add_x_forwarded_for": f"{sent}, {client}"}[
        found.group(1)
    ]


def _trusted_in_compose() -> str:
    web = yaml.safe_load((ROOT / "deploy" / "compose.yaml").read_text(encoding="utf-8"))
    return str(web["services"]["web"].get("environment", {}).get("FORWARDED_ALLOW_IPS", ""))


def _client_seen(trusted: str, forwarded_for: str, peer: str) -> str:
    seen: list[str] = []

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        seen.append(scope["client"][0])

    async def receive() -> Message:
        return {"type": "http.request", "body": b""}

    async def send(message: Message) -> None:
        return None

    scope = {"type": "http", "scheme": "http", "client": (peer, 40000), "server": None,
             "headers": [(b"x-forwarded-for", forwarded_for.encode())]}  # fmt: skip
    asyncio.run(ProxyHeadersMiddleware(app, trusted_hosts=trusted or "127.0.0.1")(
        scope, receive, send))  # fmt: skip
    return seen[0]


def test_a_client_cannot_name_its_own_address_through_the_documented_proxy() -> None:
    header = _nginx_forwarded_for(REAL, INVENTED)
    # intake web on the host, the proxy on loopback (uvicorn's default trust)
    assert _client_seen("127.0.0.1", header, "127.0.0.1") == REAL
    # compose: the proxy on the host reaches the container from the bridge's gateway
    assert _client_seen(_trusted_in_compose(), header, "172.18.0.1") == REAL
