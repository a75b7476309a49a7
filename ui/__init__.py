"""Streamlit components shared by the pages (and their pure wording helpers)."""
