"""Asks for transactions with confluent-kafka-python (librdkafka) and prints how init_transactions ended.

Usage: transactional_producer.py BOOTSTRAP TIMEOUT_SECONDS
Prints one line: "ok" or "error SECONDS fatal=BOOL NAME: MESSAGE".
"""
import sys
import time

from confluent_kafka import KafkaException, Producer

bootstrap, timeout = sys.argv[1], float(sys.argv[2])
producer = Producer({'bootstrap.servers': bootstrap, 'transactional.id': 'gregor-test-tx', 'log_level': 0})
started = time.monotonic()
try:
    producer.init_transactions(timeout)
    print("ok")
except KafkaException as e:
    error = e.args[0]
    print(f"error {time.monotonic() - started:.1f} fatal={error.fatal()} {error.name()}: {error.str()}")
