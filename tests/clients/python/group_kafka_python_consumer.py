"""kafka-python 2.0.2 as one member of a consumer group with the round-robin assignor.
Reports every assignment change and rebalance callback (lines: see group_common.py).

usage: group_kafka_python_consumer.py BOOTSTRAP TOPIC GROUP MEMBER"""
import sys

from group_common import Deadline, StopSignal, emit, fail

from kafka import KafkaConsumer
from kafka.consumer.subscription_state import ConsumerRebalanceListener
from kafka.coordinator.assignors.roundrobin import RoundRobinPartitionAssignor


class ReportingListener(ConsumerRebalanceListener):
    def __init__(self, member):
        self.member = member

    def on_partitions_revoked(self, revoked):
        emit(event="on_revoke", member=self.member, partitions=sorted(tp.partition for tp in revoked))

    def on_partitions_assigned(self, assigned):
        emit(event="on_assign", member=self.member, partitions=sorted(tp.partition for tp in assigned))


def main():
    bootstrap, topic, group, member = sys.argv[1:5]
    stop = StopSignal()
    deadline = Deadline(120)
    consumer = KafkaConsumer(bootstrap_servers=bootstrap, group_id=group, client_id=member,
                             partition_assignment_strategy=[RoundRobinPartitionAssignor],
                             enable_auto_commit=False, auto_offset_reset="earliest",
                             session_timeout_ms=6000, heartbeat_interval_ms=500, metadata_max_age_ms=2000)
    consumer.subscribe([topic], listener=ReportingListener(member))
    reported = None
    while not stop.requested:
        if deadline.expired():
            fail(f"{member}: still running after 120 s")
        consumer.poll(timeout_ms=100)
        current = sorted(tp.partition for tp in consumer.assignment() if tp.topic == topic)
        if current != reported:
            reported = current
            emit(event="assignment", member=member, partitions=current)
    consumer.close()
    emit(event="closed", member=member)


if __name__ == "__main__":
    main()
