// 异议：对我的信用记录或名单信息提出异议（理由、证明材料、可选的更正内容），查看我的异议与办理进度，
// 对“维持原信息”的决定可申请一次复核。证明材料在提交异议后逐个上传（受理前都可以补充）。

const api = require('../../utils/api')
const { behavior: elder } = require('../../utils/elder')
const { chooseFiles } = require('../../utils/files')
const { CATEGORY_ZH, dateZh, dateTimeText } = require('../../utils/format')

const GROUNDS = [
  { value: 'wrong_facts', label: '信息错误或遗漏' },
  { value: 'past_window', label: '超过公示期限仍在公示' },
  { value: 'wrongly_listed', label: '不符合条件被列入名单或应移出未移出' },
  { value: 'other', label: '其他情形' },
]
const FIELDS = {
  record: [['title', '标题'], ['content', '内容'], ['legal_basis', '依据'], ['decided_on', '决定日期'],
    ['expires_on', '有效期至'], ['severity', '严重程度'], ['result', '结果']],
  list_entry: [['reason', '列入原因'], ['legal_basis', '依据'], ['decision_document', '决定文书'],
    ['starts_on', '列入日期'], ['ends_on', '移出日期']],
}
const LIST_ZH = { red: '诚信红名单', black: '失信联合惩戒对象名单', watch: '重点关注名单' }
const MAX_FILES = 5

function openMark(marks) {
  const m = (marks || []).find(x => x.kind === 'objection')
  return m ? m.note : ''
}

// An item already objected to (open, or marked once accepted) offers no second objection.
function items(credit, objections) {
  const open = {}
  objections.filter(o => !['closed', 'not_accepted'].includes(o.state))
    .forEach(o => { open[`${o.item}-${o.item_id}`] = `异议办理中（编号 ${o.number}），请等待处理结果` })
  const records = (credit.records || []).map(r => ({
    key: `record-${r.id}`, item: 'record', id: r.id, title: r.title, source: r,
    meta: `${CATEGORY_ZH[r.category] || r.category} · ${r.department} · ${r.document_no}`,
    marked: open[`record-${r.id}`] || openMark(r.marks),
  }))
  const lists = (credit.lists || []).map(l => ({
    key: `list-${l.id}`, item: 'list_entry', id: l.id, title: LIST_ZH[l.list_type] || l.list_type, source: l,
    meta: `${l.department} · ${l.decision_document} · ${l.reason}`,
    marked: open[`list_entry-${l.id}`] || openMark(l.marks),
  }))
  return records.concat(lists)
}

function canReview(o) {
  return o.state === 'closed' && o.outcome === 'upheld' && !o.review_outcome
}

function rowView(o) {
  return { ...o, when: dateTimeText(o.submitted_at), dueText: o.due_on ? `本环节应于 ${dateZh(o.due_on)} 前办结` : '',
    reviewable: canReview(o) }
}

Component({
  behaviors: [elder],
  data: {
    items: [], objections: [], loaded: false, error: '', target: null, grounds: GROUNDS, groundsIndex: 0,
    statement: '', fieldOptions: [], fieldIndex: -1, proposed: '', files: [], busy: false, detail: null, reviewReason: '',
  },
  methods: {
    onShow() {
      this.applyElder()
      return this.load()
    },
    async load() {
      try {
        const [credit, page] = await Promise.all([api.call('myCredit'), api.call('myObjections', { query: { page: 1, per_page: 50 } })])
        this.setData({ items: items(credit, page.items), objections: page.items.map(rowView), loaded: true, error: '' })
      } catch (err) {
        this.setData({ error: err.message, loaded: true })
        if (err.code === 'identity_required') wx.navigateTo({ url: '/pages/verify/index' })
      }
    },
    start(e) {
      const target = this.data.items.find(i => i.key === e.currentTarget.dataset.key)
      const fieldOptions = FIELDS[target.item].map(([value, label]) => ({ value, label }))
      this.setData({ target, fieldOptions, fieldIndex: -1, groundsIndex: 0, statement: '', proposed: '', files: [],
        error: '', detail: null })
    },
    cancel() { this.setData({ target: null }) },
    onGrounds(e) { this.setData({ groundsIndex: Number(e.detail.value) }) },
    onStatement(e) { this.setData({ statement: e.detail.value }) },
    onField(e) { this.setData({ fieldIndex: Number(e.detail.value) }) },
    onProposed(e) { this.setData({ proposed: e.detail.value }) },
    async pickFiles() {
      try {
        const picked = await chooseFiles(MAX_FILES - this.data.files.length)
        this.setData({ files: this.data.files.concat(picked).slice(0, MAX_FILES) })
      } catch (err) {
        this.setData({ error: err.message })
      }
    },
    body() {
      const { target, groundsIndex, statement, fieldIndex, fieldOptions, proposed } = this.data
      const body = { item: target.item, item_id: target.id, grounds: GROUNDS[groundsIndex].value, statement: statement.trim() }
      if (fieldIndex >= 0 && proposed.trim()) {
        const field = fieldOptions[fieldIndex].value
        const current = target.source[field]
        body.corrections = [{ field, current: current === undefined || current === null ? null : String(current),
          proposed: proposed.trim() }]
      }
      return body
    },
    async submit() {
      if (this.data.statement.trim().length < 5) return this.setData({ error: '请写明哪里有误、为什么（至少 5 个字）。' })
      this.setData({ busy: true, error: '' })
      try {
        const objection = await api.call('fileObjection', { data: this.body() })
        const failed = []
        for (const file of this.data.files) {
          try {
            await api.upload('addObjectionEvidence', { params: { number: objection.number }, filePath: file.path })
          } catch (err) {
            failed.push(`${file.name}：${err.message}`)
          }
        }
        if (failed.length) wx.showModal({ title: '部分材料未上传', content: failed.join('\n'), showCancel: false })
        else wx.showToast({ title: '异议已提交', icon: 'success' })
        this.setData({ target: null })
        await this.load()
      } catch (err) {
        this.setData({ error: err.message })
      } finally {
        this.setData({ busy: false })
      }
      return undefined
    },
    async open(e) {
      try {
        const detail = await api.call('myObjection', { params: { number: e.currentTarget.dataset.number } })
        this.setData({
          detail: { ...rowView(detail), steps: detail.steps.map(s => ({ ...s, when: dateTimeText(s.at) })) },
          reviewReason: '', error: '',
        })
      } catch (err) {
        this.setData({ error: err.message })
      }
    },
    closeDetail() { this.setData({ detail: null }) },
    onReviewReason(e) { this.setData({ reviewReason: e.detail.value }) },
    async askReview() {
      const reason = this.data.reviewReason.trim()
      if (reason.length < 2) return this.setData({ error: '请写明申请复核的理由。' })
      this.setData({ busy: true, error: '' })
      try {
        const detail = await api.call('askReview', { params: { number: this.data.detail.number }, data: { reason } })
        wx.showToast({ title: '已申请复核', icon: 'success' })
        this.setData({ detail: { ...rowView(detail), steps: detail.steps.map(s => ({ ...s, when: dateTimeText(s.at) })) } })
        await this.load()
      } catch (err) {
        this.setData({ error: err.message })
      } finally {
        this.setData({ busy: false })
      }
      return undefined
    },
  },
})
