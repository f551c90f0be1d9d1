// Test harness: a page rendered by miniprogram-simulate, the wx storage in memory, and wx.request answered from
// the responses recorded from the real backend (fixtures/recorded.json, made by server/record.py).

const path = require('path')
const simulate = require('miniprogram-simulate')
const recorded = require('../fixtures/recorded.json')

const ROOT = path.resolve(__dirname, '../..')
const LOGIN = { method: 'POST', path: '/api/mp/v1/login', status: 200,
  body: { token: 'mps_recorded', expires_at: '2099-01-01T00:00:00+00:00', identity_bound: true } }

function clone(value) {
  return value === undefined ? undefined : JSON.parse(JSON.stringify(value))
}

function answer(name) {
  const found = recorded[name]
  if (!found) throw new Error(`no recorded answer ${name}`)
  return { method: found.method, path: found.path, status: found.status, body: found.body }
}

function templateRegex(template) {
  return new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{\w+\}/g, '[^/]+')}$`)
}

// Answer wx.request from `routes` (first match of method + path template wins; {fail: true} drops the
// connection; reply(call) answers {status, body} or {fail} per call). Returns the list of calls made, each {method, path, header, data}.
function backend(routes) {
  const calls = []
  const table = [...routes, LOGIN]
  wx.request = options => {
    const u = new URL(options.url)
    const call = { method: options.method || 'GET', path: u.pathname, query: u.search, header: options.header || {},
      data: options.data }
    calls.push(call)
    const route = table.find(r => r.method === call.method && templateRegex(r.path).test(call.path))
    Promise.resolve().then(() => {
      if (!route) return options.fail({ errMsg: `request:fail no route ${call.method} ${call.path}` })
      const reply = route.reply ? route.reply(call) : route
      if (reply.fail) return options.fail({ errMsg: 'request:fail timeout' })
      return options.success({ statusCode: reply.status, data: clone(reply.body), header: reply.header || {} })
    })
    return { abort() {} }
  }
  // wx.uploadFile answers like WeChat does: the body as a string, whatever its type.
  wx.uploadFile = options => {
    const u = new URL(options.url)
    const call = { method: 'POST', path: u.pathname, header: options.header || {}, upload: true, name: options.name,
      filePath: options.filePath, formData: options.formData }
    calls.push(call)
    const route = table.find(r => r.method === 'POST' && templateRegex(r.path).test(call.path))
    Promise.resolve().then(() => {
      if (!route) return options.fail({ errMsg: `uploadFile:fail no route ${call.path}` })
      const reply = route.reply ? route.reply(call) : route
      if (reply.fail) return options.fail({ errMsg: 'uploadFile:fail timeout' })
      return options.success({ statusCode: reply.status, data: JSON.stringify(reply.body) })
    })
    return { abort() {} }
  }
  wx.downloadFile = options => {
    calls.push({ method: 'GET', path: new URL(options.url).pathname, header: options.header, download: true })
    Promise.resolve().then(() => options.success({ statusCode: 200, tempFilePath: 'wxfile://tmp/poster' }))
  }
  return calls
}

function installWx() {
  const store = {}
  wx.getStorageSync = key => (key in store ? store[key] : '')
  wx.setStorageSync = (key, value) => { store[key] = value }
  wx.removeStorageSync = key => { delete store[key] }
  wx.login = options => Promise.resolve().then(() => options.success({ code: 'wx-login-code' }))
  global.getApp = () => ({ globalData: {} })
  return store
}

async function flush(times = 30) {
  for (let i = 0; i < times; i += 1) await Promise.resolve()
}

// Render a page (Component-built) and run its load/show lifecycle with `query`.
const loaded = {}

// A page's definition is loaded once per test file (its module runs once) and rendered afresh each time.
function pageId(name) {
  if (!loaded[name]) {
    loaded[name] = simulate.load(path.join(ROOT, 'pages', name, 'index'), `page-${name}`, { rootPath: ROOT })
  }
  return loaded[name]
}

async function openPage(name, query) {
  const page = simulate.render(pageId(name))
  page.attach(document.createElement('parent-wrapper'))
  if (page.instance.onLoad) await page.instance.onLoad(query || {})
  if (page.instance.onShow) await page.instance.onShow()
  await flush()
  return page
}

// The page's root element (miniprogram-simulate prefixes classes with the tag name: page-code--elder).
function root(page) {
  return page.dom.firstElementChild
}

function text(page) {
  return page.dom.textContent.replace(/\s+/g, ' ')
}

module.exports = { ROOT, answer, backend, flush, installWx, openPage, recorded, root, text }
