"""Produces COUNT messages with an idempotent confluent-kafka producer (enable.idempotence=True, acks=all)
and records every acknowledged one as a "partition offset value" line in ACKED_FILE, flushed line by line,
so a test can check each is stored exactly once, in order, at the offset it was acknowledged with.
Message i has the value str(i) and goes to partition i % PARTITIONS.

usage: idempotent_producer.py BOOTSTRAP TOPIC PARTITIONS COUNT ACKED_FILE [SECONDS]
SECONDS spreads the messages over about that long (default: as fast as possible).
Prints one JSON line: {"attempted": N, "acked": N, "failed": N, "errors": [first few error strings]}."""
import json
import sys
import time

from confluent_kafka import Producer


def main():
    bootstrap, topic = sys.argv[1], sys.argv[2]
    partitions, count, acked_path = int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
    seconds = float(sys.argv[6]) if len(sys.argv) > 6 else 0.0
    producer = Producer({
        "bootstrap.servers": bootstrap,
        "enable.idempotence": True,
        "acks": "all",
        "linger.ms": 5,
        # Long enough to outlast a broker restart: idempotence makes the retries safe.
        "message.timeout.ms": 60000,
        "socket.timeout.ms": 5000,
        "retry.backoff.ms": 50,
        "reconnect.backoff.ms": 50,
        "reconnect.backoff.max.ms": 500,
    })
    acked = 0
    failed = 0
    errors = []
    with open(acked_path, "w", buffering=1) as out:
        def delivered(err, msg):
            nonlocal acked, failed
            if err is None:
                acked += 1
                out.write(f"{msg.partition()} {msg.offset()} {msg.value().decode()}\n")
            else:
                failed += 1
                if len(errors) < 5:
                    errors.append(str(err))

        start = time.time()
        for i in range(count):
            if seconds > 0:
                due = start + seconds * i / count
                while time.time() < due:
                    producer.poll(min(0.01, max(0.0, due - time.time())))
            while True:
                try:
                    producer.produce(topic, value=str(i).encode(), partition=i % partitions, on_delivery=delivered)
                    break
                except BufferError:
                    producer.poll(0.05)
            producer.poll(0)
        remaining = producer.flush(90)
    print(json.dumps({"attempted": count, "acked": acked, "failed": failed, "unfinished": remaining, "errors": errors}))


if __name__ == "__main__":
    main()
