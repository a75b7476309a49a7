import pytest
import streamlit as st


@pytest.fixture(autouse=True)
def _fresh_streamlit_caches():
    """Caches persist across AppTest runs in one process: start each test clean."""
    st.cache_data.clear()
    st.cache_resource.clear()
    yield
