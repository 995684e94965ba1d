"""moto's server with Fledge's extension: ``python fledge_moto_server.py -H 127.0.0.1 -p 5055``.

Same command line as ``moto_server`` (host, port); the extension is installed first, then moto's
WSGI application is served behind the extension's ``/_fledge/`` routes.
"""

import argparse
import os
import signal
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("-H", "--host", default="127.0.0.1")
    parser.add_argument("-p", "--port", type=int, default=int(os.environ.get("MOTO_PORT", 5000)))
    args = parser.parse_args()
    os.environ["MOTO_PORT"] = str(args.port)

    import fledge_moto
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication, MotoRequestHandler, create_backend_app
    from werkzeug.serving import run_simple

    from fledge_moto.routes import ExtensionApp

    fledge_moto.install()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    app = DomainDispatcherApplication(create_backend_app)
    run_simple(args.host, args.port, ExtensionApp(app), threaded=True, request_handler=MotoRequestHandler)


if __name__ == "__main__":
    main()
