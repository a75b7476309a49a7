import os

import pytest
import streamlit as st
from threadpoolctl import threadpool_limits

from tests.postgres import postgres_server
from workshop.serve import one_thread_each

# One thread for numpy's and scikit-learn's pools, as the server gives its processes:
# the tests run more processes than cores, and pools a core each made them wait on each
# other. In this process (its libraries are loaded by now) and in those it starts.
threadpool_limits(1)
one_thread_each(os.environ)

# Nothing on disk between tests (or in the repo's var/cache), servers the tests start
# included: tests/test_sim_cache.py gives the disk cache its own folder.
os.environ["WORKSHOP_CACHE_DIR"] = ""
# Passphrases hashed at scrypt's lowest cost (2**10, not 2**14): about 90 workshops are
# created in the tests. tests/test_store.py checks the real cost is the default.
os.environ["WORKSHOP_SCRYPT_COST"] = "10"
# Pages never start work over many towns (ui.cache.over_towns) in the tests: a test that
# needs it works it out first, with wait=True.
os.environ["WORKSHOP_TOWNS_IN_BACKGROUND"] = "0"


@pytest.fixture(autouse=True)
def _fresh_streamlit_caches():
    """Streamlit's caches persist across AppTest runs in one process: start each test
    clean (a store on its own database above all). The simulations' outcomes are the
    exception: they depend only on their settings, so the tests share them, as the
    sessions of a room do; a test about the cache itself starts its own
    (``ui.cache.outcomes.cache_clear()``)."""
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
