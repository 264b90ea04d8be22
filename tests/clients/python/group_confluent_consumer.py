"""confluent-kafka-python 1.7.0 (librdkafka 2.0.2) as one member of a consumer group.

Subscribes to a topic, reports every assignment change and rebalance callback, and (optionally)
processes records with manual, synchronous commits after processing: every --commit-every records,
and for pending partitions before they are revoked. Output lines: see group_common.py.
"""
import argparse

from group_common import Deadline, StopSignal, emit, fail, sequence_of

from confluent_kafka import Consumer, KafkaException, TopicPartition


def parse_arguments():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bootstrap", required=True)
    parser.add_argument("--topic", required=True)
    parser.add_argument("--group", required=True)
    parser.add_argument("--member", required=True, help="name printed in every line; also the client.id")
    parser.add_argument("--strategy", default="range", help="partition.assignment.strategy")
    parser.add_argument("--instance-id", help="group.instance.id: makes the member static")
    parser.add_argument("--session-timeout-ms", type=int, default=6000)
    parser.add_argument("--heartbeat-interval-ms", type=int, default=500)
    parser.add_argument("--commit-every", type=int, default=0, help="commit after this many processed records; 0: never commit")
    parser.add_argument("--stop-after-per-partition", type=int, default=0,
                        help="process at most this many records per partition, then exit once --partitions partitions reached it")
    parser.add_argument("--partitions", type=int, default=0)
    parser.add_argument("--timeout-s", type=float, default=120)
    parser.add_argument("--debug", default="", help="librdkafka debug contexts, e.g. cgrp,protocol (to stderr)")
    args = parser.parse_args()
    if args.stop_after_per_partition and args.partitions <= 0:
        parser.error("--stop-after-per-partition needs --partitions")
    return args


class Member:
    def __init__(self, args):
        self.args = args
        config = {
            "bootstrap.servers": args.bootstrap,
            "group.id": args.group,
            "client.id": args.member,
            "partition.assignment.strategy": args.strategy,
            "session.timeout.ms": args.session_timeout_ms,
            "heartbeat.interval.ms": args.heartbeat_interval_ms,
            "enable.auto.commit": False,
            "auto.offset.reset": "earliest",
            "enable.partition.eof": False,
            "topic.metadata.refresh.interval.ms": 2000,
        }
        if args.instance_id:
            config["group.instance.id"] = args.instance_id
        if args.debug:
            config["debug"] = args.debug
        self.consumer = Consumer(config)
        self.assignment = None
        self.processed_next = {}   # partition -> offset after the last record processed
        self.committed_next = {}   # partition -> offset last committed
        self.since_commit = 0
        self.per_partition = {}
        self.paused = set()

    def emit(self, event, **fields):
        emit(event=event, member=self.args.member, **fields)

    def on_assign(self, _consumer, partitions):
        self.emit("on_assign", partitions=sorted(p.partition for p in partitions))

    def on_revoke(self, _consumer, partitions):
        revoked = {p.partition for p in partitions}
        self.emit("on_revoke", partitions=sorted(revoked))
        # What was processed must be committed before another member takes the partition over.
        self.commit_pending(revoked)
        for partition in revoked:
            self.processed_next.pop(partition, None)
            self.committed_next.pop(partition, None)

    def on_lost(self, _consumer, partitions):
        self.emit("on_lost", partitions=sorted(p.partition for p in partitions))

    def commit_pending(self, only=None):
        pending = {p: o for p, o in self.processed_next.items()
                   if o != self.committed_next.get(p) and (only is None or p in only)}
        self.since_commit = 0
        if not pending or self.args.commit_every <= 0:
            return
        offsets = {str(p): o for p, o in sorted(pending.items())}
        self.emit("committing", offsets=offsets)
        try:
            self.consumer.commit(offsets=[TopicPartition(self.args.topic, p, o) for p, o in pending.items()],
                                 asynchronous=False)
        except KafkaException as e:
            self.emit("commit_failed", error=str(e))
            return
        self.committed_next.update(pending)
        self.emit("committed", offsets=offsets)

    def report_assignment(self):
        current = sorted(p.partition for p in self.consumer.assignment() if p.topic == self.args.topic)
        if current != self.assignment:
            self.assignment = current
            self.emit("assignment", partitions=current)

    def process(self, message):
        partition, offset = message.partition(), message.offset()
        limit = self.args.stop_after_per_partition
        if limit and self.per_partition.get(partition, 0) >= limit:
            return
        self.emit("processed", partition=partition, offset=offset, seq=sequence_of(message.value()))
        self.processed_next[partition] = offset + 1
        self.per_partition[partition] = self.per_partition.get(partition, 0) + 1
        self.since_commit += 1
        if self.args.commit_every > 0 and self.since_commit >= self.args.commit_every:
            self.commit_pending()
        if limit and self.per_partition[partition] >= limit and partition not in self.paused:
            self.consumer.pause([TopicPartition(self.args.topic, partition)])
            self.paused.add(partition)

    def finished(self):
        limit = self.args.stop_after_per_partition
        return limit > 0 and sum(1 for n in self.per_partition.values() if n >= limit) >= self.args.partitions

    def run(self):
        stop = StopSignal()
        deadline = Deadline(self.args.timeout_s)
        self.consumer.subscribe([self.args.topic], on_assign=self.on_assign, on_revoke=self.on_revoke, on_lost=self.on_lost)
        while not stop.requested and not self.finished():
            if deadline.expired():
                fail(f"{self.args.member}: timed out after {self.args.timeout_s} s; processed per partition {self.per_partition}")
            message = self.consumer.poll(0.1)
            self.report_assignment()
            if message is None:
                continue
            if message.error() is not None:
                self.emit("consume_error", error=str(message.error()))
                continue
            self.process(message)
        if self.finished():
            self.commit_pending()
            self.emit("done")
        self.consumer.close()
        self.emit("closed")


if __name__ == "__main__":
    Member(parse_arguments()).run()
