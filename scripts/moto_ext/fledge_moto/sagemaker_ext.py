"""SageMaker hosting as Fledge uses it, where moto 5.2.5 stops short.

- ``UpdateEndpoint`` (moto has none): the endpoint moves to the new configuration.
- ``ShadowProductionVariants`` kept on endpoint configurations and endpoints.
- "already exists" refusals for models, endpoint configurations and endpoints, as AWS answers.
- Endpoints answer ``Creating`` / ``Updating`` to the first ``FLEDGE_MOTO_PENDING_DESCRIBES``
  DescribeEndpoint calls (default 1) and settle at the next one, so waiters really poll.
- A container image whose URI contains ``fledge-test-fails-ping`` fails its health check: a new
  endpoint ends ``Failed``; an update rolls back to the previous configuration (``InService``)
  with the ``FailureReason`` set, as SageMaker does.
- Weights of 0 are kept (moto drops falsy initial weights).
- Every change an endpoint goes through is recorded, as DescribeEndpoint shows it once settled, and
  served at ``GET /_fledge/sagemaker/endpoints/<name>/history`` so tests can assert each step.
"""

import os
import threading
from typing import Any

from moto.sagemaker import models as sm_models
from moto.sagemaker.exceptions import ValidationError
from moto.sagemaker.models import FakeEndpoint, FakeEndpointConfig, sagemaker_backends
from moto.sagemaker.responses import SageMakerResponse
from moto.core.responses import ActionResult
from moto.core.utils import utcnow

FAILING_IMAGE_MARKER = "fledge-test-fails-ping"
PENDING_DESCRIBES = int(os.environ.get("FLEDGE_MOTO_PENDING_DESCRIBES", "1"))

_lock = threading.Lock()
# (account, region, endpoint name) -> the transition an endpoint is going through.
_transitions: dict[tuple[str, str, str], dict[str, Any]] = {}
# endpoint name -> the endpoint's states after each change, oldest first.
_history: dict[str, list[dict[str, Any]]] = {}


def _record(endpoint: FakeEndpoint, event: str) -> None:
    def variants(items: list[dict[str, Any]] | None) -> list[dict[str, Any]]:
        return [
            {"name": v["VariantName"], "weight": v.get("CurrentWeight"), "instanceCount": v.get("CurrentInstanceCount")}
            for v in items or []
        ]

    entry = {
        "event": event,
        "status": endpoint.endpoint_status,
        "config": endpoint.endpoint_config_name,
        "productionVariants": variants(endpoint.production_variants),
        "shadowVariants": variants(getattr(endpoint, "shadow_production_variants", None)),
        "failureReason": endpoint.failure_reason,
    }
    with _lock:
        _history.setdefault(endpoint.endpoint_name, []).append(entry)


def history(name: str) -> list[dict[str, Any]]:
    with _lock:
        return list(_history.get(name, []))


def _variants(production_variants: list[dict[str, Any]] | None) -> list[dict[str, Any]]:
    """DescribeEndpoint's view of a configuration's variants (weights of 0 included)."""
    result = []
    for pv in production_variants or []:
        weight = float(pv.get("InitialVariantWeight", 1.0))
        count = pv.get("InitialInstanceCount")
        variant: dict[str, Any] = {
            "VariantName": pv["VariantName"],
            "CurrentWeight": weight,
            "DesiredWeight": weight,
        }
        if count is not None:
            variant["CurrentInstanceCount"] = count
            variant["DesiredInstanceCount"] = count
        result.append(variant)
    return result


def _failing_variant(backend: Any, config: FakeEndpointConfig) -> str | None:
    """The first variant whose model's image is the documented failing test image."""
    shadows = getattr(config, "shadow_production_variants", None) or []
    for pv in list(config.production_variants) + list(shadows):
        model = backend._models.get(pv.get("ModelName"))
        containers = [model.primary_container] + list(model.containers) if model else []
        if any(FAILING_IMAGE_MARKER in (c or {}).get("Image", "") for c in containers):
            return pv["VariantName"]
    return None


def _ping_failure(variant: str) -> str:
    return (
        f"The primary container for production variant {variant} did not pass the ping health check. "
        "Please check CloudWatch logs for this endpoint."
    )


def _backend(self: SageMakerResponse) -> Any:
    return sagemaker_backends[self.current_account][self.region]


def _key(self: SageMakerResponse, name: str) -> tuple[str, str, str]:
    return (self.current_account, self.region, name)


def _config(backend: Any, name: str) -> FakeEndpointConfig:
    return _existing(backend.endpoint_configs, name, FakeEndpointConfig, backend, "endpoint configuration")


def _endpoint(backend: Any, name: str) -> FakeEndpoint:
    return _existing(backend.endpoints, name, FakeEndpoint, backend, "endpoint")


def _existing(table: dict[str, Any], name: str, kind: Any, backend: Any, what: str) -> Any:
    """The named resource, or SageMaker's ValidationException for a missing one."""
    if name not in table:
        arn = kind.arn_formatter(name, backend.account_id, backend.region_name)
        raise ValidationError(message=f"Could not find {what} '{arn}'.")
    return table[name]


def _apply_config(endpoint: FakeEndpoint, config: FakeEndpointConfig) -> None:
    endpoint.endpoint_config_name = config.endpoint_config_name
    endpoint.production_variants = _variants(config.production_variants)
    shadows = getattr(config, "shadow_production_variants", None)
    endpoint.shadow_production_variants = _variants(shadows) if shadows else None
    endpoint.data_capture_config = config.data_capture_config
    endpoint.last_modified_time = utcnow()


def _settle(backend: Any, key: tuple[str, str, str]) -> None:
    """Advances an endpoint's transition by one DescribeEndpoint call."""
    with _lock:
        transition = _transitions.get(key)
        if transition is None:
            return
        if transition["remaining"] > 0:
            transition["remaining"] -= 1
            return
        del _transitions[key]
    endpoint = backend.endpoints.get(key[2])
    if endpoint is None:
        return
    target = backend.endpoint_configs.get(transition["config"])
    failing = _failing_variant(backend, target) if target is not None else None
    if transition["kind"] == "create":
        endpoint.endpoint_status = "Failed" if failing else "InService"
        endpoint.failure_reason = _ping_failure(failing) if failing else None
    elif failing:
        # SageMaker keeps the endpoint on its previous configuration when an update fails.
        endpoint.endpoint_status = "InService"
        endpoint.failure_reason = _ping_failure(failing)
    else:
        _apply_config(endpoint, target)
        endpoint.endpoint_status = "InService"
        endpoint.failure_reason = None
    endpoint.last_modified_time = utcnow()
    _record(endpoint, "CreateEndpoint" if transition["kind"] == "create" else "UpdateEndpoint")


def _start(self: SageMakerResponse, name: str, kind: str, config: str) -> None:
    key = _key(self, name)
    with _lock:
        _transitions[key] = {"kind": kind, "config": config, "remaining": PENDING_DESCRIBES}
    if PENDING_DESCRIBES <= 0:
        _settle(_backend(self), key)


def _refuse_existing(table: dict[str, Any], name: str, arn: str, what: str) -> None:
    if name in table:
        raise ValidationError(message=f'Cannot create already existing {what} "{arn}".')


def create_model(self: SageMakerResponse) -> ActionResult:
    backend = _backend(self)
    name = self._get_param("ModelName")
    _refuse_existing(backend._models, name, sm_models.arn_formatter("model", name, backend.account_id, backend.region_name), "model")
    return _original["create_model"](self)


def create_endpoint_config(self: SageMakerResponse) -> ActionResult:
    backend = _backend(self)
    name = self._get_param("EndpointConfigName")
    arn = FakeEndpointConfig.arn_formatter(name, backend.account_id, backend.region_name)
    _refuse_existing(backend.endpoint_configs, name, arn, "endpoint configuration")
    shadows = self._get_param("ShadowProductionVariants") or []
    production = self._get_param("ProductionVariants") or []
    if shadows:
        if len(production) != 1:
            raise ValidationError(
                message="ShadowProductionVariants can only be specified with exactly one ProductionVariant."
            )
        # Instance types and models of shadow variants are checked like production ones.
        _VALIDATOR.validate_production_variants(shadows)
        backend.validate_production_variants(shadows)
    result = _original["create_endpoint_config"](self)
    backend.endpoint_configs[name].shadow_production_variants = shadows or None
    return result


def create_endpoint(self: SageMakerResponse) -> ActionResult:
    backend = _backend(self)
    name = self._get_param("EndpointName")
    _refuse_existing(backend.endpoints, name, FakeEndpoint.arn_formatter(name, backend.account_id, backend.region_name), "endpoint")
    config = _config(backend, self._get_param("EndpointConfigName"))
    result = _original["create_endpoint"](self)
    endpoint = backend.endpoints[name]
    _apply_config(endpoint, config)
    endpoint.endpoint_status = "Creating"
    _start(self, name, "create", config.endpoint_config_name)
    return result


def update_endpoint(self: SageMakerResponse) -> ActionResult:
    backend = _backend(self)
    name = self._get_param("EndpointName")
    endpoint = _endpoint(backend, name)
    config = _config(backend, self._get_param("EndpointConfigName"))
    if endpoint.endpoint_status == "Failed":
        raise ValidationError(message=f'Cannot update failed endpoint "{endpoint.arn}".')
    if endpoint.endpoint_status != "InService":
        raise ValidationError(message=f'Cannot update in-progress endpoint "{endpoint.arn}".')
    endpoint.endpoint_status = "Updating"
    endpoint.last_modified_time = utcnow()
    _start(self, name, "update", config.endpoint_config_name)
    return ActionResult({"EndpointArn": endpoint.arn})


def update_endpoint_weights_and_capacities(self: SageMakerResponse) -> ActionResult:
    backend = _backend(self)
    endpoint = _endpoint(backend, self._get_param("EndpointName"))
    if endpoint.endpoint_status != "InService":
        raise ValidationError(message=f'Cannot update in-progress endpoint "{endpoint.arn}".')
    result = _original["update_endpoint_weights_and_capacities"](self)
    _record(endpoint, "UpdateEndpointWeightsAndCapacities")
    return result


def describe_endpoint(self: SageMakerResponse) -> ActionResult:
    name = self._get_param("EndpointName")
    _settle(_backend(self), _key(self, name))
    return _original["describe_endpoint"](self)


def delete_endpoint(self: SageMakerResponse) -> Any:
    name = self._get_param("EndpointName")
    endpoint = _backend(self).endpoints.get(name)
    result = _original["delete_endpoint"](self)
    if endpoint is not None:
        _record(endpoint, "DeleteEndpoint")
    with _lock:
        _transitions.pop(_key(self, name), None)
    return result


_original: dict[str, Any] = {}
# moto's variant checks (instance types) are instance methods that use no state.
_VALIDATOR = object.__new__(FakeEndpointConfig)


def install() -> None:
    for name in ("create_model", "create_endpoint_config", "create_endpoint", "describe_endpoint",
                 "delete_endpoint", "update_endpoint_weights_and_capacities"):
        _original[name] = getattr(SageMakerResponse, name)
    SageMakerResponse.create_model = create_model
    SageMakerResponse.create_endpoint_config = create_endpoint_config
    SageMakerResponse.create_endpoint = create_endpoint
    SageMakerResponse.update_endpoint = update_endpoint
    SageMakerResponse.update_endpoint_weights_and_capacities = update_endpoint_weights_and_capacities
    SageMakerResponse.describe_endpoint = describe_endpoint
    SageMakerResponse.delete_endpoint = delete_endpoint

