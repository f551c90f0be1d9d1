// utils/api.js: the session, the error envelope, retries with backoff only for safe calls, Idempotency-Key.
const { backend, installWx } = require('./helpers/harness')
const api = require('../utils/api')

let waits

beforeEach(() => {
  installWx()
  waits = []
  api.configure({ sleep: ms => { waits.push(ms); return Promise.resolve() } })
  wx.showModal = jest.fn()
})

function flaky(method, path, failures, ok = { status: 200, body: { ok: true } }) {
  let n = 0
  return { method, path, reply: () => ((n += 1) <= failures.length ? failures[n - 1] : ok) }
}

test('a GET is retried with growing backoff on a dropped connection and on 502/503/504, then answers', async () => {
  const calls = backend([flaky('GET', '/api/mp/v1/me', [{ fail: true }, { status: 503, body: '' }])])
  await expect(api.call('me')).resolves.toEqual({ ok: true })
  expect(calls.filter(c => c.path === '/api/mp/v1/me')).toHaveLength(3)
  expect(waits).toEqual([500, 1000])
})

test('Retry-After (a few seconds) sets the wait; after three attempts the Chinese message is given', async () => {
  backend([flaky('GET', '/api/mp/v1/incentives', [
    { status: 503, header: { 'Retry-After': '2' }, body: { error: { code: 'unavailable', message: '服务繁忙，请稍后再试。' } } },
    { status: 503, body: { error: { code: 'unavailable', message: '服务繁忙，请稍后再试。' } } },
    { status: 503, body: { error: { code: 'unavailable', message: '服务繁忙，请稍后再试。' } } }])])
  await expect(api.call('incentives')).rejects.toMatchObject({ status: 503, code: 'unavailable', message: '服务繁忙，请稍后再试。' })
  expect(waits).toEqual([2000, 1000])
})

test('a POST without an Idempotency-Key is never retried: it may have been done', async () => {
  const calls = backend([flaky('POST', '/api/mp/v1/me/code/revoke', [{ fail: true }])])
  await expect(api.call('revokeCodes')).rejects.toMatchObject({ code: 'network', message: '网络连接失败，请检查网络后重试。' })
  expect(calls.filter(c => c.path === '/api/mp/v1/me/code/revoke')).toHaveLength(1)
  const again = backend([flaky('POST', '/api/mp/v1/me/merchants', [{ status: 503, body: '' }])])
  await expect(api.call('bindMerchant', { data: { binding_code: 'X' } })).rejects.toMatchObject({ status: 503 })
  expect(again.filter(c => c.path === '/api/mp/v1/me/merchants')).toHaveLength(1)
  expect(waits).toEqual([])
})

test('where the API asks for an Idempotency-Key, one key is sent and kept across the retries', async () => {
  api.ENDPOINTS.testGrant = { method: 'POST', path: '/api/mp/v1/test-grant', idempotencyKey: true }
  try {
    const calls = backend([flaky('POST', '/api/mp/v1/test-grant', [{ fail: true }, { status: 504, body: '' }])])
    await expect(api.call('testGrant', { data: {} })).resolves.toEqual({ ok: true })
    const keys = calls.filter(c => c.path === '/api/mp/v1/test-grant').map(c => c.header['Idempotency-Key'])
    expect(keys).toHaveLength(3)
    expect(new Set(keys).size).toBe(1)
    expect(keys[0]).toMatch(/^[!-~]{8,64}$/)
    const other = backend([flaky('POST', '/api/mp/v1/test-grant', [])])
    await api.call('testGrant', { data: {} })
    expect(other.find(c => c.path === '/api/mp/v1/test-grant').header['Idempotency-Key']).not.toBe(keys[0])
  } finally {
    delete api.ENDPOINTS.testGrant
  }
})

test('one login for concurrent calls; a 401 logs in again once and repeats the call', async () => {
  let sessions = 0
  const calls = backend([
    { method: 'POST', path: '/api/mp/v1/login', reply: () => ({ status: 200,
      body: { token: `mps_${(sessions += 1)}`, expires_at: '2099-01-01T00:00:00Z', identity_bound: true } }) },
    { method: 'GET', path: '/api/mp/v1/me', reply: c => (c.header.Authorization === 'Bearer mps_1'
      ? { status: 401, body: { error: { code: 'session_expired', message: '登录已过期，请重新登录。' } } }
      : { status: 200, body: { identity_bound: true } }) },
    { method: 'GET', path: '/api/mp/v1/incentives', status: 200, body: { items: [] } },
  ])
  await Promise.all([api.call('incentives'), api.call('incentives')])
  expect(calls.filter(c => c.path === '/api/mp/v1/login')).toHaveLength(1)
  await expect(api.call('me')).resolves.toEqual({ identity_bound: true })
  expect(calls.filter(c => c.path === '/api/mp/v1/login')).toHaveLength(2)
})

test('a second 401 is the user\'s to see, in Chinese; an answer that is no envelope says so in Chinese too', async () => {
  backend([{ method: 'GET', path: '/api/mp/v1/me', status: 401,
    body: { error: { code: 'invalid_session', message: '会话无效，请重新登录。' } } }])
  await expect(api.call('me')).rejects.toMatchObject({ status: 401, message: '会话无效，请重新登录。' })
  backend([{ method: 'GET', path: '/api/mp/v1/me/credit', status: 500, body: '<html>' }])
  const err = await api.call('myCredit').catch(e => e)
  expect(err.message).toBe('服务暂时不可用（HTTP 500），请稍后再试。')
  api.showError(err)
  expect(wx.showModal).toHaveBeenCalledWith(expect.objectContaining({ content: err.message, showCancel: false }))
})

test('path parameters are escaped and required', async () => {
  expect(api.url('merchantFile', { handle: 'a/b c' })).toMatch(/\/api\/mp\/v1\/me\/merchants\/a%2Fb%20c$/)
  expect(() => api.url('merchantFile', {})).toThrow('缺少路径参数 handle')
  expect(api.url('myScans', {}, { page: 2, per_page: 20 })).toMatch(/\/me\/scans\?page=2&per_page=20$/)
})

test('the shipped configuration has the development switches off', () => {
  const config = require('../utils/config')
  expect(config.dev).toEqual({ loginCode: '', skipFacialVerify: false })
})

test('an upload sends one file with its fields, is never retried, logs in again once on 401, reads the envelope', async () => {
  let n = 0
  const calls = backend([{ method: 'POST', path: '/api/mp/v1/me/objections/{number}/evidence', reply: () => {
    n += 1
    if (n === 1) return { fail: true }
    if (n === 2) return { status: 401, body: { error: { code: 'session_expired', message: '登录已过期，请重新登录。' } } }
    if (n === 3) return { status: 201, body: { items: [{ ref: 'UP1' }] } }
    return { status: 422, body: { error: { code: 'upload_type', message: '只接受 PDF、PNG 或 JPEG 文件。' } } }
  } }])
  const options = { params: { number: 'YY1' }, filePath: 'wxfile://tmp/a.pdf', formData: { note: 'x' } }
  await expect(api.upload('addObjectionEvidence', options)).rejects.toMatchObject({ code: 'network' })
  const uploads = () => calls.filter(c => c.upload)
  expect(uploads()).toHaveLength(1) // a dropped upload may have been kept: not sent again
  await expect(api.upload('addObjectionEvidence', options)).resolves.toEqual({ items: [{ ref: 'UP1' }] })
  expect(uploads()).toHaveLength(3)
  expect(uploads()[2]).toMatchObject({ name: 'files', filePath: 'wxfile://tmp/a.pdf', formData: { note: 'x' },
    path: '/api/mp/v1/me/objections/YY1/evidence' })
  expect(calls.filter(c => c.path === '/api/mp/v1/login')).toHaveLength(2)
  await expect(api.upload('addObjectionEvidence', options))
    .rejects.toMatchObject({ status: 422, code: 'upload_type', message: '只接受 PDF、PNG 或 JPEG 文件。' })
  expect(waits).toEqual([])
  await expect(api.upload('myCredit', {})).rejects.toThrow('不是上传接口')
})
