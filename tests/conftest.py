import os

import pytest
import streamlit as st

from tests.postgres import postgres_server

# Nothing on disk between tests (or in the repo's var/cache), servers the tests start
# included: tests/test_sim_cache.py gives the disk cache its own folder.
os.environ["WORKSHOP_CACHE_DIR"] = ""


@pytest.fixture(autouse=True)
def _fresh_streamlit_caches():
    """Caches persist across AppTest runs in one process: start each test clean."""
    st.cache_data.clear()
    st.cache_resource.clear()
    yield


@pytest.fixture(autouse=True)
def _own_database(tmp_path, monkeypatch):
    """Every test gets its own empty SQLite workshop database, and every chart an
    AppTest draws is checked against the Vega-Lite schema (ui/charts.py)."""
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'workshop.db'}")
    monkeypatch.setenv("WORKSHOP_CHECK_CHARTS", "1")
    monkeypatch.setenv("WORKSHOP_WARM_UP", "0")  # tests/test_cache.py checks it


@pytest.fixture(scope="session")
def pg_url():
    """A real PostgreSQL server. Skipped on a laptop without it; required in CI."""
    with postgres_server() as url:
        if url is None:
            if os.environ.get("CI"):
                pytest.fail("PostgreSQL must be installed in CI (.ci/run installs it)")
            pytest.skip("PostgreSQL is not installed here")
        yield url
