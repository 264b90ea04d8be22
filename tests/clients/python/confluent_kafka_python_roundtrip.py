"""confluent-kafka-python 1.7.0 (librdkafka 2.0.2): create a topic, produce the spec's messages with a
codec, consume them back from the beginning and from an explicit offset with assign()."""
import sys

from roundtrip_common import Deadline, decode, emit, emit_consumed, expected_counts, fail, load_spec

from confluent_kafka import OFFSET_BEGINNING, Consumer, KafkaException, Producer, TopicPartition
from confluent_kafka.admin import AdminClient, NewTopic

spec = load_spec()
codec = spec["codec"]
bootstrap = spec["bootstrap"]
topic = spec["topic"]
deadline = Deadline(spec["timeoutSeconds"])

admin = AdminClient({"bootstrap.servers": bootstrap, "client.id": "gregor-confluent-python-admin"})
futures = admin.create_topics([NewTopic(topic, num_partitions=spec["partitions"], replication_factor=1)],
                              operation_timeout=15, request_timeout=15)
futures[topic].result(timeout=30)
emit(event="created")

producer = Producer({"bootstrap.servers": bootstrap, "client.id": "gregor-confluent-python-producer",
                     "compression.type": codec, "acks": "all", "linger.ms": 20, "message.timeout.ms": 60000})
reports = [None] * len(spec["messages"])
errors = []


def on_delivery(index):
    def report(error, message):
        if error is not None:
            errors.append(f"message {index}: {error}")
        else:
            reports[index] = (message.partition(), message.offset())
    return report


for index, message in enumerate(spec["messages"]):
    while True:
        try:
            producer.produce(topic, key=decode(message["key"]), value=decode(message["value"]),
                             partition=message["partition"], timestamp=message["timestamp"],
                             headers=[(h["key"], decode(h["value"])) for h in message["headers"]],
                             on_delivery=on_delivery(index))
            break
        except BufferError:
            producer.poll(0.1)
    producer.poll(0)
if producer.flush(60) != 0:
    fail(f"produce: {len(producer)} messages still undelivered after 60 s")
if errors:
    fail("produce failed: " + "; ".join(errors[:5]))
for index, (partition, offset) in enumerate(reports):
    emit(event="delivered", index=index, partition=partition, offset=offset)


def consume(phase, assignments, wanted):
    consumer = Consumer({"bootstrap.servers": bootstrap, "client.id": f"gregor-confluent-python-{phase}",
                         "group.id": f"unused-{topic}-{phase}", "enable.auto.commit": False,
                         "auto.offset.reset": "error", "enable.partition.eof": False})
    consumer.assign([TopicPartition(topic, p, OFFSET_BEGINNING if start is None else start)
                     for p, start in assignments.items()])
    got = {p: 0 for p in assignments}
    while any(got[p] < wanted[p] for p in wanted):
        if deadline.expired():
            fail(f"{phase}: timed out with {got} records of {wanted}")
        message = consumer.poll(0.5)
        if message is None:
            continue
        if message.error() is not None:
            fail(f"{phase}: consume error: {message.error()}")
        got[message.partition()] += 1
        emit_consumed(phase, message.partition(), message.offset(), message.key(), message.value(),
                      message.headers(), message.timestamp()[1])
    consumer.close()


try:
    counts = expected_counts(spec)
    consume("beginning", {p: None for p in range(spec["partitions"])}, {p: counts[p] for p in range(spec["partitions"])})
    seek_partition, seek_offset = spec["seekPartition"], spec["seekOffset"]
    consume("seek", {seek_partition: seek_offset}, {seek_partition: counts[seek_partition] - seek_offset})
except KafkaException as e:
    fail(f"consume failed: {e}")
