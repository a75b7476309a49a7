"""The app's few styles: a result strip that stays in view, tap targets a thumb can
hit, and type a projector can carry. Public hooks only: ``st.html`` with a style
block, and the ``st-key-<key>`` class Streamlit gives a container with a key."""

from __future__ import annotations

import streamlit as st

STRIP_KEY = "result-strip"
BANNER_KEY = "room-banner"
STORY_KEY = "story-box"

_CSS = """
<style>
  /* The result strip stays at the top of the screen while sliders below it move. */
  /* Sticky on the strip's own wrapper: a sticky element stays inside its parent. */
  div:has(> .st-key-STRIP) {
    position: sticky; top: 3.6rem; z-index: 20;
  }
  .st-key-STRIP {
    background: #FFFFFF; border-bottom: 2px solid #D5DBE3;
    padding: 0.4rem 0 0.5rem 0; margin-top: -0.4rem;
  }
  .strip-head { display: flex; align-items: baseline; gap: 0.5rem; flex-wrap: wrap; }
  .strip-number { font-size: 1.6rem; font-weight: 700; line-height: 1.1; }
  .strip-label { font-size: 0.9rem; }
  .strip-sentence { margin: 0.15rem 0 0.25rem 0; font-size: 0.95rem; line-height: 1.3; }
  .strip-chance { margin: 0.2rem 0 0 0; font-size: 0.8rem; line-height: 1.25; color: #333333; }
  .strip-row { display: grid; grid-template-columns: 7.5rem 1fr 2.2rem; align-items: center;
               gap: 0.4rem; font-size: 0.95rem; margin: 0.1rem 0; }
  .strip-track { background: #EEF1F5; height: 0.9rem; border-radius: 3px; overflow: hidden; }
  .strip-fill { height: 100%; }
  .strip-num { text-align: right; font-variant-numeric: tabular-nums; font-weight: 600; }

  /* A slider says its value in words above the thumb; the two end labels (long in
     people's units) would only crowd the next slider. */
  [data-testid="stSliderTickBar"] { display: none; }

  /* Radios, pills and buttons a thumb can hit: at least 44 px tall. */
  /* (A radio's options only: its own label, when collapsed, stays hidden.) */
  [data-testid="stRadio"] [role="radiogroup"] label, [data-testid="stCheckbox"] label {
    min-height: 44px; display: flex; align-items: center; }
  button[kind], [data-testid="stBaseButton-pills"],
  [data-testid="stBaseButton-pillsActive"], [data-testid="stBaseButton-segmented_control"],
  [data-testid="stBaseButton-segmented_controlActive"] { min-height: 44px; }
  [data-testid="stPageLink"] a { min-height: 44px; display: flex; align-items: center; }

  /* A long value (Welsh runs longer) wraps above its thumb instead of running off the
     edge of a phone: Streamlit keeps the box inside the track once it is no wider. */
  [data-testid="stSliderThumbValue"] { white-space: normal !important;
    max-width: calc(100vw - 6rem); width: max-content; text-align: center;
    line-height: 1.25; top: auto !important; bottom: calc(100% + 4px); }
  @media (max-width: 640px) {  /* room for a value on two lines */
    [data-testid="stSlider"] > div:last-child { padding-top: 1.25em; }
  }

  /* Titles that leave room for the content on a phone. */
  @media (max-width: 640px) {
    h1 { font-size: 1.9rem !important; padding-top: 0.5rem !important; }
    h2 { font-size: 1.5rem !important; }  /* a page's sections, under its title */
    .strip-row { grid-template-columns: 6.5rem 1fr 2.2rem; }
  }
  .strip-row, .strip-sentence { max-width: 56rem; }

  /* A use case's story before its first question: at most this tall, scrolling, so
     the question starts on a phone's first screen. */
  .st-key-STORY { max-height: 300px; overflow-y: auto; }

  /* Parts that draw nothing take no room. */
  .st-key-menu-closer, .st-key-console-cookie, .st-key-story-scroll { display: none; }

  /* The room's stage, at the top of every participant page. */
  .st-key-BANNER { margin-top: -1rem; }
</style>
""".replace("STRIP", STRIP_KEY).replace("BANNER", BANNER_KEY).replace("STORY", STORY_KEY)


def apply() -> None:
    """Once per run, from ``app.py``."""
    st.html(_CSS)
