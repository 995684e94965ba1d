"""The extension's own HTTP routes under ``/_fledge/``, in front of moto's WSGI application."""

import json
from typing import Any, Callable, Iterable
from urllib.parse import parse_qs

from . import faults, sagemaker_ext, sns_ext

EXTENSION_VERSION = 1


def _respond(start_response: Callable[..., Any], status: str, body: bytes, content_type: str) -> Iterable[bytes]:
    start_response(status, [("Content-Type", content_type), ("Content-Length", str(len(body)))])
    return [body]


def _json(start_response: Callable[..., Any], status: str, value: Any) -> Iterable[bytes]:
    return _respond(start_response, status, json.dumps(value).encode(), "application/json")


def _confirmed_xml(arn: str) -> bytes:
    return (
        '<ConfirmSubscriptionResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/">'
        f"<ConfirmSubscriptionResult><SubscriptionArn>{arn}</SubscriptionArn></ConfirmSubscriptionResult>"
        "</ConfirmSubscriptionResponse>"
    ).encode()


def handle(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    method = environ.get("REQUEST_METHOD", "GET")
    path = environ.get("PATH_INFO", "")
    query = {k: v[0] for k, v in parse_qs(environ.get("QUERY_STRING", "")).items()}
    if method == "GET" and path == "/_fledge/health":
        return _json(start_response, "200 OK", {"extension": "fledge-moto", "version": EXTENSION_VERSION})
    if method == "GET" and path == "/_fledge/sns/ca.pem":
        return _respond(start_response, "200 OK", sns_ext.PKI.ca_pem(), "application/x-pem-file")
    if method == "GET" and path == f"/_fledge/sns/{sns_ext.CERT_NAME}":
        return _respond(start_response, "200 OK", sns_ext.PKI.cert_pem(), "application/x-pem-file")
    if method == "GET" and path == "/_fledge/sns/confirm":
        arn = sns_ext.confirm(query.get("TopicArn", ""), query.get("Token", ""))
        if arn is None:
            return _respond(start_response, "404 Not Found", b"<Error><Code>NotFound</Code></Error>", "text/xml")
        return _respond(start_response, "200 OK", _confirmed_xml(arn), "text/xml")
    if method == "GET" and path == "/_fledge/sns/unsubscribe":
        found = sns_ext.unsubscribe(query.get("SubscriptionArn", ""))
        return _respond(start_response, "200 OK" if found else "404 Not Found", b"", "text/xml")
    if method == "GET" and path.startswith("/_fledge/sagemaker/endpoints/") and path.endswith("/history"):
        name = path[len("/_fledge/sagemaker/endpoints/") : -len("/history")]
        return _json(start_response, "200 OK", sagemaker_ext.history(name))
    if method == "POST" and path == "/_fledge/faults":
        length = int(environ.get("CONTENT_LENGTH") or 0)
        spec = json.loads(environ["wsgi.input"].read(length) or b"{}")
        return _json(start_response, "200 OK", faults.add(spec))
    if method == "GET" and path.startswith("/_fledge/faults/"):
        fault = faults.get(path.rsplit("/", 1)[-1])
        return _json(start_response, "200 OK" if fault else "404 Not Found", fault or {"error": "no such fault"})
    return _json(start_response, "404 Not Found", {"error": f"no route {method} {path}"})


class ExtensionApp:
    """Serves ``/_fledge/*`` itself, injects registered faults, and passes the rest to moto."""

    def __init__(self, inner: Callable[..., Iterable[bytes]]) -> None:
        self.inner = inner

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if environ.get("PATH_INFO", "").startswith("/_fledge/"):
            return handle(environ, start_response)
        fault = faults.intercept(environ, start_response)
        if fault is not None:
            return fault
        return self.inner(environ, start_response)
