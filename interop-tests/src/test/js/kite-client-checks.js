'use strict'
// Drives kite.js 1.0.13 (a real peer, unmodified) against a running kite and reports what it saw.
//
//   node kite-client-checks.js <mode> <url>
//     mode: sockjs       Kite.transport.SockJS (sockjs-client picks its WebSocket transport)
//           xhr-polling  Kite.transport.SockJS forced to XHR polling (transportOptions.transports)
//           raw          kite.js's default transport: the `ws` WebSocket, raw dnode frames
//     url:  http://HOST:PORT/kite for the SockJS modes, ws://HOST:PORT/kite/websocket for raw
//
// Output: one JSON line per check on stdout, {"check": name, "outcome": "result"|"error"|"timeout",
// ...}. The script only observes; the Java test (dev.kite.interop) asserts. Exit code 0 when every
// check ran (whatever its outcome), 2 when the connection could not be opened.

const { Kite } = require('kite.js')

const [mode, url] = process.argv.slice(2)
const { CHECK_TIMEOUT_MS, emit, describeError, withTimeout, check } = require('./report')

if (!['sockjs', 'xhr-polling', 'raw'].includes(mode) || !url) {
  process.stderr.write('usage: node kite-client-checks.js sockjs|xhr-polling|raw URL\n')
  process.exit(64)
}

const options = { url, autoConnect: false, autoReconnect: false, logLevel: 0 }
if (mode !== 'raw') {
  options.transportClass = Kite.transport.SockJS
}
if (mode === 'xhr-polling') {
  // sockjs-client's whitelist option (SockJS(url, _reserved, { transports })); kite.js passes
  // transportOptions through as that third argument.
  options.transportOptions = { transports: ['xhr-polling'] }
}

const sleep = ms => new Promise(resolve => setTimeout(resolve, ms))

async function runChecks(kite) {
  await check('transport', () => {
    const ws = kite.ws
    return {
      kind: ws instanceof Kite.transport.SockJS ? 'sockjs' : ws instanceof Kite.transport.WebSocket ? 'ws' : 'other',
      // sockjs-client sets `transport` to the name of the transport it opened with
      sockjsTransport: ws.transport === undefined ? null : ws.transport,
      url: ws.url,
    }
  })

  await check('square', () => kite.tell('square', [4]))

  await check('callback', async () => {
    const calls = []
    const result = await kite.tell('callback', [3, (...args) => calls.push(args)])
    // The server calls fn before it answers, over the same ordered connection; wait briefly anyway
    // so that a reordering shows up as a wrong "calls" value rather than a flaky pass.
    for (let i = 0; i < 40 && calls.length === 0; i++) {
      await sleep(25)
    }
    await sleep(50) // a second, unexpected call of fn would arrive here
    return { result: result === undefined ? 'undefined' : result, calls }
  })

  await check('ping', () => kite.tell('kite.ping'))

  await check('methodNotFound', () => kite.tell('nope', []))

  await check('argumentError', () => kite.tell('square', ['abc']))

  await check('authenticationError', () => kite.tell('squareAuth', [3]))

  await check('scalarWithArgs', () => kite.tell('square', 4))

  await check('concurrent', async () => {
    // Distinct inputs with distinct squares (mixed signs, halves), so a reply delivered to the
    // wrong caller cannot go unnoticed.
    const inputs = Array.from({ length: 200 }, (_, i) => (i % 2 ? -1 : 1) * (i + 0.5))
    const results = await Promise.all(inputs.map(n => kite.tell('square', [n])))
    return { inputs, results }
  })
}

const kite = new Kite(options)
let opened = false

kite.on('open', async () => {
  if (opened) {
    return
  }
  opened = true
  try {
    await runChecks(kite)
  } catch (e) {
    process.stderr.write(`unexpected failure: ${e && e.stack}\n`)
    process.exitCode = 1
  }
  emit({ done: true })
  kite.disconnect()
  // sockjs-client and ws may keep timers alive; the checks are finished.
  setTimeout(() => process.exit(), 50)
})

const failOpen = reason => {
  if (!opened) {
    emit({ check: 'connect', outcome: 'error', error: { name: 'ConnectError', message: String(reason) } })
    process.exit(2)
  }
}
kite.on('close', event => {
  failOpen(`closed before open: ${event && (event.code + ' ' + event.reason)}`)
  // Not a check: shows up in the Java failure messages when a connection drops mid-run.
  emit({ event: 'close', code: event && event.code, reason: event && event.reason })
})
kite.on('error', (message, err) => failOpen(`${message} ${err && (err.message || err.type || err)}`))
setTimeout(() => failOpen(`not open after ${CHECK_TIMEOUT_MS} ms`), CHECK_TIMEOUT_MS).unref()

kite.connect()
