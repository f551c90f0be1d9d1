/**
 * @jest-environment node
 */
// The API module under Node against the real backend and the fake WeChat (server/launch.py): login → face
// verification → code → credit; and every call the pages make checked against the backend's /openapi.json.
const { spawn, execFileSync } = require('child_process')
const fs = require('fs')
const os = require('os')
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
const sent = [] // every request's method, path and headers, as they left the API module

function installNodeWx(openid) {
  const store = {}
  global.wx = {
    getStorageSync: k => (k in store ? store[k] : ''),
    setStorageSync: (k, v) => { store[k] = v },
    removeStorageSync: k => { delete store[k] },
    login: o => control('/login-code', { openid }).then(r => o.success({ code: r.code }), o.fail),
    requestFacialVerify: o => control('/face', { verify_id: o.verifyId }).then(() => o.success({ errCode: 0 }), o.fail),
    // As WeChat does it: one file as multipart/form-data with the text fields, the answer's body as a string.
    uploadFile: o => {
      const form = new FormData()
      Object.entries(o.formData || {}).forEach(([k, v]) => form.append(k, v))
      form.append(o.name, new Blob([fs.readFileSync(o.filePath)], { type: 'application/pdf' }), path.basename(o.filePath))
      fetch(o.url, { method: 'POST', headers: o.header, body: form })
        .then(async res => o.success({ statusCode: res.status, data: await res.text() }),
          err => o.fail({ errMsg: `uploadFile:fail ${err.message}` }))
    },
    downloadFile: o => {
      fetch(o.url, { headers: o.header }).then(async res => {
        const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'mp-download-')), 'file')
        fs.writeFileSync(file, Buffer.from(await res.arrayBuffer()))
        o.success({ statusCode: res.status, tempFilePath: file })
      }, err => o.fail({ errMsg: `downloadFile:fail ${err.message}` }))
    },
    request: o => {
      sent.push({ method: o.method, path: new URL(o.url).pathname, header: o.header })
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

test('the credit services through utils/api.js against the real backend: objection with evidence, declaration, report', async () => {
  installNodeWx('o-node-services')
  const api = require('../utils/api')
  api.configure({ baseUrl: urls.api })
  const { id_number: idNumber } = await control('/resident', { n: 3 })
  const started = await api.call('startFaceVerification', { data: { name: '林秀英', id_number: idNumber } })
  await control('/face', { verify_id: started.verify_id })
  await api.call('confirmFaceVerification', { params: { verification_id: started.verification_id } })
  const { record_id: recordId } = await control('/penalty', { id_number: idNumber, days_ago: 20 })
  const credit = await api.call('myCredit')
  const record = credit.records.find(r => r.id === recordId)
  expect(record).toMatchObject({ repairable: true, publication_state: 'published' })

  const proof = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'mp-proof-')), 'proof.pdf')
  fs.writeFileSync(proof, '%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n')

  // The commitment the repair page shows (and sends as commitment_content) is the backend's standard text.
  global.Component = global.Component || (() => {}) // the page module, outside the simulator
  global.Behavior = global.Behavior || (o => o)
  const { COMMITMENT_TEXT } = require('../pages/repair/index')
  expect((await api.call('repairCommitment')).text).toBe(COMMITMENT_TEXT)

  // 信用修复 too early: the upload reaches the backend and its refusal comes back in Chinese.
  await expect(api.upload('applyRepair', { filePath: proof, formData: { record_id: String(recordId),
    statement: '已缴清罚款。', sign_commitment: 'true' } }))
    .rejects.toMatchObject({ status: 422, code: 'repair_too_early', message: expect.stringContaining('起可申请信用修复') })
  expect((await api.call('myRepairs')).items).toEqual([])

  // 异议 with a correction, then one evidence file; a second objection to it is refused with the first's number.
  const objection = await api.call('fileObjection', { data: { item: 'record', item_id: recordId, grounds: 'wrong_facts',
    statement: '决定书载明的摊位号有误，并非本人经营。', corrections: [{ field: 'title', current: record.title, proposed: '（摊位号有误）' }] } })
  expect(objection).toMatchObject({ state: 'submitted', item_id: recordId, corrections: [{ field: 'title', applied: false }] })
  const uploaded = await api.upload('addObjectionEvidence', { params: { number: objection.number }, filePath: proof })
  expect(uploaded.items).toEqual([expect.objectContaining({ filename: 'proof.pdf', content_type: 'application/pdf' })])
  expect((await api.call('myObjection', { params: { number: objection.number } })).evidence).toHaveLength(1)
  const mine = await api.call('myObjections', { query: { page: 1, per_page: 20 } })
  expect(mine.items.map(o => o.number)).toEqual([objection.number])
  await expect(api.call('fileObjection', { data: { item: 'record', item_id: recordId, grounds: 'other', statement: '再次提出异议。' } }))
    .rejects.toMatchObject({ status: 409, code: 'objection_open', details: { open_objection: objection.number } })

  // 自主申报 under the commitment the backend gives (sent with an Idempotency-Key), its evidence, the preference.
  const commitment = await api.call('declarationCommitment')
  expect(commitment.type_zh).toBe('主动型')
  const declared = await api.call('declare', { data: { category: 'honour', title: '汕尾市优秀志愿者', issuer: '汕尾市志愿者联合会',
    document_no: 'SWZY2026-0001', issued_on: record.decided_on, department: '汕尾市民政局', commitment_accepted: true } })
  expect(declared).toMatchObject({ category_zh: '表彰奖励', commitment: { text: commitment.text } })
  const declaring = sent.filter(r => r.method === 'POST' && r.path === '/api/mp/v1/me/declarations')
  expect(declaring).toHaveLength(1)
  expect(declaring[0].header['Idempotency-Key']).toMatch(/^[!-~]{8,64}$/) // the spec asks for it
  await api.upload('addDeclarationEvidence', { params: { number: declared.number }, filePath: proof })
  expect((await api.call('myDeclarations', { query: { page: 1, per_page: 20 } })).items.map(d => d.number)).toEqual([declared.number])
  expect(await api.call('setPreferences', { data: { hides_positive: true } })).toMatchObject({ hides_positive: true })
  expect((await api.call('preferences')).hides_positive).toBe(true)

  // 专项信用报告: a retry with the same key is the same report and uses one free report.
  const body = { period_from: record.decided_on, period_to: record.decided_on, domains: ['admin_penalty'], purpose: '招投标' }
  const key = api.newIdempotencyKey()
  const report = await api.call('requestReport', { data: body, idempotencyKey: key })
  const again = await api.call('requestReport', { data: body, idempotencyKey: key })
  expect(again.report_no).toBe(report.report_no)
  const reports = await api.call('myReports', { query: { page: 1, per_page: 20 } })
  expect(reports.quota).toMatchObject({ free_used: 1 })
  const pdf = await api.download('reportPdf', { params: { report_no: report.report_no } })
  expect(fs.readFileSync(pdf).subarray(0, 5).toString()).toBe('%PDF-')

  // 谁查询了我, 消息订阅.
  const queries = await api.call('myQueries', { query: { page: 1, per_page: 20 } })
  expect(queries.items[0]).toMatchObject({ kind: 'report', ref: report.report_no })
  const templates = await api.call('subscribeTemplates')
  expect(templates.items.length).toBeGreaterThan(0)
  const results = Object.fromEntries(templates.items.map(t => [t.template_id, 'accept']))
  const saved = await api.call('reportSubscriptions', { data: { results } })
  expect(saved.items.map(i => i.choice)).toEqual(templates.items.map(() => 'accept'))
  expect(Array.isArray((await api.call('myMessages')).items)).toBe(true)
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

test('a key sent ahead of the spec passes either way; an upload to an operation that takes no form is caught', async () => {
  const spec = await (await fetch(`${urls.api}/openapi.json`)).json()
  expect(endpointProblems(spec, {
    ahead: { method: 'POST', path: '/api/mp/v1/me/objections', idempotencyKey: true, keyAhead: true },
    asked: { method: 'POST', path: '/api/mp/v1/me/reports', idempotencyKey: true, keyAhead: true },
    proofs: { method: 'POST', path: '/api/mp/v1/me/objections/{number}/evidence', upload: true },
  })).toEqual([])
  expect(endpointProblems(spec, {
    notAhead: { method: 'POST', path: '/api/mp/v1/me/objections', idempotencyKey: true },
    jsonOnly: { method: 'POST', path: '/api/mp/v1/me/objections', upload: true },
  })).toEqual([expect.stringContaining('has no Idempotency-Key'), expect.stringContaining('takes no multipart/form-data upload')])
})

test('the launcher is the project\'s own: its interpreter imports the backend', () => {
  expect(execFileSync(python(), ['-c', 'import backend.app; print("ok")'], { cwd: REPO }).toString().trim()).toBe('ok')
})
