"""confluent-kafka-python 1.7.0 (librdkafka 2.0.2) for the backup and restore end-to-end test.

One JSON object per line on stdout; diagnostics on stderr; a failure exits 3. Steps:

  create-topic BOOTSTRAP TOPIC PARTITIONS
      creates TOPIC; prints {"event": "created"}.
  produce BOOTSTRAP TOPIC PARTITIONS COUNT PREFIX [PAUSE_MS]
      an idempotent producer (enable.idempotence, acks=all) writes COUNT records to each partition,
      key PREFIX-k<i>, value PREFIX-p<partition>-<i>, header origin=PREFIX; prints
      {"event": "produced", "count"} once all are acknowledged. With PAUSE_MS it sleeps that long
      after each round over the partitions, so it keeps writing for a while.
  consume-commit BOOTSTRAP TOPIC GROUP STOPS
      joins GROUP, reads each partition from the beginning up to its offset in STOPS
      ({"partition": offset}), commits exactly those offsets and leaves; prints {"event": "committed"}.
  resume BOOTSTRAP TOPIC GROUP ENDS
      a new member of GROUP (auto.offset.reset=earliest, so lost offsets would show as re-reads)
      reads until every partition reaches its offset in ENDS, without committing; prints
      {"event": "record", "partition", "offset", "key", "value"} per record, then {"event": "done"}.
"""
import json
import sys
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


def create_topic(bootstrap, topic, partitions):
    admin = AdminClient({"bootstrap.servers": bootstrap})
    for future in admin.create_topics([NewTopic(topic, num_partitions=int(partitions), replication_factor=1)],
                                      operation_timeout=20).values():
        future.result(timeout=TIMEOUT_S)
    emit(event="created")


def produce(bootstrap, topic, partitions, count, prefix, pause_ms="0"):
    producer = Producer({"bootstrap.servers": bootstrap, "enable.idempotence": True, "acks": "all", "linger.ms": 5})
    failures = []

    def delivered(error, message):
        if error is not None:
            failures.append(str(error))

    for i in range(int(count)):
        for partition in range(int(partitions)):
            producer.produce(topic, key=f"{prefix}-k{i}".encode(), value=f"{prefix}-p{partition}-{i}".encode(),
                             partition=partition, headers=[("origin", prefix.encode())], on_delivery=delivered)
        producer.poll(0)
        if int(pause_ms) > 0:
            time.sleep(int(pause_ms) / 1000)
    if producer.flush(TIMEOUT_S) != 0:
        fail(f"records were not acknowledged within {TIMEOUT_S} s")
    if failures:
        fail(f"{len(failures)} records failed, the first: {failures[0]}")
    emit(event="produced", count=int(count) * int(partitions))


def new_consumer(bootstrap, group):
    return Consumer({
        "bootstrap.servers": bootstrap,
        "group.id": group,
        "enable.auto.commit": False,
        "auto.offset.reset": "earliest",
        "session.timeout.ms": 6000,
        "heartbeat.interval.ms": 500,
    })


def read_until(consumer, topic, ends, on_record):
    consumer.subscribe([topic])
    positions = {p: -1 for p in ends}
    deadline = time.monotonic() + TIMEOUT_S
    while any(positions[p] + 1 < ends[p] for p in ends):
        if time.monotonic() > deadline:
            fail(f"did not reach the offsets {ends} within {TIMEOUT_S} s; at {positions}")
        message = consumer.poll(0.1)
        if message is None:
            continue
        if message.error() is not None:
            fail(f"consume error: {message.error()}")
        if message.offset() < ends[message.partition()]:
            on_record(message)
        positions[message.partition()] = max(positions[message.partition()], message.offset())


def consume_commit(bootstrap, topic, group, stops):
    stops = {int(p): o for p, o in json.loads(stops).items()}
    consumer = new_consumer(bootstrap, group)
    read_until(consumer, topic, stops, lambda message: None)
    try:
        consumer.commit(offsets=[TopicPartition(topic, p, o) for p, o in sorted(stops.items())], asynchronous=False)
    except KafkaException as e:
        fail(f"commit failed: {e}")
    consumer.close()
    emit(event="committed")


def resume(bootstrap, topic, group, ends):
    ends = {int(p): o for p, o in json.loads(ends).items()}
    consumer = new_consumer(bootstrap, group)
    read_until(consumer, topic, ends, lambda m: emit(event="record", partition=m.partition(), offset=m.offset(),
                                                     key=m.key().decode(), value=m.value().decode()))
    consumer.close()
    emit(event="done")


if __name__ == "__main__":
    steps = {"create-topic": create_topic, "produce": produce, "consume-commit": consume_commit, "resume": resume}
    if len(sys.argv) < 2 or sys.argv[1] not in steps:
        fail(f"usage: backup_client.py {'|'.join(steps)} ARGS...")
    steps[sys.argv[1]](*sys.argv[2:])
