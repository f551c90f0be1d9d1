// The credit-service pages (信用修复, 异议, 自主申报, 我的信用报告, 谁查询了我, 消息订阅) render from the answers recorded
// from the real backend (server/record.py, 林秀英's scenario), their main action calls the right endpoint with the
// right body and headers, and 长辈模式 makes their text larger.
const { answer, backend, installWx, openPage, root, text, flush } = require('./helpers/harness')
const api = require('../utils/api')
const elder = require('../utils/elder')
const { addDays, dateZh } = require('../utils/format')

const CREDIT = 'GET /api/mp/v1/me/credit (services)'

beforeEach(() => {
  installWx()
  wx.showModal = jest.fn()
  wx.showToast = jest.fn()
  wx.navigateTo = jest.fn()
  wx.chooseMessageFile = jest.fn(options => Promise.resolve().then(() => options.success({ tempFiles: [
    { path: 'wxfile://tmp/proof-1.pdf', name: '缴款凭证.pdf', size: 51 },
    { path: 'wxfile://tmp/proof-2.pdf', name: '摊位租赁合同.pdf', size: 51 }].slice(0, options.count) })))
})

function writes(calls) {
  return calls.filter(c => c.method !== 'GET' && c.path !== '/api/mp/v1/login')
}

// First answer `before`, then `after` (a list read again once the write is done).
function then(before, after) {
  let n = 0
  return { method: before.method, path: before.path, reply: () => ((n += 1) === 1 ? before : after) }
}

test('信用修复: my records with their windows and when repair is possible; applying uploads the proof and signs', async () => {
  const calls = backend([answer(CREDIT),
    then(answer('GET /api/mp/v1/me/repairs (none yet)'), answer('GET /api/mp/v1/me/repairs')),
    answer('POST /api/mp/v1/me/repairs'), answer('GET /api/mp/v1/me/repairs/commitment')])
  const page = await openPage('repair')
  const shown = text(page)
  // Dates as recorded (the recorder files the penalties some days before the day it runs).
  const old = answer(CREDIT).body.records.find(r => r.title === '未按规定公示食品经营许可')
  const recent = answer(CREDIT).body.records.find(r => r.title === '销售不合格食用农产品')
  expect(shown).toContain('未按规定公示食品经营许可')
  expect(shown).toContain(`最短公示期至 ${dateZh(old.min_publish_until)}，最长公示至 ${dateZh(old.max_publish_until)}`)
  expect(shown).toContain('已满最短公示期，现在可以申请信用修复（免费）')
  // the recent one: possible from the day after its minimum period, by the server's date, not the phone's
  expect(shown).toContain(`${dateZh(addDays(recent.min_publish_until, 1))}起可申请信用修复`)
  expect(page.querySelectorAll('.record').length).toBe(2)

  page.instance.start({ currentTarget: { dataset: { id: old.id } } })
  await flush()
  const { COMMITMENT_TEXT } = require('../pages/repair/index')
  expect(answer('GET /api/mp/v1/me/repairs/commitment').body.text).toBe(COMMITMENT_TEXT)
  expect(text(page)).toContain(COMMITMENT_TEXT)
  page.instance.onStatement({ detail: { value: '已于期限内缴清罚款，并在店内显著位置公示了食品经营许可证。' } })
  await page.instance.submit()
  expect(page.instance.data.error).toBe('请上传证明材料（如缴款凭证、整改报告）。')
  await page.instance.pickFile()
  await page.instance.submit()
  expect(page.instance.data.error).toContain('信用修复承诺')
  expect(writes(calls)).toEqual([])
  page.instance.onSign({ detail: { value: ['signed'] } })
  await page.instance.submit()
  await flush()

  const [sent] = writes(calls)
  expect(sent).toMatchObject({ path: '/api/mp/v1/me/repairs', upload: true, name: 'files', filePath: 'wxfile://tmp/proof-1.pdf',
    formData: { record_id: String(old.id), sign_commitment: 'true', commitment_content: COMMITMENT_TEXT } })
  expect(sent.header.Authorization).toBe('Bearer mps_recorded')
  const shownAfter = text(page)
  expect(shownAfter).toContain(answer('POST /api/mp/v1/me/repairs').body.ref)
  expect(shownAfter).toContain('已提交，待受理')
  expect(shownAfter).toContain(`应于 ${dateZh(answer('POST /api/mp/v1/me/repairs').body.accept_due)} 前受理`)
  expect(shownAfter).toContain('信用修复申请办理中')
})

test('信用修复: a returned application lists what is missing and is completed with a file and a note', async () => {
  const done = answer('POST /api/mp/v1/me/repairs/{ref}/completion')
  const calls = backend([answer(CREDIT), then(answer('GET /api/mp/v1/me/repairs (returned)'), answer('GET /api/mp/v1/me/repairs')),
    done])
  const page = await openPage('repair')
  const ref = done.body.ref
  expect(text(page)).toContain('材料不全，请补正')
  expect(text(page)).toContain('请补正：整改情况报告（加盖公章）')
  page.instance.startCompletion({ currentTarget: { dataset: { ref } } })
  await page.instance.complete()
  expect(page.instance.data.error).toBe('请上传退回通知中列明的材料。')
  await page.instance.pickFile()
  page.instance.onNote({ detail: { value: '补充整改情况报告' } })
  await page.instance.complete()
  expect(writes(calls)).toEqual([expect.objectContaining({ upload: true, path: `/api/mp/v1/me/repairs/${ref}/completion`,
    formData: { note: '补充整改情况报告' } })])
  expect(page.querySelector('.completion')).toBeFalsy()
  expect(page.querySelectorAll('.complete-btn').length).toBe(0)
  expect(text(page)).toContain('已补正材料')
})

test('信用修复: the backend\'s refusal (too early) is shown in its Chinese words', async () => {
  const early = answer('POST /api/mp/v1/me/repairs (too early)')
  backend([answer(CREDIT), answer('GET /api/mp/v1/me/repairs (none yet)'), early])
  const page = await openPage('repair')
  page.instance.setData({ form: answer(CREDIT).body.records[0], statement: '已缴清罚款。', signed: true,
    file: { path: 'wxfile://tmp/a.pdf', name: 'a.pdf' } })
  await page.instance.submit()
  expect(page.instance.data.error).toBe(early.body.error.message)
  expect(text(page)).toContain('起可申请信用修复。')
})

test('异议: object to a record with grounds, a correction and two evidence files; see it upheld and ask a review', async () => {
  const filed = answer('POST /api/mp/v1/me/objections')
  const calls = backend([answer(CREDIT), answer('GET /api/mp/v1/me/objections'), filed,
    answer('POST /api/mp/v1/me/objections/{number}/evidence'), answer('GET /api/mp/v1/me/objections/{number}'),
    answer('POST /api/mp/v1/me/objections/{number}/review')])
  const page = await openPage('objection')
  let shown = text(page)
  expect(shown).toContain('销售不合格食用农产品')
  expect(shown).toContain('维持原信息（可申请复核）')
  expect(shown).toContain(filed.body.number)
  expect(page.querySelectorAll('.target').length).toBe(3) // two records and the watch-list entry
  expect(shown).toContain('重点关注名单')
  expect(shown).toContain('汕市监关〔2026〕12号')

  const record = answer(CREDIT).body.records.find(r => r.id === filed.body.item_id)
  page.instance.start({ currentTarget: { dataset: { key: `record-${record.id}` } } })
  page.instance.onGrounds({ detail: { value: 0 } })
  page.instance.onStatement({ detail: { value: '抽检的农产品并非本店销售，决定书载明的摊位号有误。' } })
  page.instance.onField({ detail: { value: 0 } })
  page.instance.onProposed({ detail: { value: '（摊位号有误，非本人经营）' } })
  await page.instance.pickFiles()
  await page.instance.submit()
  const [objection, ...evidence] = writes(calls)
  expect(objection).toMatchObject({ method: 'POST', path: '/api/mp/v1/me/objections', data: {
    item: 'record', item_id: record.id, grounds: 'wrong_facts', statement: '抽检的农产品并非本店销售，决定书载明的摊位号有误。',
    corrections: [{ field: 'title', current: record.title, proposed: '（摊位号有误，非本人经营）' }] } })
  expect(objection.header['Idempotency-Key']).toBeUndefined() // the API asks none here: never retried
  expect(evidence.map(c => [c.path, c.filePath])).toEqual([
    [`/api/mp/v1/me/objections/${filed.body.number}/evidence`, 'wxfile://tmp/proof-1.pdf'],
    [`/api/mp/v1/me/objections/${filed.body.number}/evidence`, 'wxfile://tmp/proof-2.pdf']])
  expect(wx.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '异议已提交' }))

  await page.instance.open({ currentTarget: { dataset: { number: filed.body.number } } })
  shown = text(page)
  expect(shown).toContain('经现场核查，摊位登记信息与决定书一致，维持原信息。')
  expect(shown).toContain('对“维持原信息”不服，可申请一次复核')
  page.instance.onReviewReason({ detail: { value: '核查时未调取市场的摊位租赁登记，请复核。' } })
  await page.instance.askReview()
  const review = writes(calls).pop()
  expect(review).toMatchObject({ path: `/api/mp/v1/me/objections/${filed.body.number}/review`,
    data: { reason: '核查时未调取市场的摊位租赁登记，请复核。' } })
  expect(text(page)).toContain('复核中')
  expect(text(page)).not.toContain('可申请一次复核') // once only
})

test('异议: an item with an open objection offers no second one', async () => {
  const filed = answer('POST /api/mp/v1/me/objections').body
  backend([answer(CREDIT), { method: 'GET', path: '/api/mp/v1/me/objections', status: 200,
    body: { items: [filed], meta: { page: 1, per_page: 50, total: 1 } } }])
  const page = await openPage('objection')
  expect(text(page)).toContain(`异议办理中（编号 ${filed.number}），请等待处理结果`)
  expect(page.querySelectorAll('.object-btn').length).toBe(2) // the other record and the list entry
})

test('异议: a second objection to the same item gets the backend\'s message with the open one\'s number', async () => {
  const open = answer('POST /api/mp/v1/me/objections (open)')
  backend([answer(CREDIT), answer('GET /api/mp/v1/me/objections'), open])
  const page = await openPage('objection')
  page.instance.start({ currentTarget: { dataset: { key: `record-${answer('POST /api/mp/v1/me/objections').body.item_id}` } } })
  page.instance.onStatement({ detail: { value: '再次提出异议，请核实。' } })
  await page.instance.submit()
  expect(page.instance.data.error).toBe(open.body.error.message)
  expect(text(page)).toContain(open.body.error.details.open_objection)
})

test('自主申报: the five categories, the commitment shown and signed, sent with an Idempotency-Key, then the evidence', async () => {
  const declared = answer('POST /api/mp/v1/me/declarations')
  const calls = backend([answer('GET /api/mp/v1/me/declarations/commitment'), answer('GET /api/mp/v1/me/declarations'),
    answer('GET /api/mp/v1/me/preferences'), declared, answer('POST /api/mp/v1/me/declarations/{number}/evidence'),
    answer('PUT /api/mp/v1/me/preferences')])
  const page = await openPage('declare')
  let shown = text(page)
  expect(shown).toContain(answer('GET /api/mp/v1/me/declarations/commitment').body.text)
  expect(shown).toContain('信用承诺（主动型）')
  expect(shown).toContain('汕尾市志愿服务时长证明（120小时）')
  expect(shown).toContain('核验中')
  expect(page.instance.data.categories.map(c => c.label)).toEqual(['资质证照', '生产经营', '合同履约', '表彰奖励', '社会公益'])

  page.instance.onCategory({ detail: { value: 4 } })
  const fill = { title: '汕尾市志愿服务时长证明（120小时）', issuer: '汕尾市志愿者联合会', document_no: 'SWZY2026-0318',
    issued_on: declared.body.issued_on, department: '汕尾市民政局' }
  Object.entries(fill).forEach(([field, value]) => page.instance.onInput({ currentTarget: { dataset: { field } }, detail: { value } }))
  await page.instance.submit()
  expect(page.instance.data.error).toContain('真实性承诺')
  page.instance.onSign({ detail: { value: ['signed'] } })
  wx.chooseMessageFile = jest.fn(o => o.success({ tempFiles: [{ path: 'wxfile://tmp/v.pdf', name: '志愿服务证明.pdf', size: 51 }] }))
  await page.instance.pickFiles()
  await page.instance.submit()
  const [sent, evidence] = writes(calls)
  expect(sent).toMatchObject({ method: 'POST', path: '/api/mp/v1/me/declarations',
    data: { category: 'public_welfare', ...fill, commitment_accepted: true } })
  expect(sent.header['Idempotency-Key']).toMatch(/^[!-~]{8,64}$/)
  expect(evidence).toMatchObject({ upload: true, path: `/api/mp/v1/me/declarations/${declared.body.number}/evidence` })

  shown = text(page)
  expect(shown).toContain('公开表彰奖励、志愿服务、慈善捐赠等正面信息')
  await page.instance.toggleHide({ detail: { value: true } })
  expect(writes(calls).pop()).toMatchObject({ method: 'PUT', path: '/api/mp/v1/me/preferences', data: { hides_positive: true } })
  expect(text(page)).toContain('不公开表彰奖励、志愿服务、慈善捐赠等正面信息')
})

test('自主申报: asked for more, the resident uploads the file and then sends the note; back to 核验中', async () => {
  const back = answer('POST /api/mp/v1/me/declarations/{number}/supplement').body
  const calls = backend([answer('GET /api/mp/v1/me/declarations/commitment'),
    then(answer('GET /api/mp/v1/me/declarations (more info)'), answer('GET /api/mp/v1/me/declarations')),
    answer('GET /api/mp/v1/me/preferences'), answer('POST /api/mp/v1/me/declarations/{number}/evidence'),
    answer('POST /api/mp/v1/me/declarations/{number}/supplement')])
  const page = await openPage('declare')
  expect(text(page)).toContain('需补充材料')
  expect(text(page)).toContain('部门要求补充：请补充志愿服务记录系统的时长截图。')
  page.instance.startSupplement({ currentTarget: { dataset: { number: back.number } } })
  wx.chooseMessageFile = jest.fn(o => o.success({ tempFiles: [{ path: 'wxfile://tmp/s.pdf', name: '时长截图.pdf', size: 51 }] }))
  await page.instance.pickExtra()
  page.instance.onNote({ detail: { value: '已上传志愿服务时长截图。' } })
  await page.instance.supplement()
  expect(writes(calls).map(c => [c.path, c.upload || false, c.data])).toEqual([
    [`/api/mp/v1/me/declarations/${back.number}/evidence`, true, undefined],
    [`/api/mp/v1/me/declarations/${back.number}/supplement`, false, { note: '已上传志愿服务时长截图。' }]])
  expect(text(page)).toContain('核验中')
  expect(page.querySelectorAll('.supplement-btn').length).toBe(0)
})

test('我的报告: the free quota, a report requested with an Idempotency-Key, its PDF opened, its link shared', async () => {
  const made = answer('POST /api/mp/v1/me/reports')
  const calls = backend([answer('GET /api/mp/v1/me/reports'), made])
  wx.openDocument = jest.fn()
  wx.setClipboardData = jest.fn(o => o.success())
  const page = await openPage('reports')
  const quota = answer('GET /api/mp/v1/me/reports').body.quota
  expect(text(page)).toContain(`已用 ${quota.free_used} 份，还剩 ${quota.free_left} 份`)
  expect(text(page)).toContain(made.body.report_no)
  expect(text(page)).toContain('行政处罚（含简易程序）、失信被执行人、重点关注名单')

  page.instance.setData({ periodFrom: made.body.period_from, periodTo: made.body.period_to })
  page.instance.onDomains({ detail: { value: ['admin_penalty', 'court_dishonesty', 'watch_list'] } })
  await page.instance.request()
  const [sent] = writes(calls)
  expect(sent).toMatchObject({ path: '/api/mp/v1/me/reports', data: { period_from: made.body.period_from,
    period_to: made.body.period_to, domains: ['admin_penalty', 'court_dishonesty', 'watch_list'], purpose: '招投标' } })
  expect(sent.header['Idempotency-Key']).toMatch(/^[!-~]{8,64}$/)

  await page.instance.openPdf({ currentTarget: { dataset: { no: made.body.report_no } } })
  expect(calls.find(c => c.download).path).toBe(`/api/mp/v1/me/reports/${made.body.report_no}.pdf`)
  expect(wx.openDocument).toHaveBeenCalledWith(expect.objectContaining({ fileType: 'pdf' }))
  page.instance.share({ currentTarget: { dataset: { no: made.body.report_no } } })
  expect(wx.setClipboardData).toHaveBeenCalledWith(expect.objectContaining({ data: made.body.verify_url }))
  expect(made.body.verify_url).not.toContain(answer(CREDIT).body.id_number_masked)
})

test('谁查询了我: newest first, a page at a time, the next page when scrolled to the bottom', async () => {
  const calls = backend([{ method: 'GET', path: '/api/mp/v1/me/queries',
    reply: c => (/[?&]page=2(&|$)/.test(c.query) ? answer('GET /api/mp/v1/me/queries (page 2)') : answer('GET /api/mp/v1/me/queries')) }])
  const page = await openPage('queries')
  expect(page.querySelectorAll('.query').length).toBe(2)
  expect(text(page)).toContain('查询记录（共 4 条）')
  expect(text(page)).toContain('联合奖惩一键查询')
  expect(text(page)).toContain('用途：评先评优资格审查')
  expect(page.querySelector('.more')).toBeTruthy()
  await page.instance.onReachBottom()
  await flush()
  expect(page.querySelectorAll('.query').length).toBe(4)
  expect(text(page)).toContain('查看信用档案')
  expect(text(page)).toContain('本人（信用汕尾小程序）')
  expect(page.querySelector('.more')).toBeFalsy()
  await page.instance.onReachBottom() // all loaded: no more calls
  const reads = calls.filter(c => c.path === '/api/mp/v1/me/queries')
  expect(reads.map(c => c.query)).toEqual(['?page=1&per_page=20', '?page=2&per_page=20'])
  const times = page.instance.data.items.map(i => Date.parse(i.at))
  expect([...times].sort((a, b) => b - a)).toEqual(times)
})

test('消息订阅: the templates the backend lists are asked three at a time and the choices reported back', async () => {
  const templates = answer('GET /api/mp/v1/subscribe-templates').body.items
  const calls = backend([answer('GET /api/mp/v1/subscribe-templates'), answer('GET /api/mp/v1/me/messages'),
    { method: 'POST', path: '/api/mp/v1/me/subscriptions', reply: c => ({ status: 200, body: { items:
      answer('POST /api/mp/v1/me/subscriptions').body.items.filter(i => i.template_id in c.data.results) } }) }])
  const asked = []
  wx.requestSubscribeMessage = jest.fn(o => {
    asked.push(o.tmplIds)
    const res = { errMsg: 'requestSubscribeMessage:ok' }
    o.tmplIds.forEach(id => { res[id] = id === 'tmpl-risk-warning-0001' ? 'reject' : 'accept' })
    Promise.resolve().then(() => o.success(res))
  })
  const page = await openPage('messages')
  expect(page.querySelectorAll('.template').length).toBe(templates.length)
  expect(text(page)).toContain('异议处理进度提醒')
  expect(text(page)).toContain('已发送')
  expect(text(page)).toContain('您未订阅')
  expect(page.querySelectorAll('.message').length).toBe(answer('GET /api/mp/v1/me/messages').body.items.length)

  await page.instance.subscribe()
  await page.instance.subscribe()
  expect(asked).toEqual([templates.slice(0, 3).map(t => t.template_id), templates.slice(3).map(t => t.template_id)])
  const reported = writes(calls).map(c => c.data.results)
  expect(reported[1]).toEqual({ [templates[3].template_id]: 'accept', 'tmpl-risk-warning-0001': 'reject' })
  expect(writes(calls).every(c => c.path === '/api/mp/v1/me/subscriptions')).toBe(true)
  expect(text(page)).toContain('已订阅')
  expect(text(page)).toContain('已拒绝')
  expect(calls.find(c => c.path === '/api/mp/v1/subscribe-templates').header.Authorization).toBeUndefined()
})

test('消息订阅: with subscribe messages switched off in WeChat the user is told where to switch them on', async () => {
  backend([answer('GET /api/mp/v1/subscribe-templates'), answer('GET /api/mp/v1/me/messages')])
  wx.requestSubscribeMessage = jest.fn(o => o.fail({ errCode: 20004, errMsg: 'requestSubscribeMessage:fail main switch is off' }))
  const page = await openPage('messages')
  await page.instance.subscribe()
  expect(text(page)).toContain('通知管理')
})

test('我的信用 links every credit service page', async () => {
  backend([answer(CREDIT)])
  const page = await openPage('credit')
  expect(page.querySelectorAll('.service').length).toBe(6)
  const urls = page.instance.data.services.map(s => s.url)
  const pages = require('../app.json').pages.map(p => `/${p}`)
  urls.forEach(u => expect(pages).toContain(u))
  page.instance.go({ currentTarget: { dataset: { url: '/pages/repair/index' } } })
  expect(wx.navigateTo).toHaveBeenCalledWith({ url: '/pages/repair/index' })
})

const PAGES = [
  ['repair', [answer(CREDIT), answer('GET /api/mp/v1/me/repairs')]],
  ['objection', [answer(CREDIT), answer('GET /api/mp/v1/me/objections')]],
  ['declare', [answer('GET /api/mp/v1/me/declarations/commitment'), answer('GET /api/mp/v1/me/declarations'),
    answer('GET /api/mp/v1/me/preferences')]],
  ['reports', [answer('GET /api/mp/v1/me/reports')]],
  ['queries', [answer('GET /api/mp/v1/me/queries')]],
  ['messages', [answer('GET /api/mp/v1/subscribe-templates'), answer('GET /api/mp/v1/me/messages')]],
]

function fontSizes(page) {
  return [...page.dom.querySelectorAll('[style*="font-size"]')]
    .map(el => Number(/font-size:\s*(\d+)(?:rpx|px)/.exec(el.getAttribute('style'))[1]))
}

test.each(PAGES)('长辈模式 makes the text of the %s page larger', async (name, routes) => {
  backend(routes)
  const normal = await openPage(name)
  const small = fontSizes(normal)
  expect(root(normal).className).not.toContain('elder')
  elder.setElder(true)
  api.clearSession()
  backend(routes)
  const large = await openPage(name)
  const big = fontSizes(large)
  expect(root(large).className).toContain('elder')
  expect(big.length).toBe(small.length)
  expect(big.length).toBeGreaterThan(5)
  big.forEach((size, i) => expect(size).toBeGreaterThan(small[i]))
})
