"""A member of group GROUP (confluent-kafka-python, manual commits) reads TOPIC until every partition reaches
its offset in STOPS ({"partition": offset}), commits exactly those offsets and leaves the group. Prints one
JSON line {"event": "committed", "offsets": {...}}; exits 3 when the stops are not reached in time.

Usage: mirror_group.py BOOTSTRAP TOPIC GROUP STOPS
"""
import json
import sys
import time

from confluent_kafka import Consumer, TopicPartition

TIMEOUT_S = 40


def main():
    bootstrap, topic, group, stops = sys.argv[1], sys.argv[2], sys.argv[3], json.loads(sys.argv[4])
    stops = {int(p): int(o) for p, o in stops.items()}
    consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": group, "enable.auto.commit": False,
                         "auto.offset.reset": "earliest", "session.timeout.ms": 6000})
    consumer.subscribe([topic])
    reached = set()
    deadline = time.time() + TIMEOUT_S
    while len(reached) < len(stops) and time.time() < deadline:
        message = consumer.poll(0.5)
        if message is None or message.error() is not None:
            continue
        if message.offset() + 1 >= stops[message.partition()]:
            reached.add(message.partition())
    if len(reached) < len(stops):
        sys.stderr.write(f"only partitions {sorted(reached)} reached their stops {stops} in time\n")
        sys.exit(3)
    consumer.commit(offsets=[TopicPartition(topic, p, o) for p, o in stops.items()], asynchronous=False)
    consumer.close()
    print(json.dumps({"event": "committed", "offsets": stops}), flush=True)


if __name__ == "__main__":
    main()
