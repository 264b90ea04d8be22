"""Produces sequence-numbered messages with acks=all and no retries for a fixed time, and records every
message the broker acknowledged as "partition offset value" lines in a file, flushed line by line, so
a test can compare what was promised with what survives a broker crash.

usage: acked_producer.py BOOTSTRAP TOPIC PARTITIONS SECONDS ACKED_FILE
prints the number of messages it tried to send."""
import sys
import time

from confluent_kafka import Producer


def main():
    bootstrap, topic, partitions, seconds, acked_path = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4]), sys.argv[5]
    producer = Producer({
        "bootstrap.servers": bootstrap,
        "acks": "all",
        # No retries: a message is either acknowledged once or reported failed, never written twice.
        "retries": 0,
        "enable.idempotence": False,
        "linger.ms": 2,
        "message.timeout.ms": 5000,
        "socket.timeout.ms": 5000,
        "reconnect.backoff.max.ms": 200,
    })
    with open(acked_path, "w", buffering=1) as acked:
        def delivered(err, msg):
            if err is None:
                acked.write(f"{msg.partition()} {msg.offset()} {msg.value().decode()}\n")

        deadline = time.time() + seconds
        sequence = 0
        while time.time() < deadline:
            try:
                producer.produce(topic, value=str(sequence).encode(), partition=sequence % partitions, on_delivery=delivered)
                sequence += 1
            except BufferError:
                producer.poll(0.05)
                continue
            producer.poll(0)
        producer.flush(15)
    print(sequence)


if __name__ == "__main__":
    main()
