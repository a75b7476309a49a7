"""Themes in the Console's moderation queue: what each comment, piece of advice and
written condition is about, found by the word lists (``workshop.themes``) and
corrected by the facilitator with a tap. The lists themselves are shown, so the
facilitator can see why a text was tagged."""

from __future__ import annotations

import streamlit as st

from ui.i18n import _, lang
from ui.store import get_store
from workshop.i18n import translator
from workshop.themes import THEMES, WORDS

Tags = dict[tuple[str, int], tuple[list[str], bool]]


def tagged(code: str) -> Tags:
    """Each text's themes and whether the facilitator set them, by (kind, id)."""
    texts = get_store().tagged_texts(code)
    return {(r.kind, int(r.item_id)): (list(r.themes), bool(r.corrected))
            for r in texts.itertuples()}


def _save(code: str, kind: str, item_id: int, key: str) -> None:
    get_store().set_themes(code, kind, item_id, list(st.session_state.get(key) or []))


def tag_editor(code: str, kind: str, item_id: int, tags: Tags) -> None:
    """The text's themes as pills: tap one to add or take it away."""
    themes, corrected = tags.get((kind, item_id), ([], False))
    key = f"themes.{kind}.{item_id}"
    if key not in st.session_state:
        st.session_state[key] = themes
    st.pills(_("What it is about: set by you") if corrected else
             _("What it is about: found by the word lists (tap to correct)"),
             list(THEMES), selection_mode="multi", format_func=lambda t: _(THEMES[t]),
             key=key, on_change=_save, args=(code, kind, item_id, key))


def how_themes_are_found() -> None:
    """Each theme's words and phrases, in the Console's language."""
    with st.expander(_("How themes are found")):
        st.write(_("A text is about a theme when it uses one of the theme's words or "
                   "phrases (a word ending in * also matches longer words). English and "
                   "Welsh lists are both used. The lists are in the language catalogues "
                   "(locales/), so they can be read and changed; your taps win over them."))
        t = translator(lang())
        for theme, words in WORDS.items():
            st.markdown(f"**{_(THEMES[theme])}**")
            st.text(t.gettext(words))
