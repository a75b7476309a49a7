"""The hosted set-up (deploy/run): nginx from Debian in front of two app instances and a
throwaway PostgreSQL. Skipped on a laptop without nginx; required in CI.

Driven at the lowest level that still goes through nginx and both instances, so the
pages can change under it: Streamlit's websocket protocol (tests/load/ws_client.py),
nginx's own access log, and the store's API on the database the instances use. What
depends on a page is in ``shows_participant``.
"""

from __future__ import annotations

import asyncio
import functools
import os
import secrets
import time
import urllib.request
from pathlib import Path
from unittest import mock

import pytest
from websockets.asyncio.client import connect as ws_connect

from deploy.hosted import find_nginx, render
from tests.hosted import NO_PROXY, ROUTE, deployment
from tests.load import ws_client
from tests.load.ws_client import Run, Session
from workshop import export
from workshop.serve import entry_point
from workshop.store import Store

ROOT = Path(__file__).resolve().parents[1]

PROBE_APP = """
import streamlit as st
from workshop.network import client_address

st.markdown(f"client={client_address(st.context.ip_address, st.context.headers)}")
st.markdown(f"instance={st.get_option('server.port')}")
"""


def shows_participant(run: Run, pseudonym: str) -> bool:
    """The page says who this browser takes part as (today: the sidebar's badge)."""
    return any(pseudonym in text for text in run.texts)


@pytest.fixture(scope="module")
def nginx() -> str:
    found = find_nginx()
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("nginx must be installed in CI (.ci/run installs it)")
        pytest.skip("nginx is not installed here (Debian: apt-get install nginx)")
    return found


class Browser(Session):
    """A ``ws_client.Session`` that sends headers with its websocket, as a browser
    sends its cookies (and as a client might try to name another address)."""

    def __init__(self, url: str, headers: dict[str, str], **kwargs: object) -> None:
        super().__init__(url, **kwargs)
        self.headers = headers

    async def connect(self) -> None:
        with mock.patch.object(ws_client, "connect", functools.partial(
                ws_connect, additional_headers=self.headers)):
            await super().connect()


async def _open(url: str, route: str, device: str, query: str = "") -> Run:
    headers = {"Cookie": f"{ROUTE}={route}", "X-Forwarded-For": "6.6.6.6",
               "X-Real-IP": "6.6.6.6", "Forwarded": "for=6.6.6.6"}
    async with Browser(url, headers, query_string=query, local_host=device,
                       timeout=60) as s:
        return await s.open()


def _said(run: Run, name: str) -> str:
    return next(t.split("=", 1)[1] for t in run.texts if t.startswith(f"{name}="))


@pytest.mark.server
def test_nginx_keeps_each_browser_on_one_instance_and_the_app_sees_its_address(
        nginx, pg_url, tmp_path):
    probe = tmp_path / "probe.py"
    probe.write_text(PROBE_APP)
    with deployment(probe, pg_url, nginx) as d:
        async def room() -> None:
            where: dict[str, str] = {}
            for i in range(24):  # browsers until both instances have some
                device = f"127.0.0.{10 + i}"
                run = await _open(d.url, f"browser-{i}", device)
                assert not run.errors, run.errors
                # The address the app sees is the browser's, whatever it claimed.
                assert _said(run, "client") == device
                where[f"browser-{i}"] = _said(run, "instance")
                if len(set(where.values())) == 2 and len(where) >= 4:
                    break
            assert len(set(where.values())) == 2  # both instances serve
            # Each browser comes back to its instance, even from another address.
            for route, instance in where.items():
                again = await _open(d.url, route, "127.0.0.99")
                assert _said(again, "instance") == instance
                assert _said(again, "client") == "127.0.0.99"

        asyncio.run(room())
        # A browser's first request gets the sticky cookie; one that has it, no other.
        with NO_PROXY.open(f"{d.url}/_stcore/health", timeout=30) as r:
            assert any(c.startswith(f"{ROUTE}=") for c in r.headers.get_all("Set-Cookie"))
        request = urllib.request.Request(f"{d.url}/_stcore/health",
                                         headers={"Cookie": f"{ROUTE}=browser-0"})
        with NO_PROXY.open(request, timeout=30) as r:
            assert not any(c.startswith(f"{ROUTE}=")
                           for c in r.headers.get_all("Set-Cookie") or [])


@pytest.mark.server
def test_a_workshop_journey_through_nginx_on_both_instances_and_postgresql(nginx, pg_url):
    store = Store(pg_url)
    workshop = store.create_workshop("Hosted journey", secrets.token_urlsafe(12))
    people = [store.join(workshop.code), store.join(workshop.code)]  # join
    with deployment(entry_point(), pg_url, nginx) as d:
        routes: dict[str, str] = {}  # instance -> a cookie that leads there
        for i in range(40):
            routes.setdefault(d.instance_of(f"person-{i}"), f"person-{i}")
            if len(routes) == 2:
                break
        assert len(routes) == 2
        for (instance, route), (n, person) in zip(routes.items(), enumerate(people),
                                                  strict=True):
            # Each instance runs the app for its browser, which finds the participant
            # the store made: one PostgreSQL behind both.
            run = asyncio.run(_open(d.url, route, f"127.0.1.{n + 2}", f"p={person.id}"))
            assert not run.errors, run.errors
            assert shows_participant(run, person.pseudonym)
            # react
            store.record(person.id, "call_triage", "after", 4, ["oversight"],
                         f"reaction through {instance}", {"label_bias": 0.3},
                         {"gap": 0.1}, secrets.token_hex(8))
        # The websockets went where their cookies lead (logged once closed).
        for instance in routes:
            for _ in range(100):
                streams = [x for x in d.access_log().splitlines() if "/_stcore/stream" in x]
                if any(f"upstream={instance}" in x for x in streams):
                    break
                time.sleep(0.1)
            else:
                raise AssertionError(f"no websocket reached {instance}")
    exported = export.reactions_csv(store, workshop.code)
    for instance in routes:
        assert f"reaction through {instance}" in exported
    store.engine.dispose()


def test_the_nginx_configuration_names_every_instance_and_keeps_client_headers_out(
        tmp_path):
    conf = render([41001, 41002], "0.0.0.0", 8080, tmp_path)
    assert "server 127.0.0.1:41001" in conf and "server 127.0.0.1:41002" in conf
    assert "listen 0.0.0.0:8080;" in conf and str(tmp_path) in conf
    assert "hash $workshop_route consistent;" in conf
    assert "proxy_set_header X-Forwarded-For $remote_addr;" in conf  # replaced, not added
    assert "{{" not in conf
    assert "listen [::]:8080;" in render([1], "::", 8080, tmp_path)
