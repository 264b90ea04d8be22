// A kafkajs compression codec for lz4 on top of lz4js (pure JavaScript). Kafka's lz4 is the standard
// LZ4 frame format, which is what lz4js reads and writes.
'use strict'
const lz4 = require('lz4js')

module.exports = () => ({
  async compress(encoder) {
    return Buffer.from(lz4.compress(encoder.buffer))
  },
  async decompress(buffer) {
    return Buffer.from(lz4.decompress(buffer))
  },
})
