// kafkajs 2.2.4: create a topic, produce the spec's messages with a codec, consume them back from the
// beginning and from a seek position. The JSON spec and output lines are the same as the Python
// scripts' (see tests/clients/python/roundtrip_common.py).
// kafkajs has no assign(): consuming needs a consumer group, and seek() applies to the assigned partition.
'use strict'
const fs = require('fs')
// Records carry explicit partitions, so kafkajs's notice about its default partitioner does not apply.
process.env.KAFKAJS_NO_PARTITIONER_WARNING = '1'
const { Kafka, CompressionTypes, CompressionCodecs, logLevel } = require('kafkajs')

CompressionCodecs[CompressionTypes.Snappy] = require('kafkajs-snappy')
CompressionCodecs[CompressionTypes.LZ4] = require('./lz4-codec')
CompressionCodecs[CompressionTypes.ZSTD] = require('./zstd-codec')

const codecs = { gzip: CompressionTypes.GZIP, snappy: CompressionTypes.Snappy, lz4: CompressionTypes.LZ4, zstd: CompressionTypes.ZSTD }

const spec = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'))
const emit = fields => process.stdout.write(JSON.stringify(fields) + '\n')
const decode = text => (text === null ? null : Buffer.from(text, 'base64'))
const encode = data => (data === null || data === undefined ? null : Buffer.from(data).toString('base64'))
const fail = message => {
  process.stderr.write(message + '\n')
  process.exit(3)
}

// kafkajs logs to stdout by default; stdout is reserved for the JSON lines.
const levelNames = Object.fromEntries(Object.entries(logLevel).map(([name, value]) => [value, name]))
const logCreator = () => ({ namespace, level, log }) =>
  process.stderr.write(`kafkajs ${namespace} ${levelNames[level] ?? level}: ${log.message} ${log.error ?? ''}\n`)

const kafka = new Kafka({
  clientId: 'gregor-kafkajs',
  brokers: [spec.bootstrap],
  logLevel: logLevel.WARN,
  logCreator,
  connectionTimeout: 10000,
  requestTimeout: 15000,
  retry: { retries: 3 },
})

const counts = new Array(spec.partitions).fill(0)
for (const m of spec.messages) counts[m.partition]++

async function produce() {
  const producer = kafka.producer({ allowAutoTopicCreation: false })
  await producer.connect()
  const batchSize = 50
  for (let start = 0; start < spec.messages.length; start += batchSize) {
    const batch = spec.messages.slice(start, start + batchSize)
    const results = await producer.send({
      topic: spec.topic,
      acks: -1,
      compression: codecs[spec.codec],
      messages: batch.map(m => ({
        partition: m.partition,
        key: decode(m.key),
        value: decode(m.value),
        timestamp: String(m.timestamp),
        headers: Object.fromEntries(m.headers.map(h => [h.key, decode(h.value)])),
      })),
    })
    // kafkajs reports one base offset per partition per send; records follow in send order.
    const next = new Map(results.map(r => [r.partition, BigInt(r.baseOffset)]))
    batch.forEach((m, i) => {
      const offset = next.get(m.partition)
      if (offset === undefined) fail(`produce: no result for partition ${m.partition}: ${JSON.stringify(results)}`)
      next.set(m.partition, offset + 1n)
      emit({ event: 'delivered', index: start + i, partition: m.partition, offset: Number(offset) })
    })
  }
  await producer.disconnect()
}

async function consume(phase, wanted, seek) {
  const consumer = kafka.consumer({ groupId: `gregor-kafkajs-${spec.topic}-${phase}`, sessionTimeout: 10000, heartbeatInterval: 1000 })
  // A crashed consumer would otherwise sit until the deadline; fail at once with kafkajs's own error.
  consumer.on(consumer.events.CRASH, ({ payload }) => fail(`${phase}: consumer crashed: ${payload.error}`))
  await consumer.connect()
  await consumer.subscribe({ topic: spec.topic, fromBeginning: true })
  const got = new Map([...wanted.keys()].map(p => [p, 0]))
  let finish
  const done = new Promise(resolve => (finish = resolve))
  await consumer.run({
    autoCommit: false,
    eachMessage: async ({ partition, message }) => {
      if (!wanted.has(partition)) return
      got.set(partition, got.get(partition) + 1)
      const headers = Object.entries(message.headers || {}).flatMap(([key, value]) =>
        (Array.isArray(value) ? value : [value]).map(v => ({ key, value: encode(v) })))
      emit({
        event: 'consumed', phase, partition, offset: Number(message.offset),
        key: encode(message.key), value: encode(message.value), headers, timestamp: Number(message.timestamp),
      })
      if ([...wanted].every(([p, n]) => got.get(p) >= n)) finish()
    },
  })
  if (seek) consumer.seek({ topic: spec.topic, partition: seek.partition, offset: String(seek.offset) })
  const timer = setTimeout(() => fail(`${phase}: timed out with ${JSON.stringify([...got])} of ${JSON.stringify([...wanted])}`),
    spec.timeoutSeconds * 1000)
  await done
  clearTimeout(timer)
  await consumer.disconnect()
}

async function main() {
  const admin = kafka.admin()
  await admin.connect()
  await admin.createTopics({ topics: [{ topic: spec.topic, numPartitions: spec.partitions, replicationFactor: 1 }], waitForLeaders: true })
  await admin.disconnect()
  emit({ event: 'created' })

  await produce()
  if (spec.produceOnly) return
  await consume('beginning', new Map(counts.map((n, p) => [p, n])), null)
  await consume('seek', new Map([[spec.seekPartition, counts[spec.seekPartition] - spec.seekOffset]]),
    { partition: spec.seekPartition, offset: spec.seekOffset })
}

main().then(() => process.exit(0), e => fail(`kafkajs failed: ${e && e.stack ? e.stack : e}`))
