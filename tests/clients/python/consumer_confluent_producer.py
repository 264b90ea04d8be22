"""confluent-kafka-python 1.7.0 (librdkafka 2.0.2) as the producer for the Gregor consumer tests:
creates the spec's topic, produces its messages (explicit partitions, keys, values, headers and
timestamps, the spec's compression codec) with acks=all, and reports where each landed. It does not
consume: the test reads the records back with the Gregor consumer. Spec and output lines: see
roundtrip_common.py ("created", "delivered").
"""
from roundtrip_common import Deadline, decode, emit, fail, load_spec

from confluent_kafka import Producer
from confluent_kafka.admin import AdminClient, NewTopic

spec = load_spec()
bootstrap, topic = spec["bootstrap"], spec["topic"]
deadline = Deadline(spec["timeoutSeconds"])

admin = AdminClient({"bootstrap.servers": bootstrap})
created = admin.create_topics([NewTopic(topic, num_partitions=spec["partitions"], replication_factor=1)],
                              operation_timeout=15, request_timeout=15)
created[topic].result(timeout=30)
emit(event="created")

producer = Producer({"bootstrap.servers": bootstrap, "compression.type": spec["codec"], "acks": "all",
                     "linger.ms": 20, "message.timeout.ms": 60000})
landed = [None] * len(spec["messages"])
errors = []


def on_delivery(index):
    def report(error, message):
        if error is not None:
            errors.append(f"message {index}: {error}")
        else:
            landed[index] = (message.partition(), message.offset())
    return report


for index, message in enumerate(spec["messages"]):
    while True:
        if deadline.expired():
            fail("produce: timed out")
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
for index, (partition, offset) in enumerate(landed):
    emit(event="delivered", index=index, partition=partition, offset=offset)
