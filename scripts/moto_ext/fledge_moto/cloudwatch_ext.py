"""CloudWatch as Fledge uses it, where moto 5.2.5 stops short.

- Percentile statistics (``p50``, ``p99``, ``p99.9``) in GetMetricData over raw values (moto
  returns nothing for them). Nearest-rank, as CloudWatch computes them over raw samples.
- Alarm actions: a state change (e.g. by ``SetAlarmState``, which AWS documents as the way to test
  actions) publishes CloudWatch's alarm notification to the SNS topics in the alarm's
  ``AlarmActions`` / ``OKActions`` / ``InsufficientDataActions``, as CloudWatch does. moto never
  evaluates alarms against metrics by itself, so tests change the state explicitly.
"""

import json
import math
import re
from typing import Any

from moto.cloudwatch.models import Alarm, Statistics
from moto.core.utils import iso_8601_datetime_with_milliseconds

PERCENTILE = re.compile(r"^p(\d{1,2}(\.\d+)?|100)$")


def _percentile(values: list[float], p: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[rank - 1]


def get_statistics_for_type(self: Statistics, stat: str) -> Any:
    match = PERCENTILE.match(stat)
    if match:
        return _percentile(self.metric_single_values_list, float(match.group(1)))
    return _original["get_statistics_for_type"](self, stat)


def _dimensions(dimensions: list[Any]) -> list[dict[str, Any]]:
    # CloudWatch spells these keys in lower case inside SNS notifications.
    return [{"value": d.value, "name": d.name} for d in dimensions]


def _trigger(alarm: Alarm) -> dict[str, Any]:
    trigger: dict[str, Any] = {
        "ComparisonOperator": alarm.comparison_operator,
        "EvaluationPeriods": alarm.evaluation_periods,
        "Threshold": alarm.threshold,
        "TreatMissingData": alarm.treat_missing_data or "missing",
        "EvaluateLowSampleCountPercentile": alarm.evaluate_low_sample_count_percentile or "",
    }
    if alarm.metric_data_queries:
        metrics = []
        for q in alarm.metric_data_queries:
            entry: dict[str, Any] = {"Id": q.id, "ReturnData": bool(q.return_data)}
            if q.label:
                entry["Label"] = q.label
            if q.expression:
                entry["Expression"] = q.expression
            if q.metric_stat:
                entry["MetricStat"] = {
                    "Metric": {
                        "Dimensions": _dimensions(q.metric_stat.metric.dimensions),
                        "MetricName": q.metric_stat.metric.metric_name,
                        "Namespace": q.metric_stat.metric.namespace,
                    },
                    "Period": int(q.metric_stat.period),
                    "Stat": q.metric_stat.stat,
                }
            metrics.append(entry)
        trigger["Metrics"] = metrics
    else:
        trigger.update(
            {
                "MetricName": alarm.metric_name,
                "Namespace": alarm.namespace,
                "StatisticType": "ExtendedStatistic" if alarm.extended_statistic else "Statistic",
                "Statistic": alarm.statistic or "",
                "ExtendedStatistic": alarm.extended_statistic or "",
                "Unit": alarm.unit,
                "Dimensions": _dimensions(alarm.dimensions),
                "Period": alarm.period,
            }
        )
    return trigger


def _notify(alarm: Alarm, old_state: str) -> None:
    from moto.sns.models import sns_backends

    actions = {
        "ALARM": alarm.alarm_actions,
        "OK": alarm.ok_actions,
        "INSUFFICIENT_DATA": alarm.insufficient_data_actions,
    }.get(alarm.state_value) or []
    account = alarm.alarm_arn.split(":")[4]
    message = {
        "AlarmName": alarm.name,
        "AlarmDescription": alarm.description,
        "AWSAccountId": account,
        "AlarmConfigurationUpdatedTimestamp": iso_8601_datetime_with_milliseconds(alarm.configuration_updated_timestamp),
        "NewStateValue": alarm.state_value,
        "NewStateReason": alarm.state_reason,
        "StateChangeTime": iso_8601_datetime_with_milliseconds(alarm.state_updated_timestamp),
        "Region": alarm.region_name,
        "AlarmArn": alarm.alarm_arn,
        "OldStateValue": old_state,
        "OKActions": alarm.ok_actions,
        "AlarmActions": alarm.alarm_actions,
        "InsufficientDataActions": alarm.insufficient_data_actions,
        "Trigger": _trigger(alarm),
    }
    for arn in actions:
        parts = arn.split(":")
        if len(parts) < 6 or parts[2] != "sns":
            continue
        backend = sns_backends[parts[4]][parts[3]]
        subject = f'{alarm.state_value}: "{alarm.name}" in {alarm.region_name}'[:100]
        backend.publish(message=json.dumps(message), arn=arn, subject=subject)


def update_state(self: Alarm, reason: str, reason_data: str, state_value: str) -> None:
    old_state = self.state_value
    _original["update_state"](self, reason, reason_data, state_value)
    if self.actions_enabled and state_value != old_state:
        _notify(self, old_state)


_original: dict[str, Any] = {}


def install() -> None:
    _original["get_statistics_for_type"] = Statistics.get_statistics_for_type
    _original["update_state"] = Alarm.update_state
    Statistics.get_statistics_for_type = get_statistics_for_type
    Alarm.update_state = update_state
