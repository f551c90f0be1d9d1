/**
 * @jest-environment node
 */
// The API module under Node against the real backend and the fake WeChat (server/launch.py): login → face
// verification → code → credit; and every call the pages make checked against the backend's /openapi.json.
const { spawn, execFileSync } = require('child_process')
const fs = require('fs')
const path = require('path')
const readline = require('readline')
const { endpointProblems, fixtureProblems, usageProblems } = require('./helpers/contract')

const REPO = path.resolve(__dirname, '../..')

function python() {
  if (process.env.MP_PYTHON) return process.env.MP_PYTHON
  const venv = path.join(REPO, '.venv', 'bin', 'python')
  return fs.existsSync(venv) ? venv : 'python3'
}

let server
let urls

beforeAll(async () => {
  server = spawn(python(), [path.join(__dirname, 'server', 'launch.py')], { stdio: ['pipe', 'pipe', 'pipe'] })
  let stderr = ''
  server.stderr.on('data', d => { stderr += d })
  urls = await new Promise((resolve, reject) => {
    const lines = readline.createInterface({ input: server.stdout })
    lines.once('line', line => resolve(JSON.parse(line)))
    server.once('exit', code => reject(new Error(`launcher exited ${code}: ${stderr.slice(-2000)}`)))
  })
}, 60000)

afterAll(() => {
  if (server) {
    server.stdin.end()
    server.kill()
  }
})

async function control(route, body) {
  const res = await fetch(urls.control + route, { method: 'POST', body: JSON.stringify(body || {}) })
  return res.json()
}

// wx.* for Node: real HTTP to the backend; wx.login and wx.requestFacialVerify do what the phone would.
function installNodeWx(openid) {
  const store = {}
  global.wx = {
    getStorageSync: k => (k in store ? store[k] : ''),
    setStorageSync: (k, v) => { store[k] = v },
    removeStorageSync: k => { delete store[k] },
    login: o => control('/login-code', { openid }).then(r => o.success({ code: r.code }), o.fail),
    requestFacialVerify: o => control('/face', { verify_id: o.verifyId }).then(() => o.success({ errCode: 0 }), o.fail),
    request: o => {
      const init = { method: o.method, headers: o.header }
      if (o.data !== undefined && o.method !== 'GET') init.body = JSON.stringify(o.data)
      fetch(o.url, init).then(async res => {
        const type = res.headers.get('content-type') || ''
        const data = type.includes('json') ? await res.json() : await res.text()
        o.success({ statusCode: res.status, data, header: Object.fromEntries(res.headers.entries()) })
      }, err => o.fail({ errMsg: `request:fail ${err.message}` }))
    },
  }
  return store
}

test('login → face verification → code → credit through utils/api.js, against the real backend', async () => {
  installNodeWx('o-node-contract')
  const api = require('../utils/api')
  api.configure({ baseUrl: urls.api })
  const me = await api.call('me')
  expect(me.identity_bound).toBe(false)
  await expect(api.call('code')).rejects.toMatchObject({ status: 403, code: 'identity_required', message: '请先完成实名绑定。' })

  const started = await api.call('startFaceVerification', { data: { name: '陈阿婆', id_number: urls.id_number } })
  await new Promise((resolve, reject) => wx.requestFacialVerify({ verifyId: started.verify_id, success: resolve, fail: reject }))
  const bound = await api.call('confirmFaceVerification', { params: { verification_id: started.verification_id } })
  expect(bound).toMatchObject({ identity_bound: true, display_name: '陈*婆' })

  const code = await api.call('code')
  expect(code.code.split('.')).toHaveLength(3)
  expect(code.refresh_at).toBeLessThan(code.expires_at)
  const credit = await api.call('myCredit')
  expect(credit).toMatchObject({ display_name: '陈*婆', list_status: { black: false } })
  expect(Array.isArray(credit.records)).toBe(true)
  const perks = await api.call('incentives')
  expect(perks.items.length).toBeGreaterThan(0)
  const scans = await api.call('myScans', { query: { page: 1, per_page: 5 } })
  expect(scans.meta.per_page).toBe(5)

  // A voided session logs in again by itself, once: the backend's own 401 drives it.
  await api.call('revokeCodes')
  wx.setStorageSync(api.SESSION_KEY, { token: 'mps_forged', expires_at: '2099-01-01T00:00:00Z' })
  expect((await api.call('me')).identity_bound).toBe(true)

  // The backend's error envelope reaches the caller with its Chinese message.
  await expect(api.call('bindMerchant', { data: { binding_code: 'ABC' } }))
    .rejects.toMatchObject({ status: 422, code: 'invalid_binding_code' })
  await expect(api.call('publicMerchant', { params: { ref: 'NoSuchOne' } }))
    .rejects.toMatchObject({ status: 404, code: 'merchant_not_found', message: expect.stringMatching(/[\u4e00-\u9fff]/) })
}, 60000)

test('every call of the pages matches /openapi.json (method, path, Idempotency-Key), and so do the recordings', async () => {
  const spec = await (await fetch(`${urls.api}/openapi.json`)).json()
  const { ENDPOINTS } = require('../utils/endpoints')
  expect(endpointProblems(spec, ENDPOINTS)).toEqual([])
  expect(usageProblems(ENDPOINTS)).toEqual([])
  expect(fixtureProblems(spec, require('./fixtures/recorded.json'))).toEqual([])
})

test('the drift check catches a moved path, a changed method and a missing Idempotency-Key', async () => {
  const spec = await (await fetch(`${urls.api}/openapi.json`)).json()
  const drifted = {
    moved: { method: 'GET', path: '/api/mp/v1/me/credit-file' },
    method: { method: 'POST', path: '/api/mp/v1/me/credit' },
    key: { method: 'POST', path: '/api/scan/v1/redemptions', auth: false },
  }
  const problems = endpointProblems(spec, drifted)
  expect(problems).toEqual([
    expect.stringContaining('moved'), expect.stringContaining('method'), expect.stringContaining('Idempotency-Key'),
    expect.stringContaining('needs a session'),
  ])
})

test('the launcher is the project\'s own: its interpreter imports the backend', () => {
  expect(execFileSync(python(), ['-c', 'import backend.app; print("ok")'], { cwd: REPO }).toString().trim()).toBe('ok')
})
