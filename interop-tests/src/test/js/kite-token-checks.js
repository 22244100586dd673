'use strict'
// kite.js 1.0.13 clients that authenticate with Kontrol tokens (auth: {type: 'token', key}).
//
//   node kite-token-checks.js <mode> <url>
//     mode, url: as in kite-client-checks.js (sockjs | xhr-polling | raw)
//     env KITE_TOKEN_VALID, KITE_TOKEN_FORGED, KITE_TOKEN_OTHER_KITE: the tokens to try
//
// Output: one JSON line per check, as kite-client-checks.js prints them.

const { Kite } = require('kite.js')

const [mode, url] = process.argv.slice(2)
const CHECK_TIMEOUT_MS = Number(process.env.KITE_CHECK_TIMEOUT_MS || 10000)

function emit(line) {
  process.stdout.write(JSON.stringify(line) + '\n')
}

function connect(token) {
  const options = { url, autoConnect: false, autoReconnect: false, logLevel: 0, auth: { type: 'token', key: token } }
  if (mode !== 'raw') {
    options.transportClass = Kite.transport.SockJS
  }
  if (mode === 'xhr-polling') {
    options.transportOptions = { transports: ['xhr-polling'] }
  }
  const kite = new Kite(options)
  return new Promise((resolve, reject) => {
    kite.once('open', () => resolve(kite))
    kite.once('error', reject)
    kite.connect()
  })
}

async function check(name, token, method, args) {
  const started = Date.now()
  let kite
  let timer
  try {
    kite = await connect(token)
    const timeout = new Promise((resolve, reject) => {
      timer = setTimeout(() => reject(Object.assign(new Error('no answer'), { timedOut: true })), CHECK_TIMEOUT_MS)
    })
    const value = await Promise.race([kite.tell(method, args), timeout])
    emit({ check: name, outcome: 'result', value: value === undefined ? null : value, ms: Date.now() - started })
  } catch (e) {
    if (e && e.timedOut) {
      emit({ check: name, outcome: 'timeout', ms: Date.now() - started })
    } else {
      emit({ check: name, outcome: 'error', error: { name: e && e.name, type: e && e.type, message: e && e.message }, ms: Date.now() - started })
    }
  } finally {
    clearTimeout(timer)
    if (kite) {
      kite.disconnect()
    }
  }
}

async function main() {
  await check('validToken', process.env.KITE_TOKEN_VALID, 'squareAuth', [3])
  await check('forgedToken', process.env.KITE_TOKEN_FORGED, 'squareAuth', [3])
  await check('otherKitesToken', process.env.KITE_TOKEN_OTHER_KITE, 'squareAuth', [3])
  emit({ done: true })
  setTimeout(() => process.exit(0), 50)
}

main().catch((e) => {
  process.stderr.write(`unexpected failure: ${e && e.stack}\n`)
  process.exit(1)
})
