"""One participant's browser without the browser: Streamlit's own websocket protocol.

A :class:`Session` connects to ``/_stcore/stream`` with the ``streamlit``
subprotocol, sends ``BackMsg.rerun_script`` messages the way the frontend does,
and reads ``ForwardMsg``s until the run's ``script_finished``. It learns the
pages from the ``navigation`` message and the widgets from the deltas' new
elements (id, kind, user key, range, options, current value), so nothing here
knows about any particular page::

    async with Session(url, query_string="p=...") as s:
        await s.open()                          # the default page
        await s.open("reoffending")             # a page by its url path
        w = s.widget("reoffending.label_bias")  # a select_slider in the page's fragment
        run = await s.set(w, w.options[3])      # reruns only that fragment
        run.seconds, run.fragment, run.exceptions  # widget change -> finished run

What is sent, as the browser would (streamlit 1.67):

- every rerun carries the current query string (kept up to date from
  ``page_info_changed``) and the current page's script hash;
- a widget drawn inside an ``st.fragment`` reruns only that fragment: the browser
  knows a widget's fragment from the ``fragment_id`` of the delta that drew it,
  and sends ``rerun_script`` with that ``fragment_id``; the run ends with a
  ``script_finished`` of ``FINISHED_FRAGMENT_RUN_SUCCESSFULLY`` whose
  ``metadata.run.fragment_ids`` name it, and the fragment's elements not drawn
  again are dropped (the rest of the page stays);
- a widget's value is what the page last set (the element's ``set_value``) or the
  user last chose; an element drawn again without ``set_value`` keeps it, as the
  browser's widget manager does (a keyed ``select_slider``'s ``default`` is only
  its ``value=`` argument, not what session state holds). ``st.select_slider``
  values travel as the chosen options' labels (``string_array_value``);
- widget values the user changed are sent with every later rerun while the
  widget is on screen. Untouched widgets are left out: the server keeps their
  value from the previous run, so the run is the same as the browser's;
- widgets inside a form keep their new value on the client until the form's
  submit button is pressed; then the values and the button's trigger go in one
  ``widget_states`` (and in any fragment tick sent before that run ends), and the
  form forgets them;
- ``auto_rerun`` messages (``st.fragment(run_every=...)``) start timers that
  send fragment reruns, as phones left on a page do; like the frontend, a timer
  keeps running when the same fragment and interval come again, fires whether or
  not a run is going on, and all timers stop when a full run starts or the page
  changes;
- a fragment run whose end Streamlit relabels ``FINISHED_EARLY_FOR_RERUN`` because
  the next run (another fragment, such as a ``run_every`` tick) started before its
  messages left the server: Streamlit clears only the next run's own fragments'
  unsent output, so what ours drew reaches the browser all the same, and the move
  counts as drawn when that next run starts (``relabelled_runs``). This app asks
  for no fragment-scoped rerun, the one other way a fragment run ends early with
  a fragment run after it.

Messages cached by the browser (``cached_message_hashes``) are not claimed, so
the server sends every message in full: a little more work than real phones.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from streamlit.proto.Alert_pb2 import Alert
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.Slider_pb2 import Slider
from streamlit.proto.WidgetStates_pb2 import WidgetState
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

STREAM_PATH = "/_stcore/stream"
SUBPROTOCOL = "streamlit"
_ID_PREFIX = "$$ID"

#: element kind -> the WidgetState field its value travels in (streamlit 1.67)
VALUE_FIELD = {
    "slider": "double_array_value",
    "select_slider": "string_array_value",  # the options' labels (Slider.type SELECT_SLIDER)
    "radio": "string_value",
    "selectbox": "string_value",
    "text_area": "string_value",
    "text_input": "string_value",
    "number_input": "double_value",
    "checkbox": "bool_value",  # also st.toggle
    "button_group": "string_array_value",  # st.pills, st.segmented_control
    "multiselect": "string_array_value",
    "button": "trigger_value",
}
_ALERT = {v: k for k, v in Alert.Format.items()}
_STATUS = {v: k for k, v in ForwardMsg.ScriptFinishedStatus.items()}


class ProtocolError(RuntimeError):
    """The connection broke, or the server sent what a browser could not use."""


class LostRun(ProtocolError):
    """A fragment run started before the full run we asked for had finished.

    The server ran the script, but the end of the run (its last deltas and its
    ``script_finished``) never reached the browser. Streamlit 1.67's AppSession
    does this when a ``run_every`` fragment's auto-rerun arrives after the script
    thread has finished but before the event loop has sent the run's last
    messages: the request finds the ScriptRunner stopped, starts a new one, and
    the old one's pending messages are dropped as coming from a "non-current
    ScriptRunner". A browser keeps showing the stale end of the page. The session
    can carry on.
    """


@dataclass
class Widget:
    """A widget as the page drew it in the last run."""

    id: str
    kind: str
    key: str | None
    label: str = ""
    form_id: str = ""
    value: Any = None
    min: float | None = None
    max: float | None = None
    step: float | None = None
    options: list[str] = field(default_factory=list)
    submit: bool = False  # a form's submit button
    primary: bool = False  # a button drawn with type="primary"
    fragment_id: str = ""  # the st.fragment it was drawn in: changing it reruns only that

    @property
    def field(self) -> str | None:
        """The last part of the key: ``"reoffending.label_bias"`` -> ``"label_bias"``."""
        return self.key.rsplit(".", 1)[-1] if self.key else None

    def grid(self) -> list[float]:
        """Every value a slider can take."""
        if self.min is None or self.max is None or not self.step:
            return []
        n = int(round((self.max - self.min) / self.step))
        return [round(self.min + i * self.step, 10) for i in range(n + 1)]


@dataclass
class Run:
    """What one rerun did, as this client saw it (a fragment run: what it redrew)."""

    seconds: float
    status: str
    exceptions: list[str]
    alerts: list[tuple[str, str]]  # (ERROR/WARNING/INFO/SUCCESS, text)
    widgets: dict[str, Widget]  # every widget on the page after the run
    texts: list[str]

    @property
    def fragment(self) -> bool:
        """Only a fragment ran, not the whole page."""
        return self.status == "FINISHED_FRAGMENT_RUN_SUCCESSFULLY"

    @property
    def errors(self) -> list[str]:
        """Exceptions drawn in the page and a compile error, if any."""
        out = list(self.exceptions)
        if self.status == "FINISHED_WITH_COMPILE_ERROR":
            out.append("the script failed to compile")
        return out


def widget_of(kind: str, el: Any, fragment_id: str = "") -> Widget | None:
    """The widget a page element is, if it is one (with the fragment that drew it)."""
    wid = getattr(el, "id", "")
    if not isinstance(wid, str) or not wid.startswith(_ID_PREFIX):
        return None
    key = wid.split("-", 2)[-1]  # ids are "$$ID-<hash>-<user key or None>"
    if kind == "slider" and el.type == Slider.Type.SELECT_SLIDER:
        kind = "select_slider"
    w = Widget(id=wid, kind=kind, key=None if key == "None" else key,
               label=getattr(el, "label", ""), form_id=getattr(el, "form_id", ""),
               fragment_id=fragment_id)
    if kind == "select_slider":  # min/max/step are the options' indices
        w.options = list(el.options)
        chosen = (list(el.raw_value) if el.set_value and el.raw_value
                  else [w.options[int(i)] for i in el.default if 0 <= int(i) < len(w.options)])
        w.value = chosen[0] if len(chosen) == 1 else chosen
    elif kind == "slider":
        w.min, w.max, w.step = el.min, el.max, el.step
        w.value = list(el.value if el.set_value else el.default)
    elif kind in ("radio", "selectbox"):
        w.options = list(el.options)
        if el.set_value and el.HasField("raw_value"):
            w.value = el.raw_value
        elif el.HasField("default") and 0 <= el.default < len(w.options):
            w.value = w.options[el.default]
    elif kind == "number_input":
        w.min = el.min if el.has_min else None
        w.max = el.max if el.has_max else None
        w.step = el.step
        w.value = el.value if el.set_value and el.HasField("value") else (
            el.default if el.HasField("default") else None)
    elif kind in ("text_area", "text_input"):
        w.value = el.value if el.set_value and el.HasField("value") else el.default
    elif kind == "checkbox":
        w.value = el.value if el.set_value else el.default
    elif kind == "button_group":
        w.options = [o.content for o in el.options]
        w.value = list(el.raw_values) if el.set_value else [w.options[i] for i in el.default]
    elif kind == "multiselect":
        w.options = list(el.options)
        w.value = list(el.raw_values) if el.set_value else [w.options[i] for i in el.default]
    elif kind == "button":
        w.submit = bool(el.is_form_submitter)
        w.primary = el.type == "primary"
    return w


def _sets_value(el: Any) -> bool:
    """The element carries a value the script set (else the browser keeps its own)."""
    return bool(getattr(el, "set_value", False))


def state_for(widget: Widget, value: Any) -> WidgetState:
    """The ``WidgetState`` the browser sends for ``value`` in ``widget``."""
    ws = WidgetState(id=widget.id)
    where = VALUE_FIELD.get(widget.kind)
    if where is None:
        raise ValueError(f"this client can't set a {widget.kind} widget ({widget.key})")
    if widget.kind == "select_slider":  # an option's label, or its position
        values = value if isinstance(value, Sequence) and not isinstance(value, str) else [value]
        ws.string_array_value.data[:] = [
            widget.options[v] if isinstance(v, int) and widget.options else str(v)
            for v in values]
    elif where == "double_array_value":
        values = value if isinstance(value, Sequence) else [value]
        ws.double_array_value.data[:] = [float(v) for v in values]
    elif where == "string_value":
        if isinstance(value, int) and widget.options:  # an option's position
            value = widget.options[value]
        ws.string_value = str(value)
    elif where == "string_array_value":
        ws.string_array_value.data[:] = [str(v) for v in value]
    elif where == "double_value":
        ws.double_value = float(value)
    elif where == "bool_value":
        ws.bool_value = bool(value)
    else:
        ws.trigger_value = True
    return ws


class Session:
    """One browser tab on the app. Use as ``async with Session(url) as s``."""

    def __init__(self, url: str, *, query_string: str = "", timeout: float = 60.0,
                 auto_rerun: bool = True, local_host: str | None = None) -> None:
        parts = urlsplit(url)
        self.local_host = local_host  # the device's own address (a loopback alias)
        self.ws_url = f"ws://{parts.netloc}{parts.path.rstrip('/')}{STREAM_PATH}"
        self.query_string = query_string
        self.timeout = timeout
        self.auto_rerun = auto_rerun
        self.pages: dict[str, str] = {}  # url path ("" for the default page) -> script hash
        self.page_hash = ""
        self.widgets: dict[str, Widget] = {}  # by id, as of the last finished run
        self.fragment_runs = 0  # finished, ours and run_every ticks
        self.fragment_requests = 0  # run_every ticks sent
        self.relabelled_runs = 0  # our fragment runs drawn, their end relabelled early
        self.fragment_errors: list[str] = []  # exceptions in runs nobody was waiting for
        self.problems: list[str] = []  # protocol trouble, seen by the reader
        self._ws: ClientConnection | None = None
        self._reader: asyncio.Task | None = None
        self._timers: dict[str, tuple[float, asyncio.Task]] = {}  # fragment -> timer
        self._touched: dict[str, WidgetState] = {}  # id -> last value the user set
        self._pending_form: dict[str, dict[str, WidgetState]] = {}
        self._values: dict[str, Any] = {}  # id -> the widget's value, as the browser keeps it
        self._elements: dict[tuple[int, ...], Widget | None] = {}  # by delta path
        self._fragment_of: dict[tuple[int, ...], str] = {}  # delta path -> its fragment
        self._run_paths: set[tuple[int, ...]] = set()  # drawn by the current run
        self._run_fragments: list[str] = []  # what the current run reruns ([]: everything)
        self._ours = False  # the current run is the one we wait for
        self._relabelled = False  # ... and its end came as FINISHED_EARLY_FOR_RERUN
        self._want = ""  # the fragment our pending request reruns ("": the whole page)
        self._full_started = False  # our full run's new_session has arrived
        self._exceptions: list[str] = []
        self._alerts: list[tuple[str, str]] = []
        self._texts: list[str] = []
        self._done: asyncio.Future[str] | None = None
        self._busy = False
        self._closing = False
        self._seen: list[str] = []  # what arrived since the last rerun was asked for

    # -- connection -------------------------------------------------------------

    async def __aenter__(self) -> Session:
        await self.connect()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def connect(self) -> None:
        self._ws = await connect(
            self.ws_url, subprotocols=[SUBPROTOCOL], max_size=None, proxy=None,
            open_timeout=self.timeout, ping_interval=None,
            **({"local_addr": (self.local_host, 0)} if self.local_host else {}),
        )
        if self._ws.subprotocol != SUBPROTOCOL:
            raise ProtocolError(f"server chose subprotocol {self._ws.subprotocol!r}")
        self._reader = asyncio.create_task(self._read())

    async def close(self) -> None:
        self._closing = True
        self._stop_timers()
        if self._ws is not None:
            with contextlib.suppress(TimeoutError):  # the socket is dropped regardless
                await asyncio.wait_for(self._ws.close(), self.timeout)
        if self._reader is not None:
            self._reader.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._reader

    # -- what the user does -------------------------------------------------------

    async def open(self, page: str | None = None) -> Run:
        """Load the app (``page=None``: the page the address names) or go to a page."""
        if page is None:
            return await self.rerun(page_name="")
        if page not in self.pages:
            raise ProtocolError(f"no page {page!r}; the app has {sorted(self.pages)}")
        self._touched.clear()
        self._pending_form.clear()
        self._stop_timers()
        return await self.rerun(page_hash=self.pages[page])

    def widget(self, key: str) -> Widget:
        found = [w for w in self.widgets.values() if w.key == key]
        if not found:
            raise KeyError(f"no widget with key {key!r} on this page")
        return found[0]

    def find(self, kind: str | None = None, *, form_id: str | None = None) -> list[Widget]:
        return [w for w in self.widgets.values()
                if (kind is None or w.kind == kind)
                and (form_id is None or w.form_id == form_id)]

    def current(self, widget: Widget) -> Any:
        """The widget's value as the user last set it, else as the page last set it."""
        ws = self._touched.get(widget.id)
        if ws is None:
            return self._values.get(widget.id, widget.value)
        if widget.kind == "slider":
            return list(ws.double_array_value.data)
        if widget.kind == "select_slider":
            labels = list(ws.string_array_value.data)
            return labels[0] if len(labels) == 1 else labels
        return getattr(ws, VALUE_FIELD[widget.kind])

    async def set(self, widget: Widget, value: Any, *, whole_page: bool = False) -> Run | None:
        """Change a widget as a user would; a widget in a form waits for its submit.

        A widget drawn in a fragment reruns that fragment only (``whole_page``:
        the whole script instead, as if the page had no fragment).
        """
        ws = state_for(widget, value)
        if widget.form_id:
            self._pending_form.setdefault(widget.form_id, {})[widget.id] = ws
            return None
        self._touched[widget.id] = ws
        self._values[widget.id] = self.current(widget)
        return await self.rerun(fragment_id="" if whole_page else widget.fragment_id)

    async def click(self, button: Widget) -> Run:
        """Press a button; a form's submit button sends the form's values with it.

        Submitted values count as set by the user until the run ends, so a
        fragment tick sent meanwhile carries them too (the server merges a newer
        request's widget states over an older pending one, keeping only its
        triggers); then the form is cleared, as ``clear_on_submit`` does.
        """
        submitted = self._pending_form.pop(button.form_id, {}) if button.submit else {}
        self._touched.update(submitted)
        try:
            return await self.rerun(extra=[state_for(button, True)],
                                    fragment_id=button.fragment_id)
        finally:
            for wid in submitted:
                self._touched.pop(wid, None)

    # -- the protocol ---------------------------------------------------------------

    async def rerun(self, *, page_hash: str | None = None, page_name: str | None = None,
                    extra: Iterable[WidgetState] = (), fragment_id: str = "") -> Run:
        """Ask for a rerun (of the page, or of one fragment) and wait for it to
        finish; the time includes the send."""
        if self._busy:
            raise RuntimeError("one rerun at a time per session")
        self._busy = True
        try:
            states = {**self._touched, **{s.id: s for s in extra}}
            msg = self._back_msg(states.values(), page_hash=page_hash, page_name=page_name,
                                 fragment_id=fragment_id)
            self._done = asyncio.get_running_loop().create_future()
            self._want = fragment_id
            self._seen = []
            self._full_started = self._relabelled = False
            started = time.perf_counter()
            await self._send(msg)
            try:
                status = await asyncio.wait_for(self._done, self.timeout)
            except TimeoutError:
                seen = self._seen[:12] + (["..."] if len(self._seen) > 12 else [])
                raise ProtocolError(f"no script_finished within {self.timeout:.0f} s "
                                    f"(since asking: {', '.join(seen) or 'nothing'})") from None
            seconds = time.perf_counter() - started
            return Run(seconds, status, list(self._exceptions), list(self._alerts),
                       dict(self.widgets), list(self._texts))
        finally:
            self._done = None
            self._busy = False

    def _back_msg(self, states: Iterable[WidgetState], *, page_hash: str | None = None,
                  page_name: str | None = None, fragment_id: str = "",
                  auto: bool = False) -> BackMsg:
        msg = BackMsg()
        cs = msg.rerun_script
        cs.query_string = self.query_string
        cs.page_script_hash = self.page_hash if page_hash is None else page_hash
        if page_name is not None:
            cs.page_name = page_name
        cs.widget_states.widgets.extend(states)
        if fragment_id:
            cs.fragment_id = fragment_id
            cs.is_auto_rerun = auto
        return msg

    async def _send(self, msg: BackMsg) -> None:
        if self._ws is None:
            raise ProtocolError("not connected")
        try:
            await asyncio.wait_for(self._ws.send(msg.SerializeToString()), self.timeout)
        except ConnectionClosed as err:
            raise ProtocolError(f"connection closed: {err}") from None
        except TimeoutError:
            raise ProtocolError(f"could not send within {self.timeout:.0f} s") from None

    async def _read(self) -> None:
        assert self._ws is not None
        try:
            async for data in self._ws:
                msg = ForwardMsg()
                msg.ParseFromString(data if isinstance(data, bytes) else data.encode())
                self.receive(msg)
        except ConnectionClosed as err:
            self._fail(f"connection closed: {err}")
        except Exception as err:  # a message we can't read is a protocol error
            self._fail(f"{type(err).__name__}: {err}")
        else:
            self._fail("connection closed by the server")

    def _fail(self, problem: str) -> None:
        if self._closing:
            return
        self.problems.append(problem)
        if self._waiting():
            self._done.set_exception(ProtocolError(problem))

    def _waiting(self) -> bool:
        return self._done is not None and not self._done.done()

    def receive(self, msg: ForwardMsg) -> None:
        """Take in one message from the server, as the browser would."""
        kind = msg.WhichOneof("type")
        if kind in ("script_finished", "new_session"):
            run = "fragment" if msg.metadata.run.fragment_ids else "full"
            what = _STATUS.get(msg.script_finished, "?") if kind == "script_finished" else kind
            self._seen.append(f"{what}({run} {msg.metadata.run.script_run_id[:6]})")
        elif kind not in ("delta", "session_status_changed"):
            self._seen.append(kind or "?")
        if kind == "new_session":
            self._started(msg)
        elif kind == "delta":
            self._delta(msg)
        elif kind == "navigation":
            self.pages = {p.url_pathname: p.page_script_hash for p in msg.navigation.app_pages}
            if msg.navigation.page_script_hash:
                self.page_hash = msg.navigation.page_script_hash
        elif kind == "page_info_changed":
            self.query_string = msg.page_info_changed.query_string
        elif kind == "auto_rerun":
            if self.auto_rerun:
                a = msg.auto_rerun
                old = self._timers.get(a.fragment_id)
                if a.fragment_id and (old is None or old[0] != a.interval):
                    self._stop_timers([a.fragment_id])
                    task = asyncio.get_running_loop().create_task(
                        self._tick(a.fragment_id, a.interval))
                    self._timers[a.fragment_id] = (a.interval, task)
        elif kind == "stop_auto_rerun":
            self._stop_timers(msg.stop_auto_rerun.fragment_ids)
        elif kind == "script_finished":
            self._finished(msg)
        elif kind == "page_not_found":
            self.problems.append(f"page not found: {msg.page_not_found.page_name!r}")
        elif kind == "session_event":
            ev = msg.session_event
            if ev.HasField("script_compilation_exception"):
                e = ev.script_compilation_exception
                self._exceptions.append(f"{e.type}: {e.message}")
        elif kind == "ref_hash":
            self._fail("server sent a cached-message reference this client never claimed")

    def _started(self, msg: ForwardMsg) -> None:
        """A run starts: the whole page, or the fragments it names."""
        self._run_fragments = list(msg.metadata.run.fragment_ids)
        relabelled, self._relabelled = self._relabelled, False
        if (relabelled and self._run_fragments and self._waiting()
                and self._want not in self._run_fragments):
            # Our fragment's output was kept, only its end relabelled (module doc).
            self.relabelled_runs += 1
            self._collect_widgets()
            self._done.set_result("FINISHED_FRAGMENT_RUN_SUCCESSFULLY")
        self._run_paths = set()
        if not self._run_fragments:
            self._stop_timers()  # the page's auto_rerun messages start them again
            self.page_hash = msg.new_session.page_script_hash
            self._full_started = self._ours = True
        elif not self._want and self._full_started and self._waiting():
            self._collect_widgets()  # the browser keeps the stale rest of the page
            self._done.set_exception(LostRun(
                "the server dropped the end of this run (a run_every fragment "
                "rerun raced it)"))
            self._ours = False
        else:
            self._ours = self._waiting() and self._want in self._run_fragments
        if self._ours:
            self._exceptions, self._alerts, self._texts = [], [], []

    def _finished(self, msg: ForwardMsg) -> None:
        status = _STATUS.get(msg.script_finished, str(msg.script_finished))
        if status == "FINISHED_EARLY_FOR_RERUN":
            # st.rerun() or a newer request: another run follows (for our fragment
            # run, it says whether what ours drew stands: see _started)
            self._relabelled = self._ours and bool(self._want)
            return
        if status == "FINISHED_FRAGMENT_RUN_SUCCESSFULLY":
            self.fragment_runs += 1
            # As the browser does: drop what these fragments drew before and not now.
            fragments = set(msg.metadata.run.fragment_ids)
            self._elements = {p: w for p, w in self._elements.items()
                              if p in self._run_paths or self._fragment_of.get(p) not in fragments}
            self._collect_widgets()
            if self._want and self._want in fragments and self._waiting():
                self._done.set_result(status)
            return
        # As the browser does at the end of a full run: drop what it did not redraw.
        self._elements = {p: w for p, w in self._elements.items() if p in self._run_paths}
        self._fragment_of = {p: f for p, f in self._fragment_of.items() if p in self._elements}
        self._collect_widgets()
        # Widgets gone from the page stop being sent and their values are forgotten.
        self._touched = {i: s for i, s in self._touched.items() if i in self.widgets}
        self._values = {i: v for i, v in self._values.items() if i in self.widgets}
        if self._waiting():
            self._done.set_result(status)

    def _collect_widgets(self) -> None:
        self.widgets = {w.id: w for w in self._elements.values() if w is not None}

    def _delta(self, msg: ForwardMsg) -> None:
        path = tuple(msg.metadata.delta_path)
        d = msg.delta
        which = d.WhichOneof("type")
        self._run_paths.add(path)
        if which == "add_block":  # a new block replaces whatever was under its path
            for p in [p for p in self._elements if p[: len(path)] == path and p != path]:
                del self._elements[p]
            self._elements[path] = None
            self._fragment_of[path] = d.fragment_id
            return
        if which != "new_element":
            return
        el_kind = d.new_element.WhichOneof("type")
        el = getattr(d.new_element, el_kind) if el_kind else None
        self._elements[path] = None
        self._fragment_of[path] = d.fragment_id
        if el_kind == "exception" and not el.is_warning:
            text = f"{el.type}: {el.message}"
            (self._exceptions if self._ours else self.fragment_errors).append(text)
        elif el_kind == "alert":
            if self._ours:
                self._alerts.append((_ALERT.get(el.format, str(el.format)), el.body))
        elif el_kind in ("markdown", "text", "heading"):
            if self._ours:
                self._texts.append(el.body)
        elif el_kind is not None:
            w = widget_of(el_kind, el, d.fragment_id)
            if w is not None:
                if _sets_value(el) or w.id not in self._values:
                    self._values[w.id] = w.value
                else:  # drawn again without a value: the browser keeps the one it has
                    w.value = self._values[w.id]
            self._elements[path] = w

    def _stop_timers(self, fragment_ids: Iterable[str] | None = None) -> None:
        for f in list(self._timers) if fragment_ids is None else list(fragment_ids):
            timer = self._timers.pop(f, None)
            if timer is not None:
                timer[1].cancel()

    async def _tick(self, fragment_id: str, interval: float) -> None:
        """Rerun a ``run_every`` fragment every ``interval`` seconds, as the browser does."""
        while True:
            await asyncio.sleep(interval)
            if self._ws is None or self._closing:  # a cancel wait_for swallowed
                return
            self.fragment_requests += 1
            states = list(self._touched.values())
            with contextlib.suppress(ProtocolError):
                await self._send(self._back_msg(states, fragment_id=fragment_id, auto=True))
