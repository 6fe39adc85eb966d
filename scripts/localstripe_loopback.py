"""localstripe, listening on 127.0.0.1 only: what `make run` and the test suite start.

The `localstripe` command (1.15.10) binds every interface, `[::]`, and has no option to change
that; its `/_config` endpoints (register a webhook, delete every object) take no key, so anyone on
the network could use them. This serves the same aiohttp application on the loopback address
instead. Like `localstripe --from-scratch`, it starts empty: it never loads /tmp/localstripe.pickle
(localstripe still writes that file after every change).
"""

from __future__ import annotations

import argparse
import logging

from aiohttp import web
from localstripe.server import app

HOST = "127.0.0.1"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8420)
    args = parser.parse_args()
    # The access log, as `localstripe` prints it.
    access_log = logging.getLogger("aiohttp.access")
    access_log.setLevel(logging.DEBUG)
    access_log.addHandler(logging.StreamHandler())
    web.run_app(app, host=HOST, port=args.port, access_log=access_log)


if __name__ == "__main__":
    main()
