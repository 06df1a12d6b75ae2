"""CloudWatch alarm history for the emulator: DescribeAlarmHistory, which moto lacks.

moto 5.2.5 has no DescribeAlarmHistory, and what its alarms keep in `history` is each
*previous* state, untimed. This keeps, per CloudWatch backend (so moto's reset clears it), a
StateUpdate item for every change of an alarm's state, as CloudWatch words it:
HistorySummary "Alarm updated from OK to ALARM", HistoryData the JSON of oldState and newState
(stateValue, stateReason, stateReasonData). Items are recorded

  * for every SetAlarmState that changes the state, whichever protocol carried it (boto3 and
    the Rust SDK's CBOR both end in moto's set_alarm_state), timed as moto times the change;
  * for the incident's transitions (transition()), timed by the deployment engine's clock,
    with the reasons CloudWatch writes ("Threshold Crossed: 1 out of the last 1 datapoints
    [50.0 (05/06/26 10:01:00)] was greater than or equal to the threshold (5.0) (minimum 1
    datapoint for OK -> ALARM transition).").

DescribeAlarmHistory is added to moto's CloudWatch responses, so moto's serializer answers in
whatever protocol asked (query, JSON 1.0, and CBOR through aws_emulator's bridge). It filters
on AlarmName, AlarmTypes (MetricAlarm only when absent, as CloudWatch does), HistoryItemType,
StartDate and EndDate, orders by ScanBy (newest first by default) and pages with MaxRecords
(default 100) and NextToken. Only StateUpdate items exist: no ConfigurationUpdate or Action.
"""

import datetime as dt
import json

from moto.cloudwatch import models as cw
from moto.cloudwatch.exceptions import InvalidParameterValue
from moto.cloudwatch.responses import CloudWatchResponse
from moto.core.responses import ActionResult

COMPARISONS = {
    "GreaterThanOrEqualToThreshold": "greater than or equal to",
    "GreaterThanThreshold": "greater than",
    "LessThanThreshold": "less than",
    "LessThanOrEqualToThreshold": "less than or equal to",
}


def history(backend):
    return backend.__dict__.setdefault("_ecsdeck_alarm_history", [])


def install():
    cw.CloudWatchBackend.set_alarm_state = _recording(cw.CloudWatchBackend.set_alarm_state)
    CloudWatchResponse.describe_alarm_history = describe_alarm_history


def _recording(original):
    def set_alarm_state(self, alarm_name, reason, reason_data, state_value):
        alarm = self.alarms.get(alarm_name)
        before = _state(alarm) if alarm is not None else None
        original(self, alarm_name, reason, reason_data, state_value)
        record(self, self.alarms[alarm_name], before)

    return set_alarm_state


def _state(alarm):
    return {"stateValue": alarm.state_value, "stateReason": alarm.state_reason,
            "stateReasonData": alarm.state_reason_data}


def _public(state):
    """A state as HistoryData shows it: the reason data as JSON, and only when there is some."""
    out = {"stateValue": state["stateValue"], "stateReason": state["stateReason"]}
    try:
        data = json.loads(state["stateReasonData"] or "{}")
    except ValueError:
        data = None
    if data:
        out["stateReasonData"] = data
    return out


def record(backend, alarm, before):
    """Adds the StateUpdate item of the change from `before` (unchanged states record none)."""
    if before is None or before["stateValue"] == alarm.state_value:
        return
    data = {"version": "1.0", "oldState": _public(before), "newState": _public(_state(alarm))}
    history(backend).append({
        "AlarmName": alarm.name,
        "AlarmType": "CompositeAlarm" if alarm.rule else "MetricAlarm",
        "Timestamp": alarm.state_updated_timestamp,
        "HistoryItemType": "StateUpdate",
        "HistorySummary": f"Alarm updated from {before['stateValue']} to {alarm.state_value}",
        "HistoryData": json.dumps(data),
    })


# --- The incident's transitions ---------------------------------------------------------------


def transition(account, region, name, value, at):
    """Moves alarm `name` to `value` at engine time `at`, with a threshold-crossing reason and
    its history item. False when there is no such alarm or it is already there."""
    backend = cw.cloudwatch_backends[account][region]
    alarm = backend.alarms.get(name)
    if alarm is None or alarm.state_value == value:
        return False
    before = _state(alarm)
    reason, data = _crossing(alarm, before["stateValue"], value, at)
    alarm.update_state(reason, json.dumps(data), value)
    alarm.state_updated_timestamp = _naive(at)  # moto's own timestamps are naive UTC
    record(backend, alarm, before)
    return True


def _crossing(alarm, old, new, at):
    """CloudWatch's reason and reason data for a metric alarm crossing its threshold."""
    threshold = float(alarm.threshold or 0.0)
    value = _datapoint(alarm.comparison_operator, threshold, new == "ALARM")
    period = int(alarm.period or 60)
    needed = int(alarm.datapoints_to_alarm or alarm.evaluation_periods or 1)
    last = int(at // period * period)
    stamps = [last - k * period for k in range(needed)]
    shown = ", ".join(f"{value} ({_utc(s).strftime('%d/%m/%y %H:%M:%S')})" for s in stamps)
    verb = "was" if needed == 1 else "were"
    negation = "" if new == "ALARM" else "not "
    comparison = COMPARISONS.get(alarm.comparison_operator, "greater than or equal to")
    plural = "" if needed == 1 else "s"
    reason = (f"Threshold Crossed: {needed} out of the last {int(alarm.evaluation_periods or needed)} datapoints "
              f"[{shown}] {verb} {negation}{comparison} the threshold ({threshold}) "
              f"(minimum {needed} datapoint{plural} for {old} -> {new} transition).")
    data = {"version": "1.0", "queryDate": _iso(at), "startDate": _iso(stamps[-1]),
            "statistic": alarm.statistic or "Sum", "period": period, "recentDatapoints": [value] * needed,
            "threshold": threshold,
            "evaluatedDatapoints": [{"timestamp": _iso(s), "sampleCount": 1.0, "value": value} for s in stamps]}
    return reason, data


def _datapoint(operator, threshold, breaching):
    """A value on the breaching side of the threshold, or on the other side."""
    above = (threshold * 2 if threshold > 0 else threshold + 1.0)
    below = (threshold / 2 if threshold > 0 else threshold - 1.0)
    high = operator in ("GreaterThanOrEqualToThreshold", "GreaterThanThreshold", None)
    return round(above if high == breaching else below, 3)


def _utc(at):
    return dt.datetime.fromtimestamp(at, tz=dt.timezone.utc)


def _naive(at):
    return _utc(at).replace(tzinfo=None)


def _iso(at):
    return _utc(at).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "+0000"


# --- DescribeAlarmHistory -----------------------------------------------------------------------


def describe_alarm_history(self):
    """moto's CloudWatchResponse.describe_alarm_history (added by install())."""
    items = [dict(i) for i in history(self.cloudwatch_backend) if _wanted(self, i)]
    descending = (self._get_param("ScanBy") or "TimestampDescending") == "TimestampDescending"
    items.sort(key=lambda i: _epoch(i["Timestamp"]), reverse=descending)
    size = int(self._get_param("MaxRecords") or 100)
    token = self._get_param("NextToken")
    if token is not None and not str(token).isdigit():
        raise InvalidParameterValue("The value for parameter NextToken is not valid.")
    start = int(token or 0)
    result = {"AlarmHistoryItems": items[start:start + size]}
    if start + size < len(items):
        result["NextToken"] = str(start + size)
    return ActionResult(result)


def _wanted(self, item):
    name = self._get_param("AlarmName")
    kinds = self._get_param("AlarmTypes") or ["MetricAlarm"]
    kind = self._get_param("HistoryItemType")
    start, end = self._get_param("StartDate"), self._get_param("EndDate")
    at = _epoch(item["Timestamp"])
    return ((not name or item["AlarmName"] == name) and item["AlarmType"] in kinds
            and (not kind or item["HistoryItemType"] == kind)
            and (start is None or at >= _epoch(start)) and (end is None or at <= _epoch(end)))


def _epoch(value):
    if isinstance(value, dt.datetime):
        return (value if value.tzinfo else value.replace(tzinfo=dt.timezone.utc)).timestamp()
    if isinstance(value, (int, float)):
        return float(value)
    parsed = dt.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    return (parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.timezone.utc)).timestamp()
