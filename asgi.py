"""The server: the Streamlit app (``app.py``) plus one small route of its own.

``streamlit run asgi.py`` (what ``make run`` starts) serves the app and
``/api/room?code=...``, the room's stage, scenario, lock and timer as a few bytes
of JSON, which every phone asks for about once a second (``ui/room.py``): a phone
reruns its page only when the room changes, so following the facilitator costs no
script runs while the room sits still. ``&advice=1`` adds the approved advice's
vote totals (for phones weighing the room's advice).
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import gc
import importlib
import pkgutil
from collections.abc import AsyncIterator

import streamlit as st
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from workshop.live import RoomCache
from workshop.network import client_address
from workshop.security import UNKNOWN_ROOM, Throttle
from workshop.static_gzip import GzipStatic
from workshop.store import Store, normalise_code

_guesses = Throttle(UNKNOWN_ROOM)


@functools.cache
def _rooms() -> RoomCache:
    return RoomCache(Store())


async def room(request: Request) -> JSONResponse:
    headers = {"Cache-Control": "no-store"}
    who = client_address(request.client.host if request.client else None,
                         request.headers) or "unknown"
    wait = _guesses.blocked(who)
    if wait > 0:
        return JSONResponse({"error": "too many unknown codes"}, status_code=429,
                            headers={**headers, "Retry-After": str(int(wait) + 1)})
    code = normalise_code(request.query_params.get("code", ""))[:12]
    live = request.query_params.get("live") == "1"
    advice = request.query_params.get("advice") == "1"
    held, view = _rooms().held(code, live, advice) if code else (True, None)
    if not held:  # read from the database in a thread, at most once per workshop per 0.5 s
        view = await asyncio.to_thread(_rooms().get, code, live, advice)
    if view is None:
        if await asyncio.to_thread(_rooms().store.ping):  # not a database that is down
            _guesses.note(who)
        return JSONResponse({"error": "unknown"}, status_code=404, headers=headers)
    return JSONResponse(view, headers=headers)


@contextlib.asynccontextmanager
async def settled(_app: st.App) -> AsyncIterator[None]:
    """Before the first request: load what page runs use (the pure core, which never
    calls Streamlit, and the chart and QR libraries the pages add), so the first phone
    does not wait for it, then set everything loaded aside from the garbage collector
    (``gc.freeze``): it lives as long as the process, so each full collection walks
    only what the room made. With 60 exploring phones, a full collection's pause went
    from about 0.3 to 0.12 s, and the time spent collecting halved."""
    import simulators
    import workshop

    for package in (simulators, workshop):
        for module in pkgutil.iter_modules(package.__path__, package.__name__ + "."):
            importlib.import_module(module.name)
    for library in ("altair", "segno"):
        importlib.import_module(library)
    gc.freeze()
    yield


app = st.App("app.py", routes=[Route("/api/room", room)], lifespan=settled,
             middleware=[Middleware(GzipStatic)])
