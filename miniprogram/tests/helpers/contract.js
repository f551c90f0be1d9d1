// Checks the mini-program's calls against the backend's OpenAPI document: every registered endpoint (method +
// path template) exists, Idempotency-Key is sent exactly where the API asks for it, pages call only registered
// endpoints through utils/api.js, and the recorded answers the page tests use come from real operations.

const fs = require('fs')
const path = require('path')

const ROOT = path.resolve(__dirname, '../..')

function operation(spec, method, template) {
  const item = spec.paths && spec.paths[template]
  return item ? item[method.toLowerCase()] : undefined
}

function asksIdempotencyKey(op) {
  return (op.parameters || []).some(p => p.in === 'header' && p.name.toLowerCase() === 'idempotency-key')
}

function endpointProblems(spec, endpoints) {
  const problems = []
  for (const [name, ep] of Object.entries(endpoints)) {
    const op = operation(spec, ep.method, ep.path)
    if (!op) {
      problems.push(`${name}: ${ep.method} ${ep.path} is not in /openapi.json`)
      continue
    }
    // keyAhead: the client sends a key the backend is adding; both states of the spec pass until it lands.
    if (asksIdempotencyKey(op) !== Boolean(ep.idempotencyKey) && !(ep.keyAhead && ep.idempotencyKey)) {
      problems.push(`${name}: ${ep.method} ${ep.path} ${asksIdempotencyKey(op) ? 'asks for' : 'has no'} Idempotency-Key`)
    }
    // wx.uploadFile sends multipart/form-data, and nothing else.
    if (ep.upload && !Object.keys((op.requestBody && op.requestBody.content) || {}).includes('multipart/form-data')) {
      problems.push(`${name}: ${ep.method} ${ep.path} takes no multipart/form-data upload`)
    }
    const secured = (op.security || spec.security || []).length > 0
    if (ep.auth === false && secured) problems.push(`${name}: ${ep.method} ${ep.path} needs a session`)
  }
  return problems
}

function sources(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(entry => {
    const full = path.join(dir, entry.name)
    if (entry.isDirectory()) return ['node_modules', 'tests', 'vendor'].includes(entry.name) ? [] : sources(full)
    return entry.name.endsWith('.js') ? [full] : []
  })
}

// Every api.call/api.download name used in the sources, and the files that reach the network another way.
function usage() {
  const names = new Map()
  const direct = []
  for (const file of sources(ROOT)) {
    const code = fs.readFileSync(file, 'utf8')
    const rel = path.relative(ROOT, file)
    for (const m of code.matchAll(/\bapi\.(?:call|download|upload)\(\s*'(\w+)'/g)) names.set(m[1], [...(names.get(m[1]) || []), rel])
    for (const m of code.matchAll(/\bcall\(\s*'(\w+)'/g)) if (rel === path.join('utils', 'api.js')) names.set(m[1], ['utils/api.js'])
    if (rel !== path.join('utils', 'api.js') && /wx\.(request|downloadFile|uploadFile|connectSocket)\s*\(/.test(code)) {
      direct.push(rel)
    }
  }
  return { names, direct }
}

function usageProblems(endpoints) {
  const { names, direct } = usage()
  const problems = direct.map(f => `${f} reaches the network without utils/api.js`)
  for (const [name, files] of names) if (!endpoints[name]) problems.push(`${files.join(', ')}: unknown endpoint ${name}`)
  for (const name of Object.keys(endpoints)) if (!names.has(name)) problems.push(`endpoint ${name} is used by no page`)
  return problems
}

function fixtureProblems(spec, recorded) {
  return Object.entries(recorded).filter(([, r]) => !operation(spec, r.method, r.path))
    .map(([name, r]) => `recorded answer ${name}: ${r.method} ${r.path} is not in /openapi.json`)
}

module.exports = { endpointProblems, fixtureProblems, usageProblems, usage }
