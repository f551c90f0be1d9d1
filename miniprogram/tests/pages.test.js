// Every page renders from the responses recorded from the real backend; large-text mode changes sizes.
const { answer, backend, installWx, openPage, root, text } = require('./helpers/harness')
const api = require('../utils/api')
const elder = require('../utils/elder')

beforeEach(() => {
  installWx()
  wx.showModal = jest.fn()
  wx.showToast = jest.fn()
  wx.navigateTo = jest.fn()
})

test('我的信用 shows the grade, its breakdown, my records with their publication windows and history', async () => {
  const calls = backend([answer('GET /api/mp/v1/me/credit')])
  const page = await openPage('credit')
  const shown = text(page)
  expect(shown).toContain('良')
  expect(shown).toContain('信用良好')
  expect(shown).toContain('汕尾市优秀志愿者')
  expect(shown).toContain('占道经营')
  expect(shown).toContain('行政处罚（轻微）')
  expect(shown).toContain('表彰奖励 +6 分')
  expect(shown).toContain('等级变化')
  expect(page.querySelectorAll('.record').length).toBe(2)
  expect(calls.map(c => `${c.method} ${c.path}`)).toEqual(['POST /api/mp/v1/login', 'GET /api/mp/v1/me/credit'])
  expect(calls[1].header.Authorization).toBe('Bearer mps_recorded')
})

test('扫码记录 lists each scan with what was granted or refused', async () => {
  backend([answer('GET /api/mp/v1/me/scans')])
  const page = await openPage('scans')
  expect(page.querySelectorAll('.scan').length).toBe(2)
  expect(text(page)).toContain('信用+公交')
  expect(text(page)).toContain('已享受：信用+公交 乘车九折')
})

test('可享优惠 puts the perks I can get now first, with their quota left', async () => {
  backend([answer('GET /api/mp/v1/incentives')])
  const page = await openPage('perks')
  const perks = page.querySelectorAll('.perk')
  expect(perks.length).toBe(4)
  expect(text(page)).toContain('现在可享 2 项')
  expect(perks[0].dom.textContent).toContain('可享受')
  expect(text(page)).toContain('今日次数已用完')
})

test('实名认证: face verification with the verify id the backend opened, then confirmed', async () => {
  const calls = backend([answer('GET /api/mp/v1/me (unbound)'),
    answer('POST /api/mp/v1/me/identity/face-verifications'),
    answer('POST /api/mp/v1/me/identity/face-verifications/{verification_id}/confirm')])
  wx.requestFacialVerify = jest.fn(options => Promise.resolve().then(() => options.success({ errCode: 0 })))
  const page = await openPage('verify')
  expect(text(page)).toContain('人脸核身')
  expect(text(page)).toContain('到窗口办理')
  page.instance.setData({ name: '陈晓明', idNumber: '441502199001010774' })
  await page.instance.startFace()
  const started = answer('POST /api/mp/v1/me/identity/face-verifications').body
  expect(wx.requestFacialVerify.mock.calls[0][0].verifyId).toBe(started.verify_id)
  expect(calls.map(c => c.path)).toContain(`/api/mp/v1/me/identity/face-verifications/${started.verification_id}/confirm`)
  expect(text(page)).toContain('已完成实名认证')
  expect(text(page)).toContain('陈*明')
})

test('实名认证: the counter alternative shows a one-time code for the service window', async () => {
  backend([answer('GET /api/mp/v1/me (unbound)'), answer('POST /api/mp/v1/me/identity/counter-code')])
  const page = await openPage('verify')
  await page.instance.getCounterCode()
  expect(text(page)).toContain(answer('POST /api/mp/v1/me/identity/counter-code').body.counter_code)
  expect(text(page)).toContain('只能使用一次')
})

test('商户: binding by code, then my merchant with its inspections and the poster download', async () => {
  const calls = backend([answer('GET /api/mp/v1/me/merchants'), answer('POST /api/mp/v1/me/merchants'),
    answer('GET /api/mp/v1/me/merchants/{handle}')])
  const owner = await openPage('owner')
  expect(text(owner)).toContain('阿海鲜活水产')
  owner.instance.setData({ bindingCode: 'ABCDE-FGHJK' })
  await owner.instance.bind()
  expect(calls.find(c => c.method === 'POST' && c.path === '/api/mp/v1/me/merchants').data)
    .toEqual({ binding_code: 'ABCDE-FGHJK' })

  const handle = answer('GET /api/mp/v1/me/merchants/{handle}').body.handle
  wx.openDocument = jest.fn()
  const detail = await openPage('owner-detail', { handle })
  expect(text(detail)).toContain('鲜活对虾')
  expect(text(detail)).toContain('合格')
  await detail.instance.posterPdf()
  expect(calls.find(c => c.download).path).toBe(`/api/mp/v1/me/merchants/${handle}/poster.pdf`)
  expect(wx.openDocument).toHaveBeenCalledWith(expect.objectContaining({ fileType: 'pdf' }))
})

test('a scanned merchant sticker opens the merchant credit view (mini-program code scene and sticker URL)', async () => {
  const calls = backend([answer('GET /api/public/v1/merchants/{ref}')])
  wx.setNavigationBarTitle = jest.fn()
  const handle = answer('GET /api/public/v1/merchants/{ref}').body.handle
  const page = await openPage('merchant', { scene: encodeURIComponent(`m=${handle}`) })
  expect(text(page)).toContain('阿海鲜活水产')
  expect(text(page)).toContain('信用良好')
  expect(text(page)).toContain('鲜活对虾')
  expect(calls).toEqual([expect.objectContaining({ path: `/api/public/v1/merchants/${handle}` })])
  expect(calls[0].header.Authorization).toBeUndefined() // public: no session
  const { refOf } = require('../pages/merchant/index')
  expect(refOf({ q: encodeURIComponent(`https://xy.example/m/${handle}-3`) })).toBe(`${handle}-3`)
})

test('the home page lists the entries and switches large-text mode', async () => {
  backend([answer('GET /api/mp/v1/me')])
  const page = await openPage('index')
  expect(text(page)).toContain('您好，陈*明')
  expect(text(page)).toContain('我的信用码')
  page.instance.toggleElder({ detail: { value: true } })
  expect(elder.isElder()).toBe(true)
  expect(root(page).className).toContain('elder')
})

const PAGES = [
  ['credit', [answer('GET /api/mp/v1/me/credit')], {}],
  ['scans', [answer('GET /api/mp/v1/me/scans')], {}],
  ['perks', [answer('GET /api/mp/v1/incentives')], {}],
  ['verify', [answer('GET /api/mp/v1/me (unbound)')], {}],
  ['owner', [answer('GET /api/mp/v1/me/merchants')], {}],
  ['owner-detail', [answer('GET /api/mp/v1/me/merchants/{handle}')], { handle: 'h' }],
  ['merchant', [answer('GET /api/public/v1/merchants/{ref}')], { ref: 'h' }],
  ['index', [answer('GET /api/mp/v1/me')], {}],
  ['code', [answer('GET /api/mp/v1/me/code')], {}],
]

function fontSizes(page) {
  return [...page.dom.querySelectorAll('[style*="font-size"]')]
    .map(el => Number(/font-size:\s*(\d+)(?:rpx|px)/.exec(el.getAttribute('style'))[1]))
}

test.each(PAGES)('长辈模式 makes the text of the %s page larger', async (name, routes, query) => {
  wx.setNavigationBarTitle = jest.fn()
  backend(routes)
  const normal = await openPage(name, query)
  const small = fontSizes(normal)
  expect(root(normal).className).not.toContain('elder')
  elder.setElder(true)
  api.clearSession()
  backend(routes)
  const large = await openPage(name, query)
  const big = fontSizes(large)
  expect(root(large).className).toContain('elder')
  expect(big.length).toBe(small.length)
  expect(big.length).toBeGreaterThan(0)
  big.forEach((size, i) => expect(size).toBeGreaterThan(small[i]))
  if (large.instance.onUnload) large.instance.onUnload()
  if (normal.instance.onUnload) normal.instance.onUnload()
})

test('an error answer shows the backend\'s Chinese message', async () => {
  backend([{ method: 'GET', path: '/api/mp/v1/me/credit', status: 403,
    body: answer('GET /api/mp/v1/me/code (unbound)').body }])
  const page = await openPage('credit')
  expect(text(page)).toContain('请先完成实名绑定。')
  expect(wx.navigateTo).toHaveBeenCalledWith({ url: '/pages/verify/index' })
})
