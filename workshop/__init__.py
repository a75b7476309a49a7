"""Workshops, participants and their reactions. No Streamlit here."""
