// 我的信用码 with fake timers: refreshed at the server's refresh_at, brightness up while shown, a live clock and
// a moving band, the offline and expired states, back online, and 作废旧码.
const { answer, backend, installWx, openPage, text } = require('./helpers/harness')

const recordedCode = answer('GET /api/mp/v1/me/code').body
const LIFETIME = recordedCode.expires_at - recordedCode.refresh_at + recordedCode.refresh_in // seconds

function codeBody(n) {
  // What the backend answers, the recorded body with a new token and times relative to now.
  const now = Math.floor(Date.now() / 1000)
  return { ...recordedCode, code: `${recordedCode.code}-${n}`, refresh_at: now + recordedCode.refresh_in,
    expires_at: now + LIFETIME }
}

let issued
let online
let network

beforeEach(() => {
  jest.useFakeTimers({ now: new Date('2026-12-01T04:00:00Z') })
  installWx()
  issued = 0
  online = true
  wx.setScreenBrightness = jest.fn()
  wx.getScreenBrightness = jest.fn(o => o.success({ value: 0.4 }))
  wx.setKeepScreenOn = jest.fn()
  wx.showToast = jest.fn()
  wx.onNetworkStatusChange = jest.fn(handler => { network = handler })
  wx.offNetworkStatusChange = jest.fn()
})

afterEach(() => {
  jest.useRealTimers()
})

function codeRoutes(extra = []) {
  return backend([...extra, { method: 'GET', path: '/api/mp/v1/me/code',
    reply: () => (online ? { status: 200, body: codeBody((issued += 1)) } : { fail: true }) }])
}

function codeCalls(calls) {
  return calls.filter(c => c.path === '/api/mp/v1/me/code').length
}

test('the code is shown large with the grade, brightness raised, and refreshed exactly at refresh_at', async () => {
  const calls = codeRoutes()
  const page = await openPage('code')
  expect(page.instance.data.state).toBe('ok')
  expect(page.instance.data.token).toBe(`${recordedCode.code}-1`)
  expect(text(page)).toContain(recordedCode.grade_zh)
  expect(wx.setScreenBrightness).toHaveBeenCalledWith({ value: 1 })
  expect(wx.setKeepScreenOn).toHaveBeenCalledWith({ keepScreenOn: true })

  await jest.advanceTimersByTimeAsync((recordedCode.refresh_in - 1) * 1000)
  expect(codeCalls(calls)).toBe(1) // not before refresh_at
  await jest.advanceTimersByTimeAsync(1000)
  expect(codeCalls(calls)).toBe(2)
  expect(page.instance.data.token).toBe(`${recordedCode.code}-2`)
  await jest.advanceTimersByTimeAsync(recordedCode.refresh_in * 1000)
  expect(codeCalls(calls)).toBe(3)

  page.instance.onHide()
  expect(wx.setScreenBrightness).toHaveBeenLastCalledWith({ value: 0.4 }) // given back when the code is hidden
  await jest.advanceTimersByTimeAsync(10 * recordedCode.refresh_in * 1000)
  expect(codeCalls(calls)).toBe(3) // no refreshing behind the user's back
})

test('a live clock ticks and the band in the grade colour moves every second', async () => {
  codeRoutes()
  const page = await openPage('code')
  const first = { clock: page.instance.data.clock, band: page.instance.data.bandOffset }
  expect(first.clock).toBe('12:00:00') // Beijing time
  expect(page.instance.data.color).toBe('#2f7de1') // 良
  await jest.advanceTimersByTimeAsync(1000)
  expect(page.instance.data.clock).toBe('12:00:01')
  expect(page.instance.data.bandOffset).not.toBe(first.band)
  const band = page.dom.querySelector('[style*="left:"]')
  expect(band.getAttribute('style')).toContain('#2f7de1')
  page.instance.onUnload()
})

test('offline: the current code stays while valid, with a clear notice; then expired; back online it refreshes',
  async () => {
    const calls = codeRoutes()
    const page = await openPage('code')
    online = false
    network({ isConnected: false, networkType: 'none' })
    expect(page.instance.data.state).toBe('offline')
    expect(text(page)).toContain('网络已断开')
    await jest.advanceTimersByTimeAsync(recordedCode.refresh_in * 1000) // refresh_at passes: nothing to fetch with
    expect(page.instance.data.state).toBe('offline')
    expect(page.instance.data.token).toBe(`${recordedCode.code}-1`)

    await jest.advanceTimersByTimeAsync((LIFETIME - recordedCode.refresh_in) * 1000)
    expect(page.instance.data.state).toBe('expired')
    expect(text(page)).toContain('信用码已过期')

    online = true
    network({ isConnected: true, networkType: 'wifi' })
    await jest.advanceTimersByTimeAsync(0)
    expect(page.instance.data.state).toBe('ok')
    expect(page.instance.data.token).toBe(`${recordedCode.code}-2`)
    expect(codeCalls(calls)).toBe(2) // nothing was tried while the phone said it was offline
    page.instance.onUnload()
  })

test('a failed refresh while online keeps retrying, and the code turns expired on time', async () => {
  codeRoutes()
  const page = await openPage('code')
  online = false // the server is unreachable though the phone thinks it is online
  await jest.advanceTimersByTimeAsync(LIFETIME * 1000 + 1000)
  expect(page.instance.data.state).toBe('expired')
  online = true
  await jest.advanceTimersByTimeAsync(6000) // the next retry
  expect(page.instance.data.state).toBe('ok')
  page.instance.onUnload()
})

test('作废旧码 asks first, voids the old codes and shows a fresh one', async () => {
  const calls = codeRoutes([answer('POST /api/mp/v1/me/code/revoke')])
  wx.showModal = jest.fn(options => options.success({ confirm: true }))
  const page = await openPage('code')
  page.instance.revoke()
  await jest.advanceTimersByTimeAsync(0)
  expect(wx.showModal.mock.calls[0][0].content).toContain('作废')
  expect(calls.map(c => `${c.method} ${c.path}`)).toContain('POST /api/mp/v1/me/code/revoke')
  expect(page.instance.data.token).toBe(`${recordedCode.code}-2`)
  expect(wx.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '旧码已作废' }))
  page.instance.onUnload()
})

test('an unbound account is sent to 实名认证 with the backend\'s message', async () => {
  backend([answer('GET /api/mp/v1/me/code (unbound)')])
  const page = await openPage('code')
  expect(page.instance.data.state).toBe('unbound')
  expect(text(page)).toContain('请先完成实名绑定。')
  expect(text(page)).toContain('去实名认证')
  page.instance.onUnload()
})
