'use strict'
// kite.js 1.0.13 (unmodified) as a Kontrol client: finds a kite through Kontrol and calls it with
// the token Kontrol minted.
//
//   node kontrol-client-checks.js <mode> <kontrolUrl> <username> <environment> <name>
//     mode: sockjs  Kontrol dialed with Kite.transport.SockJS at http://HOST:PORT/kite
//           raw     Kontrol dialed with kite.js's default `ws` transport at ws://HOST:PORT/kite/websocket
//     username/environment/name: the query of the registered kite
//     env KITE_KEY: the kite key the client presents to Kontrol (auth {type: 'kiteKey'})
//
// The kites Kontrol returns are SockJS base URLs, so they are always dialed with
// Kite.transport.SockJS. Output: one JSON line per check, as kite-client-checks.js prints them;
// the Java test asserts. Exit code 0 when every check ran (whatever its outcome), 2 when Kontrol
// could not be reached.

const { Kite, Kontrol } = require('kite.js')

const [mode, kontrolUrl, username, environment, name] = process.argv.slice(2)
const { CHECK_TIMEOUT_MS, emit, describeError, withTimeout, check } = require('./report')
const kiteKey = process.env.KITE_KEY

if (!['sockjs', 'raw'].includes(mode) || !kontrolUrl || !name || !kiteKey) {
  process.stderr.write('usage: KITE_KEY=… node kontrol-client-checks.js sockjs|raw KONTROL_URL USERNAME ENVIRONMENT NAME\n')
  process.exit(64)
}

const query = { username, environment, name }

// Resolves with the kite once its connection is open.
function opened(kite) {
  return new Promise((resolve, reject) => {
    kite.once('open', () => resolve(kite))
    kite.once('error', (message, err) => reject(err || new Error(String(message))))
    kite.connect()
  })
}

// Kite (the package's export) has a promise API; the Kontrol helper creates BaseKite objects,
// whose tell only takes a node-style callback.
function tell(kite, method, args) {
  if (kite instanceof Kite) {
    return kite.tell(method, args)
  }
  return new Promise((resolve, reject) => kite.tell(method, args, (err, value) => (err ? reject(err) : resolve(value))))
}

function kontrolOptions() {
  const options = { url: kontrolUrl, autoConnect: false, autoReconnect: false, logLevel: 0, auth: { type: 'kiteKey', key: kiteKey } }
  if (mode === 'sockjs') {
    options.transportClass = Kite.transport.SockJS
  }
  return options
}

// Part 1: plain Kite objects, the calls written by hand.
async function byHand() {
  let kontrol
  try {
    kontrol = await withTimeout(opened(new Kite(kontrolOptions())), CHECK_TIMEOUT_MS)
  } catch (e) {
    emit({ check: 'connectKontrol', outcome: 'error', error: describeError(e) })
    return false
  }
  emit({ check: 'connectKontrol', outcome: 'result', value: { kind: kontrol.ws instanceof Kite.transport.SockJS ? 'sockjs' : 'ws' } })
  try {
    const found = await check('getKites', () => tell(kontrol, 'getKites', [{ query }]))
    await check('getKitesNobody', () => tell(kontrol, 'getKites', [{ query: { username, environment, name: 'nobody' } }]))
    const target = found && found.kites && found.kites[0]
    if (target) {
      const kite = new Kite({
        url: target.url,
        autoConnect: false,
        autoReconnect: false,
        logLevel: 0,
        transportClass: Kite.transport.SockJS,
        auth: { type: 'token', key: target.token },
      })
      try {
        await check('connectFound', () => opened(kite).then(() => true))
        await check('squareAuthWithToken', () => tell(kite, 'squareAuth', [3]))
        await check('squareWithToken', () => tell(kite, 'square', [4]))
      } finally {
        kite.disconnect()
      }
    }
  } finally {
    kontrol.disconnect()
  }
  return true
}

// Part 2: kite.js's own Kontrol helper (fetchKites/fetchKite and createKite). The helper dials the
// kites it returns with the transport it was given for Kontrol, so it only fits SockJS Kontrol URLs.
async function withHelper() {
  const kontrol = new Kontrol(kontrolOptions())
  try {
    await withTimeout(new Promise((resolve, reject) => {
      kontrol.once('open', resolve)
      kontrol.once('error', (message, err) => reject(err || new Error(String(message))))
      kontrol.authenticate()
      kontrol.connect()
    }), CHECK_TIMEOUT_MS)
    let kites = []
    await check('helperFetchKites', () => kontrol.fetchKites({ query }).then((found) => {
      kites = found
      return found.map((k) => ({
        kiteClass: k instanceof Kite ? 'Kite' : 'BaseKite',
        url: k.options.url,
        auth: k.options.auth,
        kite: { username: k.options.username, environment: k.options.environment, name: k.options.name },
      }))
    }))
    if (kites.length > 0) {
      const kite = kites[0]
      try {
        await check('helperConnect', () => opened(kite).then(() => true))
        await check('helperSquareAuth', () => tell(kite, 'squareAuth', [3]))
      } finally {
        kite.disconnect()
      }
    }
    await check('helperFetchKitesNobody', () => kontrol.fetchKites({ query: { username, environment, name: 'nobody' } }).then((found) => found.length))
    // fetchKite builds its "No kite found for query: …" error with getPath, which kite.js 1.0.13
    // imports as `_getpath2.default` although lib/kontrol/getpath.js only exports `getPath`: the
    // TypeError is thrown inside the response callback, dnode-protocol emits it as 'error' on the
    // Kontrol kite's proto, and without a listener there Node dies. Report that error instead.
    await check('helperFetchKiteNobody', () => new Promise((resolve, reject) => {
      kontrol.kite.proto.once('error', reject)
      kontrol.fetchKite({ query: { username, environment, name: 'nobody' } }).then(() => resolve('found'), reject)
    }))
  } catch (e) {
    emit({ check: 'helperConnectKontrol', outcome: 'error', error: describeError(e) })
  } finally {
    kontrol.disconnect()
  }
}

async function main() {
  if (!(await byHand())) {
    setTimeout(() => process.exit(2), 50)
    return
  }
  if (mode === 'sockjs') {
    await withHelper()
  }
  emit({ done: true })
  setTimeout(() => process.exit(0), 50)
}

main().catch((e) => {
  process.stderr.write(`unexpected failure: ${e && e.stack}\n`)
  process.exit(1)
})
