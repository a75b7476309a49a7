"""The language of this browser's session, and the ``_()`` every page speaks through.

The language comes from ``?lang=`` (``cy`` for Welsh), is chosen on the Welcome page,
and is kept in the session and in the address bar, so a reload or a shared link
keeps it.
"""

from __future__ import annotations

import streamlit as st

from workshop.i18n import DEFAULT, LANGUAGES, Translator, normalise, translator

_KEY = "lang"


def lang() -> str:
    """This session's language code."""
    current = st.session_state.get(_KEY)
    if current is None:
        current = st.session_state[_KEY] = normalise(st.query_params.get(_KEY))
    return current


def keep_in_address() -> None:
    """Put the language in the address bar (once per run, from ``app.py``)."""
    code = lang()
    if code == DEFAULT:
        st.query_params.pop(_KEY, None)
    elif st.query_params.get(_KEY) != code:
        st.query_params[_KEY] = code


def set_lang(code: str) -> None:
    st.session_state[_KEY] = normalise(code)
    keep_in_address()


def here() -> Translator:
    """This session's translator, for the pure functions that build a page's sentences
    (``ui/<use case>_claims.py``)."""
    return translator(lang())


def _(message: str) -> str:
    """``message`` in this session's language."""
    return translator(lang()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return translator(lang()).ngettext(singular, plural, n)


def num(x: float, decimals: int = 0) -> str:
    """A number in this session's language: ``1,234``."""
    return translator(lang()).number(x, decimals)


def language_picker() -> None:
    """The choice of language (on the Welcome page)."""
    st.segmented_control(
        "Language / Iaith", list(LANGUAGES), format_func=LANGUAGES.get,
        default=lang(), key="lang.picker", label_visibility="collapsed",
        on_change=lambda: set_lang(st.session_state.get("lang.picker") or lang()),
    )


def say(err: BaseException) -> str:
    """A refusal from the store in this session's language (its English if it has no
    message id)."""
    msgid = getattr(err, "msgid", None)
    if not msgid:
        return str(err)
    return _(msgid).format(**getattr(err, "params", {}))
