"""The load test stays runnable: a short room against a fresh real server.

Latency is printed, never asserted (this machine's cores are shared); what must
hold is zero errors and every reaction sent found in the database.
"""

import os
import socket

import pytest
from streamlit.proto.Element_pb2 import Element

from tests.load.load_test import Options, device_address, listening_pid, load_test
from tests.load.ws_client import Widget, _widget, state_for


def test_widgets_are_read_from_the_proto_and_sent_back_in_the_right_field():
    el = Element()
    el.slider.id = "$$ID-abc-reoffending.label_bias"
    el.slider.min, el.slider.max, el.slider.step = 0.0, 1.0, 0.25
    el.slider.default[:] = [0.5]
    w = _widget("slider", el.slider)
    assert (w.key, w.field, w.value, w.grid()) == (
        "reoffending.label_bias", "label_bias", [0.5], [0.0, 0.25, 0.5, 0.75, 1.0])
    assert list(state_for(w, 0.75).double_array_value.data) == [0.75]

    el = Element()
    el.radio.id = "$$ID-def-reaction.x.comfort"
    el.radio.form_id = "reaction.x"
    el.radio.options[:] = ["1: Very uncomfortable", "2: Uncomfortable"]
    r = _widget("radio", el.radio)
    assert r.value is None and r.form_id == "reaction.x"
    assert state_for(r, 1).string_value == "2: Uncomfortable"

    unkeyed = Element()
    unkeyed.button.id = "$$ID-123-None"
    assert _widget("button", unkeyed.button).key is None
    assert state_for(Widget("$$ID-1-b", "button", "b"), True).trigger_value is True
    assert _widget("markdown", Element().markdown) is None


def test_the_server_process_is_found_by_its_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        assert listening_pid(s.getsockname()[1]) == os.getpid()


def test_every_session_is_its_own_device_on_this_machine():
    addresses = [device_address(n) for n in range(500)]
    assert len(set(addresses)) == 500
    assert all(a.startswith("127.") for a in addresses)


@pytest.mark.server
def test_ten_sessions_for_twenty_seconds_no_errors_every_reaction_stored():
    report = load_test(Options(sessions=10, duration=20, interval=2, ramp=2, timeout=60,
                               processes=2))
    print("\n" + report.table())
    assert report.server_processes == 2  # as `make run` serves: two behind the proxy
    # The only errors tolerated: full runs whose end Streamlit 1.67 drops when a
    # run_every fragment tick races them (ws_client.LostRun, an upstream bug).
    assert len(report.errors) == report.lost_runs
    assert report.page_open, "no session got as far as opening a page"
    assert report.missing == [] and report.duplicated == 0
    assert report.stored == len(report.sent)
    assert report.peak_rss_mb is not None and report.peak_rss_mb > 0
