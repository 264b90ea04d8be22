// A kafkajs compression codec for zstd on top of zstd-codec (WebAssembly, so nothing native to build).
// kafkajs calls compress(encoder) with the encoded record set and decompress(buffer) with the batch payload.
'use strict'
const { ZstdCodec } = require('zstd-codec')

const simple = new Promise(resolve => ZstdCodec.run(zstd => resolve(new zstd.Simple())))

module.exports = () => ({
  async compress(encoder) {
    return Buffer.from((await simple).compress(encoder.buffer))
  },
  async decompress(buffer) {
    const output = (await simple).decompress(buffer)
    if (output === null) throw new Error('zstd: cannot decompress the batch payload')
    return Buffer.from(output)
  },
})
