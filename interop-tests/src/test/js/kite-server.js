'use strict'
// Starts an unmodified kite.js 1.0.13 KiteServer for our Java client to call.
//
//   node kite-server.js <mode> <port>
//     mode: raw     kite.js's default server transport: a plain `ws` server on the port, raw dnode
//                   frames, any path (kite.js ignores prefix and path, PROTOCOL §1.5)
//           sockjs  KiteServer.transport.SockJS (sockjs-node) with prefix /kite: SockJS at
//                   http://HOST:PORT/kite, and the raw WebSocket at ws://HOST:PORT/kite/websocket
//
// Prints exactly one line `READY <port>` on stdout once listening (with port 0, the port the OS chose). Exits when stdin closes (the
// Java test holds it open) or on SIGTERM/SIGINT. With KITE_SERVER_TRACE=1 every frame received and
// sent is logged on stderr.
//
// Methods (kite.js handler convention: the positional arguments from withArgs, then `done`):
//   square(n, done)          done(null, n * n)
//   callback(n, fn, done)    fn(n * 2), then done(null, null)
//   echoCallbackArg(fn, done) fn('ping'), then done(null, null)
//   callMeBack(fn, done)     fn(jsFn) where jsFn(value) records value and calls fn('js got ' + value);
//                            then done(null, 'sent'). kite.js 1.0.13 never runs jsFn when the
//                            peer calls it: KiteServer routes numeric (callback) methods to
//                            ws.kite.proto, not to the proto that registered jsFn, so the call is
//                            dropped silently (JavaClientAgainstKiteJsServerTest pins this)
//   received(done)           done(null, <every value jsFn was called with, in order>)
//   never(done)              never answers
//   fail(done)               done(new Error('boom'))
//
// Note: KiteServer sends every message its dnode layer emits as [{"error":arg0,"result":arg1}]
// (PROTOCOL §8.6), so fn(6) reaches the caller as one argument {"error":6}.

const KiteServer = require('kite.js/lib/server')

const [mode, portText] = process.argv.slice(2)
const port = Number(portText)
if (!['raw', 'sockjs'].includes(mode) || !Number.isInteger(port) || port < 0) {
  process.stderr.write('usage: node kite-server.js raw|sockjs PORT\n')
  process.exit(64)
}

const trace = process.env.KITE_SERVER_TRACE === '1'
const received = []

const api = {
  square(n, done) {
    done(null, n * n)
  },
  callback(n, fn, done) {
    fn(n * 2)
    done(null, null)
  },
  echoCallbackArg(fn, done) {
    fn('ping')
    done(null, null)
  },
  callMeBack(fn, done) {
    fn(function jsFn(value) {
      received.push(value)
      fn('js got ' + value)
    })
    done(null, 'sent')
  },
  received(done) {
    done(null, received.slice())
  },
  never(done) {
    // never answers
  },
  fail(done) {
    done(new Error('boom'))
  },
}

const options = { name: 'interop-js-server', auth: false, api, logLevel: 0 }
if (mode === 'sockjs') {
  options.transportClass = KiteServer.transport.SockJS
  options.prefix = '/kite'
}

const server = new KiteServer(options)

if (trace) {
  // Taps the frames without changing what kite.js does.
  const original = server.onConnection.bind(server)
  server.onConnection = ws => {
    ws.on('message', raw => process.stderr.write(`<- ${raw}\n`))
    const send = ws.send.bind(ws)
    ws.send = message => {
      process.stderr.write(`-> ${message}\n`)
      return send(message)
    }
    return original(ws)
  }
}

// kite.js's SockJS server refuses a falsy port; the string '0' passes its check and still asks the
// OS for a free port.
server.listen(port === 0 ? '0' : port)

// Both transports listen asynchronously; READY only once the port accepts connections.
// sockjs: kite.js's Server holds the http.Server as .server; raw: the ws.Server holds it as ._server
const underlying = mode === 'sockjs' ? server.server.server : server.server.server._server
function ready() {
  // Port 0 asks the OS for a free port; READY names the one it gave.
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
