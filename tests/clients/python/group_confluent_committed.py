"""confluent-kafka-python: print a group's committed offsets for every partition of a topic
(OffsetFetch through Consumer.committed(); the consumer never joins the group).

usage: group_confluent_committed.py BOOTSTRAP GROUP TOPIC PARTITIONS
prints {"event": "committed_offsets", "offsets": {"partition": offset}} with -1001 where none is stored."""
import sys

from group_common import emit

from confluent_kafka import Consumer, TopicPartition


def main():
    bootstrap, group, topic, partitions = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": group, "enable.auto.commit": False})
    try:
        committed = consumer.committed([TopicPartition(topic, p) for p in range(partitions)], timeout=20)
    finally:
        consumer.close()
    errors = [f"{tp.partition}: {tp.error}" for tp in committed if tp.error is not None]
    if errors:
        sys.stderr.write("OffsetFetch errors: " + "; ".join(errors) + "\n")
        sys.exit(3)
    emit(event="committed_offsets", offsets={str(tp.partition): tp.offset for tp in committed})


if __name__ == "__main__":
    main()
