// kafkajs 2.2.4 as one member of a consumer group (kafkajs's own round-robin assigner). Prints one JSON
// line per event on stdout, like tests/clients/python/group_common.py:
//   {"event": "assignment", "member", "partitions": [...]}   after every group join (kafkajs GROUP_JOIN)
//   {"event": "processed", "member", "partition", "offset"}
//   {"event": "closed", "member"}                             after SIGTERM: left the group
// usage: node group-consumer.js BOOTSTRAP TOPIC GROUP MEMBER
'use strict'
const { Kafka, logLevel } = require('kafkajs')

const [bootstrap, topic, groupId, member] = process.argv.slice(2)
const emit = fields => process.stdout.write(JSON.stringify({ ...fields, member }) + '\n')
const fail = message => {
  process.stderr.write(message + '\n')
  process.exit(3)
}

// kafkajs logs to stdout by default; stdout is reserved for the JSON lines.
const logCreator = () => ({ namespace, level, log }) =>
  process.stderr.write(`kafkajs ${namespace} ${level}: ${log.message} ${log.error ?? ''}\n`)

const kafka = new Kafka({ clientId: member, brokers: [bootstrap], logLevel: logLevel.WARN, logCreator, retry: { retries: 5 } })
// kafkajs heartbeats (and so learns of a rebalance) only between fetches: keep its long poll short.
const consumer = kafka.consumer({ groupId, sessionTimeout: 6000, heartbeatInterval: 500, metadataMaxAge: 2000, maxWaitTimeInMs: 500 })

consumer.on(consumer.events.GROUP_JOIN, ({ payload }) =>
  emit({ event: 'assignment', partitions: [...(payload.memberAssignment[topic] || [])].sort((a, b) => a - b) }))
consumer.on(consumer.events.CRASH, ({ payload }) => fail(`${member}: consumer crashed: ${payload.error}`))

let stopping = false
process.on('SIGTERM', () => {
  if (stopping) return
  stopping = true
  consumer.disconnect().then(() => {
    emit({ event: 'closed' })
    process.exit(0)
  }, e => fail(`${member}: disconnect failed: ${e}`))
})
setTimeout(() => fail(`${member}: still running after 120 s`), 120000).unref()

async function main() {
  await consumer.connect()
  await consumer.subscribe({ topic, fromBeginning: true })
  await consumer.run({
    autoCommit: false,
    eachMessage: async ({ partition, message }) => emit({ event: 'processed', partition, offset: Number(message.offset) }),
  })
}

main().catch(e => fail(`${member}: ${e && e.stack ? e.stack : e}`))
