"""An index for moto's CloudWatch GetMetricData, so a day of per-minute metrics for dozens of
services can be read back in milliseconds.

moto scans every stored datapoint for every period of every query (queries x periods x
datapoints): 24 hours of demo metrics would take minutes per chart. This keeps, per metric
(name and dimensions), its datapoints sorted by time, and answers MetricStat queries with
dimensions from that index, computing each period's statistic with moto's own Statistics
class — the same answers, in the same shape. Anything else (metric math, Metrics Insights,
queries without dimensions) goes to moto's implementation unchanged.
"""

import bisect
import datetime as dt
import threading

from moto.cloudwatch import models as cw

_ORIGINAL = cw.CloudWatchBackend.get_metric_data
_LOCK = threading.Lock()


def _seconds(timestamp):
    return timestamp.timestamp()


def _metric_key(name, dimensions):
    return name, tuple(sorted((d.name, d.value) for d in dimensions))


def _index(backend):
    """Adds datapoints stored since the last call to the backend's index (put only appends)."""
    state = backend.__dict__.setdefault("_ecsdeck_index", {"seen": 0, "series": {}})
    data = backend.metric_data
    for seq in range(state["seen"], len(data)):
        datum = data[seq]
        times, items = state["series"].setdefault(_metric_key(datum.name, datum.dimensions), ([], []))
        at = bisect.bisect_right(times, _seconds(datum.timestamp))
        times.insert(at, _seconds(datum.timestamp))
        items.insert(at, (seq, datum))
    state["seen"] = len(data)
    return state["series"]


def _indexable(queries):
    return all(
        "MetricStat" in q and q["MetricStat"]["Metric"].get("Dimensions") and not q["MetricStat"].get("Unit")
        for q in queries
    )


def get_metric_data(self, queries, start_time, end_time, scan_by="TimestampAscending"):
    if not _indexable(queries) or self.aws_metric_data:
        return _ORIGINAL(self, queries, start_time, end_time, scan_by)
    start_time = start_time.replace(microsecond=0)
    end_time = end_time.replace(microsecond=0)
    if start_time >= end_time:
        return _ORIGINAL(self, queries, start_time, end_time, scan_by)
    with _LOCK:
        series = _index(self)
        results = []
        for query in queries:
            stat_spec = query["MetricStat"]
            metric = stat_spec["Metric"]
            dimensions = [cw.Dimension(d["Name"], d["Value"]) for d in metric["Dimensions"]]
            times, items = series.get(_metric_key(metric["MetricName"], dimensions), ([], []))
            lo = bisect.bisect_left(times, _seconds(start_time))
            hi = bisect.bisect_left(times, _seconds(end_time))
            period = int(stat_spec["Period"])
            stat = stat_spec["Stat"]
            buckets = {}
            for at, datum in zip(times[lo:hi], items[lo:hi]):
                buckets.setdefault(int((at - _seconds(start_time)) // period), []).append(datum)
            values, stamps = [], []
            for k in sorted(buckets):
                stats = cw.Statistics([stat], start_time + dt.timedelta(seconds=k * period))
                # In the order they were put, as moto sums them (floating point).
                stats.metric_data = [datum for _, datum in sorted(buckets[k], key=lambda e: e[0])]
                values.append(stats.get_statistics_for_type(stat))
                stamps.append(stats.timestamp)
            if scan_by == "TimestampDescending":
                values.reverse()
                stamps.reverse()
            if query.get("ReturnData", True):
                results.append({
                    "id": query["Id"],
                    "label": query.get("Label") or f"{metric['MetricName']} {stat}",
                    "values": values,
                    "timestamps": stamps,
                    "status_code": "Complete",
                })
        return results


def install():
    cw.CloudWatchBackend.get_metric_data = get_metric_data
