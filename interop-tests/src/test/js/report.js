// What every check script shares: one JSON line per check on stdout, read by the Java side
// (NodeScript), each check bounded by KITE_CHECK_TIMEOUT_MS (default 10 s).

const CHECK_TIMEOUT_MS = Number(process.env.KITE_CHECK_TIMEOUT_MS || 10000)

function emit(line) {
  process.stdout.write(JSON.stringify(line) + '\n')
}

function describeError(e) {
  if (e == null) {
    return { name: String(e) }
  }
  return { name: e.name, type: e.type, message: e.message, code: e.code }
}

function withTimeout(promise, ms) {
  let timer
  const timeout = new Promise((resolve, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error(`no answer within ${ms} ms`), { timedOut: true })), ms)
  })
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer))
}

// Runs one check: `body` returns a promise of the value to report (or rejects with the error).
// Resolves with the value, or undefined when the check failed or timed out.
async function check(name, body) {
  const started = Date.now()
  try {
    const value = await withTimeout(Promise.resolve().then(body), CHECK_TIMEOUT_MS)
    emit({ check: name, outcome: 'result', value: value === undefined ? null : value, ms: Date.now() - started })
    return value
  } catch (e) {
    if (e && e.timedOut) {
      emit({ check: name, outcome: 'timeout', message: e.message, ms: Date.now() - started })
    } else {
      emit({ check: name, outcome: 'error', error: describeError(e), ms: Date.now() - started })
    }
    return undefined
  }
}

module.exports = { CHECK_TIMEOUT_MS, emit, describeError, withTimeout, check }
