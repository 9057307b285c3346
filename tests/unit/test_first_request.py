"""A fresh worker's first requests arrive at once (gunicorn threads): none may be served by a
half set-up Dash app."""

import threading

from dash import html
from flask import Flask

from app.main import MMmeterDash


def test_a_request_during_the_first_setup_waits_until_it_is_done():
    app = MMmeterDash("setup-test", server=Flask("setup-test"))
    app.layout = html.Div("x")
    inside, release = threading.Event(), threading.Event()
    generate_scripts = app._generate_scripts_html

    def slow_generate_scripts():  # the first request is in the middle of Dash's setup
        inside.set()
        release.wait(5)
        generate_scripts()

    app._generate_scripts_html = slow_generate_scripts
    first = threading.Thread(target=app._setup_server)
    first.start()
    assert inside.wait(5)
    second_done = threading.Event()
    second = threading.Thread(target=lambda: (app._setup_server(), second_done.set()))
    second.start()
    assert not second_done.wait(0.3), "the second request went on before setup was done"
    release.set()
    first.join(5)
    assert second_done.wait(5)
    assert app._got_first_request["setup_server"]
