// 信用修复：我的失信记录及其公示期（最短公示期满后可申请）、提交修复申请（说明、证明材料、信用修复承诺）、我的申请与进度，
// 被退回补正的申请补交材料（一次性告知的每一项）。
// 是否已满最短公示期以后端的日期（breakdown.as_of）为准，不看手机时间；最终由后端判断，提前申请时显示后端的中文说明。

const api = require('../../utils/api')
const { behavior: elder } = require('../../utils/elder')
const { chooseFiles } = require('../../utils/files')
const { addDays, dateZh, dateTimeText } = require('../../utils/format')

// 与后端的标准信用修复承诺（backend/repair/applications.py）一致；页面显示的就是签署的（作为 commitment_content 发送）。
const COMMITMENT_TEXT = '本主体已纠正失信行为、履行完毕法定责任义务，承诺今后诚信守法经营、不再发生同类失信行为；' +
  '如违背承诺，自愿接受恢复公示至最长公示期限、列入重点关注名单等约束，并承担相应法律责任。'
const ENDED = { repaired: '已信用修复，停止公示', expired: '公示期满，停止公示', withdrawn: '已撤销', unpublished: '不予公示' }

function repairView(r, asOf, pending) {
  const windowText = `最短公示期至 ${dateZh(r.min_publish_until)}，最长公示至 ${dateZh(r.max_publish_until)}`
  const base = { ...r, windowText, canApply: false }
  if (pending) return { ...base, repairText: `信用修复申请办理中（编号 ${pending}）` }
  if (r.publication_state === 'repair_pending') return { ...base, repairText: '信用修复申请办理中' }
  if (ENDED[r.publication_state]) return { ...base, repairText: `${ENDED[r.publication_state]}，无需申请信用修复` }
  if (!r.repairable) return { ...base, repairText: '依照法律、行政法规的规定，该信息不适用信用修复' }
  if (asOf && r.min_publish_until >= asOf) {
    return { ...base, repairText: `${dateZh(addDays(r.min_publish_until, 1))}起可申请信用修复` }
  }
  return { ...base, repairText: '已满最短公示期，现在可以申请信用修复（免费）', canApply: true }
}

function applicationView(a) {
  const due = a.decide_due ? `应于 ${dateZh(a.decide_due)} 前作出决定` : `应于 ${dateZh(a.accept_due)} 前受理`
  return {
    ...a, dueText: ['approved', 'denied', 'propagated'].includes(a.state) ? '' : due,
    steps: (a.history || []).map(h => ({ ...h, when: dateTimeText(h.at) })),
    returnedText: (a.returned_items || []).join('；'), completable: a.state === 'returned',
  }
}

Component({
  behaviors: [elder],
  data: {
    records: [], applications: [], loaded: false, error: '', form: null, commitmentText: COMMITMENT_TEXT,
    statement: '', signed: false, file: null, busy: false, completing: null, note: '',
  },
  methods: {
    onShow() {
      this.applyElder()
      return this.load()
    },
    async load() {
      try {
        const [credit, repairs] = await Promise.all([api.call('myCredit'), api.call('myRepairs')])
        const asOf = credit.breakdown && credit.breakdown.as_of
        const open = {}
        repairs.items.filter(a => !['approved', 'denied', 'propagated'].includes(a.state))
          .forEach(a => { open[a.record.id] = a.ref })
        this.setData({
          records: (credit.records || []).filter(r => r.min_publish_until).map(r => repairView(r, asOf, open[r.id])),
          applications: repairs.items.map(applicationView), loaded: true, error: '',
        })
      } catch (err) {
        this.setData({ error: err.message, loaded: true })
        if (err.code === 'identity_required') wx.navigateTo({ url: '/pages/verify/index' })
      }
    },
    async start(e) {
      const record = this.data.records.find(r => String(r.id) === String(e.currentTarget.dataset.id))
      this.setData({ form: record, statement: '', signed: false, file: null, error: '' })
      try { // the backend's standard text; the copy above stays if it cannot be reached
        this.setData({ commitmentText: (await api.call('repairCommitment')).text })
      } catch (err) { /* shown and signed: the built-in copy */ }
    },
    cancel() { this.setData({ form: null }) },
    startCompletion(e) {
      this.setData({ completing: e.currentTarget.dataset.ref, note: '', file: null, form: null, error: '' })
    },
    cancelCompletion() { this.setData({ completing: null }) },
    onNote(e) { this.setData({ note: e.detail.value }) },
    async complete() {
      const { completing, note, file } = this.data
      if (!file) return this.setData({ error: '请上传退回通知中列明的材料。' })
      this.setData({ busy: true, error: '' })
      try {
        await api.upload('completeRepair', { params: { ref: completing }, filePath: file.path,
          formData: note.trim() ? { note: note.trim() } : {} })
        wx.showToast({ title: '已补正', icon: 'success' })
        this.setData({ completing: null })
        await this.load()
      } catch (err) {
        this.setData({ error: err.message })
      } finally {
        this.setData({ busy: false })
      }
      return undefined
    },
    onStatement(e) { this.setData({ statement: e.detail.value }) },
    onSign(e) { this.setData({ signed: (e.detail.value || []).includes('signed') }) },
    async pickFile() {
      try {
        const [file] = await chooseFiles(1)
        if (file) this.setData({ file })
      } catch (err) {
        this.setData({ error: err.message })
      }
    },
    async submit() {
      const { form, statement, signed, file } = this.data
      if (statement.trim().length < 2) return this.setData({ error: '请说明纠正失信行为、履行义务的情况。' })
      if (!file) return this.setData({ error: '请上传证明材料（如缴款凭证、整改报告）。' })
      if (!signed) return this.setData({ error: '申请信用修复须作出信用修复承诺，请阅读后勾选同意。' })
      this.setData({ busy: true, error: '' })
      try {
        const application = await api.upload('applyRepair', {
          filePath: file.path,
          formData: { record_id: String(form.id), statement: statement.trim(), sign_commitment: 'true',
            commitment_content: this.data.commitmentText },
        })
        wx.showToast({ title: '已提交', icon: 'success' })
        this.setData({ form: null, applications: [applicationView(application)].concat(this.data.applications) })
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

module.exports = { COMMITMENT_TEXT }
