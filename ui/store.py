"""One shared store per server process."""

import streamlit as st

from workshop.store import Store


@st.cache_resource(show_spinner=False)
def get_store() -> Store:
    """The store, created once; its connection pool is shared by every session."""
    return Store()
