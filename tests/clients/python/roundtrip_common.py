"""Shared plumbing for the round-trip scripts: read the spec the C# test wrote, emit JSON lines back.

Every script takes one argument, the path of a JSON spec:
  {"bootstrap", "topic", "partitions", "codec", "seekPartition", "seekOffset", "timeoutSeconds",
   "produceOnly" (stop after producing; scripts that support it say so),
   "messages": [{"partition", "key" (base64|null), "value" (base64|null),
                 "headers": [{"key", "value" (base64)}], "timestamp"}]}
and prints one JSON object per line on stdout:
  {"event": "created"}
  {"event": "delivered", "index", "partition", "offset"}
  {"event": "consumed", "phase": "beginning"|"seek", "partition", "offset", "key", "value", "headers", "timestamp"}
  {"event": "skip", "reason"}   (the client cannot do what was asked; the test reports why)
Diagnostics go to stderr; a non-zero exit code means the client failed.
"""
import base64
import json
import sys
import time


def load_spec():
    with open(sys.argv[1], encoding="utf-8") as f:
        return json.load(f)


def decode(text):
    return None if text is None else base64.b64decode(text)


def encode(data):
    return None if data is None else base64.b64encode(bytes(data)).decode("ascii")


def emit(**fields):
    sys.stdout.write(json.dumps(fields) + "\n")
    sys.stdout.flush()


def emit_consumed(phase, partition, offset, key, value, headers, timestamp):
    emit(event="consumed", phase=phase, partition=partition, offset=offset, key=encode(key), value=encode(value),
         headers=[{"key": k, "value": encode(v)} for (k, v) in (headers or [])], timestamp=timestamp)


def expected_counts(spec):
    """How many records each partition should hold once everything was produced."""
    counts = [0] * spec["partitions"]
    for message in spec["messages"]:
        counts[message["partition"]] += 1
    return counts


class Deadline:
    def __init__(self, seconds):
        self.end = time.monotonic() + seconds

    def expired(self):
        return time.monotonic() >= self.end


def fail(message):
    sys.stderr.write(message + "\n")
    sys.exit(3)
