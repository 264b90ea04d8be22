#!/usr/bin/python3
"""Produce fixed-size messages at a fixed rate with librdkafka and report delivery latency.

The latency of a message is librdkafka's own measure (Message.latency()): from produce() to the
delivery report, i.e. queueing in the client, batching (linger.ms), the request round trip and the
broker's acknowledgement (for acks=all in fsync mode that includes the group-commit fsync).

The generator is open loop: message i is due at start + i/rate whatever happened to earlier
messages, so a stall in the broker shows up as latency instead of as a lower send rate. Sending
falls behind only when this Python process cannot keep up; that lag is reported so it is visible.

Prints one JSON object on stdout. Run with Debian's interpreter (/usr/bin/python3), which sees the
python3-confluent-kafka package.
"""
import argparse
import json
import os
import sys
import time

from confluent_kafka import KafkaException, Producer, libversion, version


def parse_arguments():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bootstrap", required=True, help="host:port of the broker")
    parser.add_argument("--topic", required=True)
    parser.add_argument("--partition", type=int, default=0)
    parser.add_argument("--acks", default="all", choices=["0", "1", "all", "-1"])
    parser.add_argument("--rate", type=int, default=10_000, help="messages per second")
    parser.add_argument("--seconds", type=float, default=10.0, help="length of the measured run")
    parser.add_argument("--warmup-seconds", type=float, default=1.0, help="sent at the same rate, not measured")
    parser.add_argument("--size", type=int, default=1024, help="value size in bytes")
    parser.add_argument("--linger-ms", type=float, default=1.0)
    return parser.parse_args()


def percentile(sorted_values, fraction):
    """Nearest-rank percentile of an ascending list."""
    if not sorted_values:
        return None
    rank = max(1, int(-(-fraction * len(sorted_values) // 1)))  # ceil without importing math
    return sorted_values[min(rank, len(sorted_values)) - 1]


class Run:
    """One paced sending phase; collects latencies (seconds) and delivery errors."""

    def __init__(self, producer, arguments, payload):
        self.producer = producer
        self.arguments = arguments
        self.payload = payload
        self.latencies = []
        self.errors = []
        self.max_send_lag = 0.0

    def on_delivery(self, error, message):
        if error is not None:
            self.errors.append(str(error))
        else:
            self.latencies.append(message.latency())

    def send(self, seconds):
        arguments = self.arguments
        total = int(arguments.rate * seconds)
        interval = 1.0 / arguments.rate
        start = time.perf_counter()
        sent = 0
        while sent < total:
            now = time.perf_counter()
            due = min(total, int((now - start) / interval) + 1)
            if due > sent:
                self.max_send_lag = max(self.max_send_lag, now - (start + sent * interval))
            while sent < due:
                try:
                    self.producer.produce(arguments.topic, self.payload, partition=arguments.partition,
                                          on_delivery=self.on_delivery)
                except BufferError:
                    # The client's queue is full: the broker is not keeping up. Serve callbacks and retry.
                    self.producer.poll(0.001)
                    continue
                sent += 1
            # Wait for the next message's slot while serving delivery callbacks.
            next_due = start + sent * interval
            self.producer.poll(max(0.0, next_due - time.perf_counter()))
        elapsed = time.perf_counter() - start
        remaining = self.producer.flush(60)
        return sent, elapsed, remaining


def main():
    arguments = parse_arguments()
    acks = "all" if arguments.acks == "-1" else arguments.acks
    producer = Producer({
        "bootstrap.servers": arguments.bootstrap,
        "acks": acks,
        "linger.ms": arguments.linger_ms,
        "enable.idempotence": False,
        "queue.buffering.max.messages": max(100_000, arguments.rate * 10),
        "message.timeout.ms": 60_000,
    })
    payload = os.urandom(arguments.size)

    if arguments.warmup_seconds > 0:
        Run(producer, arguments, payload).send(arguments.warmup_seconds)

    run = Run(producer, arguments, payload)
    sent, elapsed, undelivered = run.send(arguments.seconds)
    latencies = sorted(run.latencies)
    milliseconds = lambda value: None if value is None else round(value * 1000.0, 3)
    result = {
        "client": f"confluent-kafka-python {version()[0]}, librdkafka {libversion()[0]}",
        "acks": acks,
        "rate_target": arguments.rate,
        "rate_sent": round(sent / elapsed, 1),
        "linger_ms": arguments.linger_ms,
        "size": arguments.size,
        "sent": sent,
        "delivered": len(latencies),
        "errors": len(run.errors),
        "first_error": run.errors[0] if run.errors else None,
        "undelivered_after_flush": undelivered,
        "max_send_lag_ms": milliseconds(run.max_send_lag),
        "p50_ms": milliseconds(percentile(latencies, 0.50)),
        "p99_ms": milliseconds(percentile(latencies, 0.99)),
        "p999_ms": milliseconds(percentile(latencies, 0.999)),
        "max_ms": milliseconds(latencies[-1] if latencies else None),
    }
    print(json.dumps(result))
    return 0 if result["errors"] == 0 and undelivered == 0 and len(latencies) == sent else 1


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KafkaException as error:
        print(f"latency.py: {error}", file=sys.stderr)
        sys.exit(2)
