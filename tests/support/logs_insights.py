"""CloudWatch Logs Insights count queries for the emulator: StartQuery, GetQueryResults and
StopQuery answered in front of moto, whose queries ignore `stats`.

moto 5.2.5 runs a query's `fields`, `filter`, `sort` and `limit` but never aggregates, so the
per-minute error counts an incident view asks for come back as raw rows. This middleware
(JSON 1.1, X-Amz-Target Logs_20140328.*) answers the queries made only of these commands, in
any order Insights allows, and hands every other query string to moto unchanged:

  fields ...                                    ignored (the count reads @timestamp, @message)
  filter @message like /REGEX/                  Python's re.search; (?i) for case-insensitive;
  filter @message like "text"                   several filters must all match
  stats count(*) [as NAME] [by bin(N s|m|h|d)]  exactly one; count() and count(@message) too
  sort NAME|bin(...) [asc|desc]                 after stats (default: bins ascending)
  limit N                                       (and StartQuery's `limit`)

e.g. the app's `fields @timestamp | filter @message like /(?i)(error|fatal|critical|panic|
exception)/ | stats count(*) as errors by bin(1m)`. The count reads moto's Logs backend: every
stream of the requested log groups (logGroupName, logGroupNames or logGroupIdentifiers, names
or ARNs), the events whose second lies within startTime..endTime (epoch seconds, both
inclusive), grouped by their timestamp floored to the bin. A bin without events has no row, as
in Insights. The answers, as AWS gives them:

  StartQuery       {"queryId": "<uuid>"}; ResourceNotFoundException "The specified log group
                   does not exist." for a missing group, MalformedQueryException for a bad
                   regex, InvalidParameterException for missing groups or times
  GetQueryResults  the first call {"status": "Running", "results": [], "statistics": zeros},
                   then {"status": "Complete", "queryLanguage": "CWLI", "results": [[{"field":
                   "bin(1m)", "value": "2026-06-05 10:01:00.000"}, {"field": "errors", "value":
                   "12"}], ...], "statistics": {"recordsMatched": 39.0, "recordsScanned": 45.0,
                   "bytesScanned": 4321.0}}; ResourceNotFoundException for an unknown queryId
                   (moto's own queries still go to moto)
  StopQuery        {"success": true} while Running (then "Cancelled", no results);
                   InvalidParameterException once the query has ended

Counts are taken at StartQuery, under the deployment engine's lock (an incident writes its log
lines under it, and incident_api.py has advanced it to "now" before this sees the request).

A control endpoint (a path no AWS operation uses) denies Insights, to test a client's fallback:

  POST /_ecsdeck/logs-insights/deny  {"deny": true}   every StartQuery (any query string) then
                                                      answers AccessDeniedException "User: ...
                                                      is not authorized to perform:
                                                      logs:StartQuery on resource: ..."
                                     {"deny": false}  back to normal
  GET  /_ecsdeck/logs-insights/deny                   {"deny": <bool>}

moto's own reset (POST /moto-api/reset) forgets every query (they are kept per Logs backend)
and lifts the denial.
"""

import datetime as dt
import re
import threading
import uuid

from moto.logs.models import logs_backends

import deployments as engine
from deployments_api import account_and_region, read_json, respond

TARGET_PREFIX = "Logs_20140328."
CONTROL_PREFIX = "/_ecsdeck/logs-insights/"
RESET_PATH = "/moto-api/reset"
BIN_SECS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
ZERO_STATISTICS = {"recordsMatched": 0.0, "recordsScanned": 0.0, "bytesScanned": 0.0}
DENIAL = {"deny": False}
_LOCK = threading.Lock()


class InsightsError(Exception):
    def __init__(self, code, message):
        super().__init__(message)
        self.code, self.message = code, message


class LogsInsightsApi:
    """WSGI middleware in front of the deployments API."""

    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        if path.startswith(CONTROL_PREFIX):
            return control(environ, start_response, path[len(CONTROL_PREFIX):])
        if path == RESET_PATH and environ.get("REQUEST_METHOD") == "POST":
            DENIAL["deny"] = False
        target = environ.get("HTTP_X_AMZ_TARGET", "")
        operation = target[len(TARGET_PREFIX):]
        if not target.startswith(TARGET_PREFIX) or operation not in OPERATIONS:
            return self.app(environ, start_response)
        account, region = account_and_region(environ)
        try:
            answer = OPERATIONS[operation](read_json(environ), logs_backends[account][region])
        except InsightsError as error:
            return respond(start_response, "400 Bad Request", {"__type": error.code, "message": error.message})
        if answer is None:  # not one of ours: moto's
            return self.app(environ, start_response)
        return respond(start_response, "200 OK", answer)


def queries(backend):
    return backend.__dict__.setdefault("_ecsdeck_insights_queries", {})


# --- The query language subset -------------------------------------------------------------


def split_commands(text):
    """The query's commands, split on the pipes outside quotes and /regex/ literals (a regex
    opens after `like` or `=~`); None when a literal is left open."""
    commands, current, closing = [], [], None
    for char in text:
        if closing:
            current.append(char)
            closing = None if char == closing and current[-2:-1] != ["\\"] else closing
        elif char == "|":
            commands.append("".join(current).strip())
            current = []
        else:
            opens = char in "\"'" or (char == "/" and re.search(r"(\blike|=~)\s*$", "".join(current)))
            closing = char if opens else None
            current.append(char)
    commands.append("".join(current).strip())
    return None if closing else commands


FILTER = re.compile(r"filter\s+@message\s+(?:like|=~)\s+(?:/(?P<regex>.*)/|(?P<quote>[\"'])(?P<text>.*)(?P=quote))$",
                    re.S | re.I)
STATS = re.compile(r"stats\s+(?P<count>count\((?:\*|@message)?\))(?:\s+as\s+(?P<name>\w+))?"
                   r"(?:\s+by\s+bin\((?P<n>\d+)(?P<unit>[smhd])\))?$", re.I)
SORT = re.compile(r"sort\s+(?P<key>\w+|bin\(\d+[smhd]\))(?:\s+(?P<order>asc|desc))?$", re.I)
LIMIT = re.compile(r"limit\s+(?P<n>\d+)$", re.I)


class CountQuery:
    """A parsed count query: its filters, the count's field, the bin, the order and limit."""

    def __init__(self):
        self.filters, self.stats = [], None
        self.name, self.bin_field, self.bin_secs = "count(*)", None, None
        self.sort_by_count, self.descending, self.limit = False, False, None

    def add(self, command):
        """Takes one command; False when it is none this subset knows."""
        for pattern, take in ((FILTER, self._filter), (STATS, self._stats), (SORT, self._sort), (LIMIT, self._limit)):
            match = pattern.match(command)
            if match:
                return take(match)
        return command.lower().startswith("fields ") and self.stats is None

    def _filter(self, match):
        if self.stats is not None:
            return False
        if match.group("regex") is None:
            self.filters.append(re.compile(re.escape(match.group("text"))))
            return True
        try:
            self.filters.append(re.compile(match.group("regex").replace("\\/", "/")))
        except re.error as error:
            raise InsightsError("MalformedQueryException", f"Invalid regular expression: {error}")
        return True

    def _stats(self, match):
        if self.stats is not None:
            return False
        self.stats = match.group(0)
        self.name = match.group("name") or match.group("count")
        if match.group("n"):
            n, unit = int(match.group("n")), match.group("unit").lower()
            self.bin_field, self.bin_secs = f"bin({n}{unit})", n * BIN_SECS[unit]
        return self.bin_secs != 0

    def _sort(self, match):
        key = match.group("key").lower()
        self.sort_by_count = key == self.name.lower()
        self.descending = (match.group("order") or "asc").lower() == "desc"
        return self.stats is not None and key in (self.name.lower(), (self.bin_field or "").lower())

    def _limit(self, match):
        self.limit = int(match.group("n"))
        return self.limit > 0

    def matches(self, message):
        return all(f.search(message) for f in self.filters)


def parse(text):
    """The CountQuery of a query string, or None when moto should run it."""
    commands = split_commands(text or "")
    if not commands or any(not c for c in commands):
        return None
    query = CountQuery()
    if not all(query.add(command) for command in commands) or query.stats is None:
        return None
    return query


# --- Running it ------------------------------------------------------------------------------


def group_names(request, backend):
    """The requested log groups' names (ARNs taken apart); each must exist."""
    given = [k for k in ("logGroupName", "logGroupNames", "logGroupIdentifiers") if request.get(k)]
    if len(given) != 1:
        raise InsightsError("InvalidParameterException", "Exactly one of logGroupName, logGroupNames or "
                                                         "logGroupIdentifiers must be specified.")
    value = request[given[0]]
    names = [value] if isinstance(value, str) else list(value)
    names = [_name_of(n) for n in names]
    for name in names:
        if name not in backend.groups:
            raise InsightsError("ResourceNotFoundException", "The specified log group does not exist.")
    return list(dict.fromkeys(names))


def _name_of(identifier):
    if not identifier.startswith("arn:"):
        return identifier
    name = identifier.split(":log-group:", 1)[-1]
    return name[:-2] if name.endswith(":*") else name


def time_range(request):
    start, end = request.get("startTime"), request.get("endTime")
    if not all(isinstance(v, int) and not isinstance(v, bool) for v in (start, end)):
        raise InsightsError("InvalidParameterException", "startTime and endTime must be epoch seconds.")
    if end < start:
        raise InsightsError("InvalidParameterException", "endTime must be greater than or equal to startTime.")
    return start * 1000, end * 1000 + 999  # both seconds inclusive, in the events' milliseconds


def count(query, backend, names, first_ms, last_ms):
    """(result rows, statistics) of the query over the groups' events in the range."""
    bins, scanned, size = {}, 0, 0
    with engine.LOCK:
        events = [e for name in names for stream in list(backend.groups[name].streams.values())
                  for e in list(stream.events) if first_ms <= e.timestamp <= last_ms]
    for event in events:
        scanned, size = scanned + 1, size + len(event.message.encode())
        if query.matches(event.message):
            key = event.timestamp // (query.bin_secs * 1000) if query.bin_secs else 0
            bins[key] = bins.get(key, 0) + 1
    order = sorted(bins, key=(lambda k: (bins[k], k)) if query.sort_by_count else None, reverse=query.descending)
    rows = [_row(query, key, bins[key]) for key in order]
    if not query.bin_secs and not rows:
        rows = [_row(query, 0, 0)]  # stats without `by` has its one row
    matched = float(sum(bins.values()))
    return rows[:query.limit], {"recordsMatched": matched, "recordsScanned": float(scanned), "bytesScanned": float(size)}


def _row(query, key, number):
    row = [{"field": query.name, "value": str(number)}]
    if query.bin_secs:
        at = dt.datetime.fromtimestamp(key * query.bin_secs, tz=dt.timezone.utc)
        row.insert(0, {"field": query.bin_field, "value": at.strftime("%Y-%m-%d %H:%M:%S.%f")[:-3]})
    return row


# --- The operations ----------------------------------------------------------------------------


def start_query(request, backend):
    if DENIAL["deny"]:
        raise InsightsError("AccessDeniedException", _denied(request, backend))
    query = parse(request.get("queryString"))
    if query is None:
        return None
    names = group_names(request, backend)
    rows, statistics = count(query, backend, names, *time_range(request))
    if isinstance(request.get("limit"), int) and request["limit"] > 0:
        rows = rows[:request["limit"]]
    query_id = str(uuid.uuid4())
    with _LOCK:
        queries(backend)[query_id] = {"status": "Running", "rows": rows, "statistics": statistics}
    return {"queryId": query_id}


def _denied(request, backend):
    account, region = backend.account_id, backend.region_name
    group = (request.get("logGroupNames") or request.get("logGroupIdentifiers") or [request.get("logGroupName") or "*"])[0]
    return (f"User: arn:aws:sts::{account}:assumed-role/ecsdeck-emulator/deployer is not authorized to perform: "
            f"logs:StartQuery on resource: arn:aws:logs:{region}:{account}:log-group:{_name_of(group)}:* "
            f"because no identity-based policy allows the logs:StartQuery action")


def get_query_results(request, backend):
    query_id = _query_id(request)
    with _LOCK:
        found = queries(backend).get(query_id)
        if found is None:
            return _moto_query(backend, query_id)
        if found["status"] == "Running":  # the first look: still running, as Insights often is
            found["status"] = "Complete"
            return {"status": "Running", "queryLanguage": "CWLI", "results": [], "statistics": dict(ZERO_STATISTICS)}
        rows = found["rows"] if found["status"] == "Complete" else []
        return {"status": found["status"], "queryLanguage": "CWLI", "results": rows, "statistics": found["statistics"]}


def stop_query(request, backend):
    query_id = _query_id(request)
    with _LOCK:
        found = queries(backend).get(query_id)
        if found is None:
            _moto_query(backend, query_id)  # moto's queries complete at once
        elif found["status"] == "Running":
            found["status"] = "Cancelled"
            return {"success": True}
    raise InsightsError("InvalidParameterException", f"Query {query_id} is not running.")


def _query_id(request):
    query_id = request.get("queryId")
    if not query_id or not isinstance(query_id, str):
        raise InsightsError("InvalidParameterException", "queryId can not be blank.")
    return query_id


def _moto_query(backend, query_id):
    """None (moto answers) for a query moto ran; ResourceNotFoundException for any other."""
    if query_id not in backend.queries:
        raise InsightsError("ResourceNotFoundException", f"Query {query_id} does not exist.")
    return None


OPERATIONS = {"StartQuery": start_query, "GetQueryResults": get_query_results, "StopQuery": stop_query}


# --- Control ---------------------------------------------------------------------------------


def control(environ, start_response, name):
    method = environ.get("REQUEST_METHOD")
    if name != "deny" or method not in ("GET", "POST"):
        return respond(start_response, "404 Not Found", {"message": f"no control endpoint {method} {name!r}"})
    if method == "POST":
        deny = read_json(environ).get("deny")
        if not isinstance(deny, bool):
            return respond(start_response, "400 Bad Request", {"message": "deny must be true or false"})
        DENIAL["deny"] = deny
    return respond(start_response, "200 OK", {"deny": DENIAL["deny"]})


def install(app):
    """Returns `app` behind the Insights operations."""
    return LogsInsightsApi(app)
