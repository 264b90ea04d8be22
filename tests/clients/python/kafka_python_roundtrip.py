"""kafka-python 2.0.2: create a topic, produce the spec's messages with a codec, consume them back
from the beginning and from a seek position with assign() (no consumer group)."""
import logging
import sys

from roundtrip_common import Deadline, decode, emit, emit_consumed, expected_counts, fail, load_spec

from kafka import KafkaConsumer, KafkaProducer, TopicPartition
from kafka.admin import KafkaAdminClient, NewTopic
from kafka.codec import has_lz4, has_snappy, has_zstd

logging.basicConfig(stream=sys.stderr, level=logging.WARNING)

spec = load_spec()
codec = spec["codec"]
available = {"gzip": True, "snappy": has_snappy(), "lz4": has_lz4(), "zstd": has_zstd()}
if not available.get(codec, False):
    emit(event="skip", reason=f"kafka-python cannot use {codec}: its Python module is missing "
                              "(Debian packages python3-snappy, python3-lz4, python3-zstandard)")
    sys.exit(0)

bootstrap = spec["bootstrap"]
topic = spec["topic"]
deadline = Deadline(spec["timeoutSeconds"])

admin = KafkaAdminClient(bootstrap_servers=bootstrap, client_id="gregor-kafka-python-admin", request_timeout_ms=15000)
admin.create_topics([NewTopic(name=topic, num_partitions=spec["partitions"], replication_factor=1)], timeout_ms=15000)
admin.close()
emit(event="created")

producer = KafkaProducer(bootstrap_servers=bootstrap, client_id="gregor-kafka-python-producer",
                         compression_type=codec, acks="all", linger_ms=20, request_timeout_ms=15000)
futures = []
for message in spec["messages"]:
    futures.append(producer.send(
        topic,
        key=decode(message["key"]),
        value=decode(message["value"]),
        headers=[(h["key"], decode(h["value"])) for h in message["headers"]],
        partition=message["partition"],
        timestamp_ms=message["timestamp"]))
producer.flush(timeout=60)
for index, future in enumerate(futures):
    metadata = future.get(timeout=30)
    emit(event="delivered", index=index, partition=metadata.partition, offset=metadata.offset)
producer.close(timeout=10)


def consume(phase, assignments, wanted):
    """assignments: {partition: start offset or None for the beginning}; wanted: {partition: record count}."""
    consumer = KafkaConsumer(bootstrap_servers=bootstrap, client_id=f"gregor-kafka-python-{phase}", group_id=None,
                             enable_auto_commit=False, auto_offset_reset="none", request_timeout_ms=15000)
    partitions = [TopicPartition(topic, p) for p in assignments]
    consumer.assign(partitions)
    for tp in partitions:
        start = assignments[tp.partition]
        if start is None:
            consumer.seek_to_beginning(tp)
        else:
            consumer.seek(tp, start)
    got = {p: 0 for p in assignments}
    while any(got[p] < wanted[p] for p in wanted):
        if deadline.expired():
            fail(f"{phase}: timed out with {got} records of {wanted}")
        for tp, records in consumer.poll(timeout_ms=500).items():
            for r in records:
                got[tp.partition] += 1
                emit_consumed(phase, tp.partition, r.offset, r.key, r.value, r.headers, r.timestamp)
    consumer.close()


counts = expected_counts(spec)
consume("beginning", {p: None for p in range(spec["partitions"])}, {p: counts[p] for p in range(spec["partitions"])})
seek_partition, seek_offset = spec["seekPartition"], spec["seekOffset"]
consume("seek", {seek_partition: seek_offset}, {seek_partition: counts[seek_partition] - seek_offset})
