import os

import pytest

from tests.browser.harness import app_server, browser, chromium_available


@pytest.fixture(scope="session")
def live_database(tmp_path_factory) -> str:
    return f"sqlite:///{tmp_path_factory.mktemp('live') / 'workshop.db'}"


@pytest.fixture(scope="session")
def live_app(live_database):
    """The real app, started once for the browser tests, on its own fresh database,
    served as `make run` serves it on a 2-core laptop: two processes behind the proxy
    (pages, websockets, the QR image and the downloads all go through it)."""
    if not chromium_available():
        if os.environ.get("CI"):
            pytest.fail("Chromium must be installed in CI (.ci/run installs it)")
        pytest.skip("Chromium is not installed here "
                    "(apt-get install chromium-headless-shell)")
    # Every phone of every browser test joins from this machine's one address, as a
    # whole venue behind one router would: its joins are not limited (README, Security),
    # nor the workshops its tests start side by side.
    with app_server(live_database, processes=2,
                    env={"WORKSHOP_JOINS_PER_ADDRESS": "100000",
                         "WORKSHOP_CREATES_PER_ADDRESS": "100000"}) as url:
        yield url


@pytest.fixture(scope="module")
def chromium(live_app):
    # Per module: Playwright's sync API holds an event loop on this thread while it
    # runs, which would stop later tests (the load test) from starting their own.
    with browser() as b:
        yield b
