"""confluent-kafka-python 1.7.0 (librdkafka 2.0.2) for the reset-offsets end-to-end test.

Every step prints one JSON object per line on stdout, flushed at once; diagnostics go to stderr and
a failure exits 3. Steps (first argument):

  create-topic BOOTSTRAP TOPIC PARTITIONS
      creates TOPIC (CreateTopics); prints {"event": "created"}.
  produce BOOTSTRAP TOPIC RECORDS
      produces RECORDS, a JSON list of {"partition", "timestamp" (ms, CreateTime), "value"}, one
      at a time in the given order, acks=all; prints
      {"event": "delivered", "partition", "offset", "timestamp", "value"} per record.
  consume-and-commit BOOTSTRAP TOPIC GROUP ENDS
      joins GROUP, reads every partition from the beginning up to its end offset in ENDS
      ({"partition": end offset}), commits those end offsets synchronously and leaves;
      prints "consumed" per record, then {"event": "committed", "offsets"}.
  committed BOOTSTRAP TOPIC GROUP PARTITIONS
      the group's committed offsets without joining it (OffsetFetch):
      {"event": "committed_offsets", "offsets": {"partition": offset}}, -1001 where none.
  first-records BOOTSTRAP TOPIC GROUP PARTITIONS
      a new member of GROUP with auto.offset.reset=latest and no commits: only the group's
      committed offsets can make it read anything already in the log. Prints
      {"event": "first", "partition", "offset", "timestamp", "value"} for the first record of each
      partition, then {"event": "holding"}, and stays in the group until its stdin closes; then
      leaves and prints {"event": "closed"}.
"""
import json
import sys
import threading
import time

from confluent_kafka import Consumer, KafkaException, Producer, TopicPartition
from confluent_kafka.admin import AdminClient, NewTopic

TIMEOUT_S = 60


def emit(**fields):
    sys.stdout.write(json.dumps(fields) + "\n")
    sys.stdout.flush()


def fail(message):
    sys.stderr.write(message + "\n")
    sys.stderr.flush()
    sys.exit(3)


class Deadline:
    def __init__(self, seconds=TIMEOUT_S):
        self.end = time.monotonic() + seconds

    def expired(self):
        return time.monotonic() >= self.end


def create_topic(bootstrap, topic, partitions):
    admin = AdminClient({"bootstrap.servers": bootstrap})
    for future in admin.create_topics([NewTopic(topic, num_partitions=int(partitions), replication_factor=1)],
                                      operation_timeout=20).values():
        future.result(timeout=TIMEOUT_S)
    emit(event="created")


def produce(bootstrap, topic, records):
    producer = Producer({"bootstrap.servers": bootstrap, "acks": "all", "linger.ms": 0})
    for record in json.loads(records):
        outcome = {}

        def delivered(error, message, outcome=outcome):
            outcome["error"], outcome["message"] = error, message

        producer.produce(topic, value=record["value"].encode(), partition=record["partition"],
                         timestamp=record["timestamp"], on_delivery=delivered)
        # One record at a time, so offsets follow the given order within each partition.
        if producer.flush(TIMEOUT_S) != 0 or "message" not in outcome:
            fail(f"record {record} was not acknowledged within {TIMEOUT_S} s")
        if outcome["error"] is not None:
            fail(f"record {record} failed: {outcome['error']}")
        message = outcome["message"]
        emit(event="delivered", partition=message.partition(), offset=message.offset(),
             timestamp=message.timestamp()[1], value=record["value"])


def new_consumer(bootstrap, group, offset_reset):
    return Consumer({
        "bootstrap.servers": bootstrap,
        "group.id": group,
        "enable.auto.commit": False,
        "auto.offset.reset": offset_reset,
        "enable.partition.eof": False,
        "session.timeout.ms": 6000,
        "heartbeat.interval.ms": 500,
    })


def record_fields(message):
    return dict(partition=message.partition(), offset=message.offset(),
                timestamp=message.timestamp()[1], value=message.value().decode())


def consume_and_commit(bootstrap, topic, group, ends):
    ends = {int(p): o for p, o in json.loads(ends).items()}
    consumer = new_consumer(bootstrap, group, "earliest")
    consumer.subscribe([topic])
    positions = {p: 0 for p in ends}
    deadline = Deadline()
    while any(positions[p] < ends[p] for p in ends):
        if deadline.expired():
            fail(f"did not reach the end offsets {ends} within {TIMEOUT_S} s; at {positions}")
        message = consumer.poll(0.1)
        if message is None:
            continue
        if message.error() is not None:
            fail(f"consume error: {message.error()}")
        emit(event="consumed", **record_fields(message))
        positions[message.partition()] = message.offset() + 1
    try:
        consumer.commit(offsets=[TopicPartition(topic, p, o) for p, o in sorted(ends.items())], asynchronous=False)
    except KafkaException as e:
        fail(f"commit failed: {e}")
    emit(event="committed", offsets={str(p): o for p, o in sorted(ends.items())})
    consumer.close()


def committed(bootstrap, topic, group, partitions):
    consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": group, "enable.auto.commit": False})
    try:
        answer = consumer.committed([TopicPartition(topic, p) for p in range(int(partitions))], timeout=20)
    finally:
        consumer.close()
    errors = [f"{tp.partition}: {tp.error}" for tp in answer if tp.error is not None]
    if errors:
        fail("OffsetFetch errors: " + "; ".join(errors))
    emit(event="committed_offsets", offsets={str(tp.partition): tp.offset for tp in answer})


def first_records(bootstrap, topic, group, partitions):
    stdin_closed = threading.Event()
    threading.Thread(target=lambda: (sys.stdin.read(), stdin_closed.set()), daemon=True).start()

    consumer = new_consumer(bootstrap, group, "latest")
    consumer.subscribe([topic])
    first = {}
    deadline = Deadline()
    while len(first) < int(partitions):
        if deadline.expired():
            fail(f"got a first record from partitions {sorted(first)} only within {TIMEOUT_S} s")
        message = consumer.poll(0.1)
        if message is None:
            continue
        if message.error() is not None:
            fail(f"consume error: {message.error()}")
        if message.partition() not in first:
            first[message.partition()] = message
            emit(event="first", **record_fields(message))
    emit(event="holding")

    # Still a member (librdkafka heartbeats in the background) until the test lets go.
    deadline = Deadline()
    while not stdin_closed.is_set() and not deadline.expired():
        consumer.poll(0.1)
    consumer.close()
    emit(event="closed")


STEPS = {
    "create-topic": create_topic,
    "produce": produce,
    "consume-and-commit": consume_and_commit,
    "committed": committed,
    "first-records": first_records,
}

if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] not in STEPS:
        fail(f"usage: reset_offsets_client.py {{{'|'.join(STEPS)}}} ARGS...")
    STEPS[sys.argv[1]](*sys.argv[2:])
