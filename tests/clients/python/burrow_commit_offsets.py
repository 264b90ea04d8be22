"""confluent-kafka-python (librdkafka 2.0.2): set up a consumer group with known lag for the Burrow test.

usage: burrow_commit_offsets.py BOOTSTRAP TOPIC GROUP COUNTS COMMITS [--commit-only]
  COUNTS  comma-separated messages to produce per partition (the topic gets that many partitions)
  COMMITS comma-separated offsets the group commits per partition

Creates the topic, produces COUNTS[p] messages to partition p, then a consumer joins GROUP (subscribe, manual
commits), waits until it owns every partition, commits COMMITS synchronously, reads them back and leaves.
With --commit-only the topic and its messages already exist: only the group part runs.
Prints one JSON line: {"end_offsets": [...], "committed": [...]} as the broker reports them."""
import json
import sys
import time

from confluent_kafka import Consumer, KafkaException, Producer, TopicPartition
from confluent_kafka.admin import AdminClient, NewTopic

TIMEOUT_SECONDS = 30


def fail(message):
    sys.stderr.write(message + "\n")
    sys.exit(2)


def create_topic(bootstrap, topic, partitions):
    admin = AdminClient({"bootstrap.servers": bootstrap})
    futures = admin.create_topics([NewTopic(topic, num_partitions=partitions, replication_factor=1)],
                                  operation_timeout=15, request_timeout=15)
    futures[topic].result(timeout=TIMEOUT_SECONDS)


def produce(bootstrap, topic, counts):
    producer = Producer({"bootstrap.servers": bootstrap, "acks": "all", "linger.ms": 5})
    errors = []

    def on_delivery(error, _message):
        if error is not None:
            errors.append(str(error))

    for partition, count in enumerate(counts):
        for index in range(count):
            producer.produce(topic, value=f"p{partition}-m{index}".encode(), partition=partition, on_delivery=on_delivery)
    if producer.flush(TIMEOUT_SECONDS) != 0:
        fail(f"produce: {len(producer)} messages undelivered after {TIMEOUT_SECONDS} s")
    if errors:
        fail("produce errors: " + "; ".join(errors[:5]))


def commit_as_group_member(bootstrap, topic, group, commits):
    consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": group, "enable.auto.commit": False,
                         "auto.offset.reset": "earliest", "session.timeout.ms": 10000})
    try:
        consumer.subscribe([topic])
        deadline = time.monotonic() + TIMEOUT_SECONDS
        while len(consumer.assignment()) < len(commits):
            if time.monotonic() > deadline:
                fail(f"the consumer owned {len(consumer.assignment())} of {len(commits)} partitions after {TIMEOUT_SECONDS} s")
            consumer.poll(0.2)

        wanted = [TopicPartition(topic, partition, offset) for partition, offset in enumerate(commits)]
        results = consumer.commit(offsets=wanted, asynchronous=False)
        errors = [f"{tp.partition}: {tp.error}" for tp in results if tp.error is not None]
        if errors:
            fail("OffsetCommit errors: " + "; ".join(errors))

        stored = consumer.committed([TopicPartition(topic, p) for p in range(len(commits))], timeout=TIMEOUT_SECONDS)
        ends = [consumer.get_watermark_offsets(TopicPartition(topic, p), timeout=TIMEOUT_SECONDS)[1]
                for p in range(len(commits))]
        return ends, [tp.offset for tp in stored]
    finally:
        consumer.close()


def main():
    if len(sys.argv) not in (6, 7) or (len(sys.argv) == 7 and sys.argv[6] != "--commit-only"):
        fail(__doc__)
    commit_only = len(sys.argv) == 7
    bootstrap, topic, group = sys.argv[1], sys.argv[2], sys.argv[3]
    counts = [int(n) for n in sys.argv[4].split(",")]
    commits = [int(n) for n in sys.argv[5].split(",")]
    if len(counts) != len(commits):
        fail("COUNTS and COMMITS need one entry per partition")
    try:
        if not commit_only:
            create_topic(bootstrap, topic, len(counts))
            produce(bootstrap, topic, counts)
        ends, committed = commit_as_group_member(bootstrap, topic, group, commits)
    except KafkaException as error:
        fail(f"kafka error: {error}")
    print(json.dumps({"end_offsets": ends, "committed": committed}), flush=True)


if __name__ == "__main__":
    main()
