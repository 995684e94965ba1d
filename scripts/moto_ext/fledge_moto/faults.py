"""Injected AWS faults, so tests can see the SDK's real retry strategy at work over HTTP.

``POST /_fledge/faults`` with ``{"action": "UpdateEndpointWeightsAndCapacities", "match": "<text in
the request body>", "count": 2, "status": 400, "code": "ThrottlingException", "message": "Rate
exceeded"}`` makes the next ``count`` matching requests fail with that error (AWS JSON error shape),
then lets requests through again. ``match`` scopes a fault to one test's resources on a shared
server. ``GET /_fledge/faults/<id>`` reports how many requests it failed and how many matched after.
"""

import io
import itertools
import json
import threading
from typing import Any, Callable, Iterable

_lock = threading.Lock()
_ids = itertools.count(1)
_faults: dict[str, dict[str, Any]] = {}


def add(spec: dict[str, Any]) -> dict[str, Any]:
    fault = {
        "id": str(next(_ids)),
        "action": str(spec["action"]),
        "match": str(spec.get("match", "")),
        "count": int(spec.get("count", 1)),
        "status": int(spec.get("status", 400)),
        "code": str(spec.get("code", "ThrottlingException")),
        "message": str(spec.get("message", "Rate exceeded")),
        "failed": 0,
        "passed": 0,
    }
    with _lock:
        _faults[fault["id"]] = fault
    return fault


def get(fault_id: str) -> dict[str, Any] | None:
    with _lock:
        fault = _faults.get(fault_id)
        return dict(fault) if fault else None


def _action(environ: dict[str, Any], body: bytes) -> str:
    target = environ.get("HTTP_X_AMZ_TARGET", "")
    if target:
        return target.rsplit(".", 1)[-1]
    path = environ.get("PATH_INFO", "")
    if "/operation/" in path:  # Smithy RPC v2 (CBOR)
        return path.rsplit("/", 1)[-1]
    for part in (environ.get("QUERY_STRING", "") + "&" + body.decode("latin-1")).split("&"):
        if part.startswith("Action="):
            return part[len("Action=") :]
    return ""


def intercept(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes] | None:
    """A fault response when one applies; otherwise None (the request body stays readable)."""
    with _lock:
        if not _faults:
            return None
    length = int(environ.get("CONTENT_LENGTH") or 0)
    body = environ["wsgi.input"].read(length) if length else b""
    environ["wsgi.input"] = io.BytesIO(body)
    action = _action(environ, body)
    with _lock:
        for fault in _faults.values():
            if fault["action"] != action or fault["match"].encode() not in body:
                continue
            if fault["failed"] >= fault["count"]:
                fault["passed"] += 1
                continue
            fault["failed"] += 1
            payload = json.dumps({"__type": fault["code"], "message": fault["message"]}).encode()
            start_response(
                f"{fault['status']} Fault",
                [
                    ("Content-Type", "application/x-amz-json-1.1"),
                    ("x-amzn-ErrorType", fault["code"]),
                    ("x-amzn-RequestId", f"fledge-fault-{fault['id']}-{fault['failed']}"),
                    ("Content-Length", str(len(payload))),
                ],
            )
            return [payload]
    return None
