// 小程序与后端之间的唯一通道：会话（wx.login → /login，过期或被注销时自动重新登录一次）、统一的错误信封
// {"error": {"code", "message", "details"}}（把后端的中文说明原样给用户看）、只对安全的调用（GET，以及带
// Idempotency-Key 的写操作）在网络失败或 502/503/504 时退避重试、后端要求时自动带 Idempotency-Key。
// 上传证明材料用 upload()（wx.uploadFile，一次一个文件，不重试）。
// 只用 wx.* 接口：测试里用 miniprogram-simulate 的 wx，或在 Node 里换成真实网络（tests/api.node.test.js）。

const { ENDPOINTS } = require('./endpoints')
const config = require('./config')

const SESSION_KEY = 'sw_session'
const MAX_ATTEMPTS = 3
const BASE_DELAY_MS = 500
const RETRY_STATUSES = [502, 503, 504]
const MAX_RETRY_AFTER_S = 10
const NETWORK_MESSAGE = '网络连接失败，请检查网络后重试。'

class ApiError extends Error {
  constructor(status, code, message, details) {
    super(message)
    this.name = 'ApiError'
    this.status = status
    this.code = code
    this.details = details === undefined ? null : details
  }
}

const state = { baseUrl: config.baseUrl, pendingLogin: null, sleep: ms => new Promise(r => setTimeout(r, ms)) }

function configure(options) {
  Object.assign(state, options || {})
}

function fillPath(template, params) {
  return template.replace(/\{(\w+)\}/g, (_, name) => {
    const value = params && params[name]
    if (value === undefined || value === null || value === '') throw new Error(`缺少路径参数 ${name}`)
    return encodeURIComponent(String(value))
  })
}

function queryString(query) {
  const parts = Object.keys(query || {}).filter(k => query[k] !== undefined && query[k] !== null)
    .map(k => `${encodeURIComponent(k)}=${encodeURIComponent(String(query[k]))}`)
  return parts.length ? `?${parts.join('&')}` : ''
}

function url(name, params, query) {
  const ep = ENDPOINTS[name]
  if (!ep) throw new Error(`未登记的接口：${name}`)
  return state.baseUrl + fillPath(ep.path, params) + queryString(query)
}

function newIdempotencyKey() {
  const random = Math.random().toString(36).slice(2, 12).padEnd(10, '0')
  return `mp-${Date.now().toString(36)}-${random}`
}

function header(res, name) {
  const all = (res && res.header) || {}
  const key = Object.keys(all).find(k => k.toLowerCase() === name.toLowerCase())
  return key ? all[key] : undefined
}

function backoff(attempt, res) {
  const after = Number(header(res, 'Retry-After'))
  if (after > 0 && after <= MAX_RETRY_AFTER_S) return after * 1000
  return BASE_DELAY_MS * 2 ** (attempt - 1)
}

function toError(res) {
  const error = res && res.data && typeof res.data === 'object' ? res.data.error : null
  if (error && error.message) return new ApiError(res.statusCode, error.code, error.message, error.details)
  return new ApiError(res.statusCode, `http_${res.statusCode}`, `服务暂时不可用（HTTP ${res.statusCode}），请稍后再试。`)
}

function request(options) {
  return new Promise((resolve, reject) => {
    wx.request({ ...options, success: resolve, fail: reject })
  })
}

function wxLogin() {
  const dev = config.dev && config.dev.loginCode
  if (dev) return Promise.resolve({ code: dev }) // the local WeChat stand-in only (utils/config.js)
  return new Promise((resolve, reject) => {
    wx.login({ success: resolve, fail: () => reject(new ApiError(0, 'wx_login_failed', '微信登录失败，请稍后重试。')) })
  })
}

function storedSession() {
  const s = wx.getStorageSync(SESSION_KEY)
  return s && s.token && Date.parse(s.expires_at) - Date.now() > 60 * 1000 ? s : null
}

function clearSession() {
  wx.removeStorageSync(SESSION_KEY)
}

async function login() {
  const { code } = await wxLogin()
  const body = await call('login', { data: { code } })
  wx.setStorageSync(SESSION_KEY, { token: body.token, expires_at: body.expires_at, identity_bound: body.identity_bound })
  return body.token
}

function session() {
  const s = storedSession()
  if (s) return Promise.resolve(s.token)
  if (!state.pendingLogin) state.pendingLogin = login().finally(() => { state.pendingLogin = null })
  return state.pendingLogin
}

// Call an endpoint by name: {params} fill the path, {query} the query string, {data} the JSON body.
// Resolves with the parsed body; rejects with an ApiError whose message is Chinese and meant for the user.
async function call(name, options = {}) {
  const ep = ENDPOINTS[name]
  const target = url(name, options.params, options.query)
  const key = ep.idempotencyKey ? (options.idempotencyKey || newIdempotencyKey()) : null
  const safe = ep.method === 'GET' || Boolean(key)
  let relogged = false
  for (let attempt = 1; ; attempt += 1) {
    const head = { 'Content-Type': 'application/json' }
    const token = ep.auth === false ? null : await session()
    if (token) head.Authorization = `Bearer ${token}`
    if (key) head['Idempotency-Key'] = key
    let res
    try {
      res = await request({ url: target, method: ep.method, data: options.data, header: head, timeout: 15000 })
    } catch (e) {
      if (safe && attempt < MAX_ATTEMPTS) { await state.sleep(backoff(attempt)); continue }
      throw new ApiError(0, 'network', NETWORK_MESSAGE)
    }
    if (res.statusCode >= 200 && res.statusCode < 300) return res.data
    if (res.statusCode === 401 && token && !relogged) {
      // The session ended (expired, logged out, voided by 作废旧码 on another phone): log in again, once.
      clearSession()
      relogged = true
      attempt -= 1
      continue
    }
    const retryable = RETRY_STATUSES.includes(res.statusCode) ||
      (res.statusCode === 429 && Number(header(res, 'Retry-After')) <= MAX_RETRY_AFTER_S)
    if (safe && retryable && attempt < MAX_ATTEMPTS) { await state.sleep(backoff(attempt, res)); continue }
    throw toError(res)
  }
}

// A binary file (poster PDF/PNG) to a temporary path; rejects with an ApiError.
async function download(name, options = {}) {
  const token = await session()
  return new Promise((resolve, reject) => {
    wx.downloadFile({
      url: url(name, options.params, options.query),
      header: { Authorization: `Bearer ${token}` },
      success: res => (res.statusCode === 200 ? resolve(res.tempFilePath)
        : reject(new ApiError(res.statusCode, `http_${res.statusCode}`, `下载失败（HTTP ${res.statusCode}），请稍后再试。`))),
      fail: () => reject(new ApiError(0, 'network', NETWORK_MESSAGE)),
    })
  })
}

function parseBody(data) {
  if (typeof data !== 'string') return data
  try { return JSON.parse(data) } catch (e) { return data }
}

// One file as multipart/form-data (wx.uploadFile; field `files` unless `field` says otherwise) with the text
// fields in {formData}. Resolves with the parsed JSON answer. Never retried: the upload may have been kept.
async function upload(name, options = {}) {
  const ep = ENDPOINTS[name]
  if (!ep || !ep.upload) throw new Error(`不是上传接口：${name}`)
  const target = url(name, options.params, options.query)
  let relogged = false
  for (;;) {
    const token = await session()
    let res
    try {
      res = await new Promise((resolve, reject) => {
        wx.uploadFile({ url: target, filePath: options.filePath, name: options.field || 'files',
          formData: options.formData || {}, header: { Authorization: `Bearer ${token}` }, timeout: 60000,
          success: resolve, fail: reject })
      })
    } catch (e) {
      throw new ApiError(0, 'network', NETWORK_MESSAGE)
    }
    const answer = { statusCode: res.statusCode, data: parseBody(res.data) }
    if (res.statusCode >= 200 && res.statusCode < 300) return answer.data
    if (res.statusCode === 401 && !relogged) {
      clearSession()
      relogged = true
      continue
    }
    throw toError(answer)
  }
}

// Show an error to the user in Chinese (the backend's message as it is).
function showError(err) {
  const message = err && err.message && /[\u4e00-\u9fff]/.test(err.message) ? err.message : '操作失败，请稍后重试。'
  wx.showModal({ title: '提示', content: message, showCancel: false })
  return message
}

module.exports = { ApiError, ENDPOINTS, SESSION_KEY, call, clearSession, configure, download, login, session, showError,
  newIdempotencyKey, upload, url }
