"""A WSGI app that streams for longer than gunicorn's worker timeout, for
tests/test_serving.py: a long export must not get its worker killed."""

import time

CHUNKS = 8
PAUSE = 0.75


def app(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain")])
    for n in range(CHUNKS):
        time.sleep(PAUSE)
        yield f"chunk {n}\n".encode()
