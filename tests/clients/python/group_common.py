"""Shared plumbing for the long-running consumer-group members the group tests start.

A member prints one JSON object per line on stdout, flushed at once, so that what a SIGKILLed member
did before it died is still on record:
  {"event": "assignment", "member", "partitions": [...]}   the member's partitions changed (full set)
  {"event": "on_assign" | "on_revoke", "member", "partitions": [...]}   a rebalance callback ran
  {"event": "processed", "member", "partition", "offset", "seq"}     one record handled
  {"event": "committing" | "committed", "member", "offsets": {"partition": next offset}}
  {"event": "commit_failed", "member", "error"}
  {"event": "done" | "closed", "member"}
Diagnostics go to stderr. SIGTERM asks a member to leave the group and exit 0.
"""
import json
import signal
import sys
import time


def emit(**fields):
    sys.stdout.write(json.dumps(fields) + "\n")
    sys.stdout.flush()


class StopSignal:
    """Turns SIGTERM/SIGINT into a flag the poll loop checks, so the member closes cleanly."""

    def __init__(self):
        self.requested = False
        signal.signal(signal.SIGTERM, self._request)
        signal.signal(signal.SIGINT, self._request)

    def _request(self, _signum, _frame):
        self.requested = True


class Deadline:
    def __init__(self, seconds):
        self.end = time.monotonic() + seconds

    def expired(self):
        return time.monotonic() >= self.end


def fail(message):
    sys.stderr.write(message + "\n")
    sys.stderr.flush()
    sys.exit(3)


def sequence_of(value):
    """Producers in the tests write the sequence number as the value; anything else is -1."""
    try:
        return int(value.decode("ascii"))
    except (AttributeError, UnicodeDecodeError, ValueError):
        return -1
