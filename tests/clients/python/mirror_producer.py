"""Writes COUNT records to TOPIC over PARTITIONS partitions with confluent-kafka-python (idempotent, acks=all),
spread over a few seconds so a mirror can be killed while they arrive: key k-I, value v-I, header seq=I,
partition I % PARTITIONS. Prints one JSON line with how many were acknowledged.

Usage: mirror_producer.py BOOTSTRAP TOPIC PARTITIONS COUNT PAUSE_MS_PER_100
"""
import json
import sys
import time

from confluent_kafka import Producer


def main():
    bootstrap, topic, partitions, count, pause_ms = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
    producer = Producer({"bootstrap.servers": bootstrap, "enable.idempotence": True, "acks": "all", "linger.ms": 5})
    acked = [0]
    failed = []

    def on_delivery(error, message):
        if error is None:
            acked[0] += 1
        else:
            failed.append(str(error))

    for i in range(count):
        producer.produce(topic, key=f"k-{i}", value=f"v-{i}", headers=[("seq", str(i).encode())],
                         partition=i % partitions, on_delivery=on_delivery)
        producer.poll(0)
        if i % 100 == 99:
            time.sleep(pause_ms / 1000.0)
    producer.flush(60)
    print(json.dumps({"event": "done", "acked": acked[0], "failed": failed[:5]}), flush=True)
    sys.exit(0 if acked[0] == count else 1)


if __name__ == "__main__":
    main()
