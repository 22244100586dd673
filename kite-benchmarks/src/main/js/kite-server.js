'use strict'
// The kite.js target of the benchmarks: an unmodified kite.js 1.0.13 KiteServer with its SockJS
// transport at /kite (so the generator dials it as it dials a Go kite), serving `square`.
//
//   node kite-server.js <port>     (0: the OS picks a free port)
//
// Prints exactly one line `READY <port>` on stdout once listening. Exits when stdin closes (the
// benchmark holds it open) or on SIGTERM/SIGINT.

const KiteServer = require('kite.js/lib/server')

const port = Number(process.argv[2])
if (!Number.isInteger(port) || port < 0) {
  process.stderr.write('usage: node kite-server.js PORT\n')
  process.exit(64)
}

const server = new KiteServer({
  name: 'bench-js-server',
  auth: false,
  logLevel: 0,
  transportClass: KiteServer.transport.SockJS,
  prefix: '/kite',
  api: {
    square(n, done) {
      done(null, n * n)
    },
  },
})

// kite.js's SockJS server refuses a falsy port; the string '0' passes its check and still asks the
// OS for a free port.
server.listen(port === 0 ? '0' : port)

const underlying = server.server.server
function ready() {
  process.stdout.write(`READY ${underlying.address().port}\n`)
}
if (underlying.listening) {
  ready()
} else {
  underlying.once('listening', ready)
}
underlying.once('error', err => {
  process.stderr.write(`listen failed: ${err && err.stack}\n`)
  process.exit(2)
})

function stop() {
  try {
    server.close()
  } finally {
    process.exit(0)
  }
}
process.on('SIGTERM', stop)
process.on('SIGINT', stop)
process.stdin.on('end', stop)
process.stdin.on('close', stop)
process.stdin.resume()
