"""kafka-python 2.0.2 reads what the Gregor producer wrote: assign() every partition of a topic, read from
the beginning until the expected count, print one JSON line per record with key, value and headers in hex."""
import json
import sys
import time

from kafka import KafkaConsumer, TopicPartition

bootstrap, topic, partitions, expected, timeout = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5])


def hex_or_none(data):
    return None if data is None else data.hex()


consumer = KafkaConsumer(bootstrap_servers=bootstrap, client_id="gregor-producer-check", enable_auto_commit=False,
                         auto_offset_reset="earliest", consumer_timeout_ms=1000)
consumer.assign([TopicPartition(topic, p) for p in range(partitions)])
consumer.seek_to_beginning()
seen = 0
deadline = time.monotonic() + timeout
while seen < expected and time.monotonic() < deadline:
    for record in consumer:
        print(json.dumps({
            "partition": record.partition, "offset": record.offset, "timestamp": record.timestamp,
            "timestampType": record.timestamp_type, "key": hex_or_none(record.key), "value": hex_or_none(record.value),
            "headers": [[k, hex_or_none(v)] for k, v in record.headers],
        }), flush=True)
        seen += 1
        if seen >= expected:
            break
consumer.close()
sys.exit(0 if seen >= expected else 1)
