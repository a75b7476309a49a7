"""The Console's downloads: made when the facilitator asks, then held by their session.

A file Streamlit makes on the click itself (``st.download_button`` given a callable) is
kept by no session, and each script run that ends in the server process sweeps such
files (marked by one run, deleted by the next). In a room, phones' runs end many times
a second, so the browser's fetch that follows the click often found the file gone and
the download failed. Here a button makes the files, and ``st.download_button`` gets
them as data, which this session holds while the buttons are on screen.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass

import streamlit as st

from ui.i18n import _
from workshop.store import StoreUnavailable

LIVE_EVERY = "5s"  # how often a held file's note reads the workshop's revision again


@dataclass(frozen=True)
class File:
    label: str
    make: Callable[[], str | bytes]
    file_name: str
    mime: str
    key: str
    help: str | None = None


KEYS = "files."  # session-state keys of the files held, e.g. "files.report"


def forget_files() -> None:
    """Drop every file this session holds (signing out, deleting the workshop)."""
    for key in [k for k in st.session_state if str(k).startswith(KEYS)]:
        del st.session_state[key]


def offer(key: str, files: Sequence[File], make_label: str, *, revision: Hashable,
          settings: Hashable = (), columns: int = 3,
          latest: Callable[[], Hashable] | None = None, changed: str | None = None) -> None:
    """A button that makes ``files``, then their download buttons. Files made under
    other ``settings`` (a language, nicknames shown or not) are never offered; files
    made before the workshop changed (``revision``) are, saying so. ``latest`` reads
    the revision again: given, that is said as soon as the workshop changes (every
    few seconds), not only when the page next runs (outside a live fragment).
    ``changed``: what is said then (by default, that the workshop has changed)."""
    key = KEYS + key
    held = st.session_state.get(key)
    if held is not None and held["settings"] != settings:
        held = None
    again = held is not None
    if st.button(_("Make them again") if again else make_label, key=f"{key}.make",
                 type="secondary" if again else "primary"):
        with st.spinner(_("Making the files…")):
            st.session_state[key] = {"settings": settings, "revision": revision,
                                     "data": [f.make() for f in files]}
        st.rerun()  # drawn again as made: "Make them again" above the files
    if held is None:
        return
    cols = st.columns(min(columns, len(files)))
    for i, (f, data) in enumerate(zip(files, held["data"], strict=True)):
        cols[i % len(cols)].download_button(f.label, data, file_name=f.file_name, mime=f.mime,
                                            key=f.key, on_click="ignore", help=f.help)
    made = held["revision"]
    note = changed or _("The workshop has changed since these files were made: make them "
                        "again for the latest.")
    if latest is None:
        _changed_since(made, revision, note)
        return

    @st.fragment(run_every=LIVE_EVERY)
    def live_note() -> None:
        try:
            now = latest()
        except StoreUnavailable:
            return  # the page above says the store is down
        _changed_since(made, now, note)

    live_note()


def _changed_since(made: Hashable, now: Hashable, note: str) -> None:
    if made != now:
        st.caption(note)
