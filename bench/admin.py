#!/usr/bin/python3
"""Small admin steps for the benchmark, done through librdkafka (confluent-kafka-python).

  admin.py BOOTSTRAP create TOPIC...     create one-partition topics (replication factor 1)
  admin.py BOOTSTRAP high-watermark TOPIC  print partition 0's high watermark
"""
import sys

from confluent_kafka import Consumer, TopicPartition
from confluent_kafka.admin import AdminClient, NewTopic

TIMEOUT_SECONDS = 30


def create(bootstrap, topics):
    admin = AdminClient({"bootstrap.servers": bootstrap})
    futures = admin.create_topics([NewTopic(topic, 1, 1) for topic in topics],
                                  operation_timeout=TIMEOUT_SECONDS, request_timeout=TIMEOUT_SECONDS)
    for future in futures.values():
        future.result(timeout=TIMEOUT_SECONDS)


def high_watermark(bootstrap, topic):
    consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": "gregor-bench-unused",
                         "enable.auto.commit": False})
    try:
        _, high = consumer.get_watermark_offsets(TopicPartition(topic, 0), timeout=TIMEOUT_SECONDS)
        print(high)
    finally:
        consumer.close()


def main(arguments):
    if len(arguments) < 3 or arguments[1] not in ("create", "high-watermark"):
        print(__doc__, file=sys.stderr)
        return 64
    bootstrap, command, names = arguments[0], arguments[1], arguments[2:]
    if command == "create":
        create(bootstrap, names)
    else:
        high_watermark(bootstrap, names[0])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
