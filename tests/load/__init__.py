"""Load testing the real server over Streamlit's own websocket protocol."""
