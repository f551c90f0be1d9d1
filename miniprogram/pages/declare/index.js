// 自主申报：五类信用信息（资质证照、生产经营、合同履约、表彰奖励、社会公益），先阅读并签署真实性承诺（主动型），
// 再上传证明材料；查看我的申报与核验进度（部门要求补充时上传材料并说明）；以及“不公开我的正面信息”（表彰奖励、志愿服务、慈善捐赠）的选择。
// 提交申报带 Idempotency-Key（同一次提交的重试用同一个键，不会重复申报）。

const api = require('../../utils/api')
const { behavior: elder } = require('../../utils/elder')
const { chooseFiles } = require('../../utils/files')
const { dateZh } = require('../../utils/format')

const CATEGORIES = [
  { value: 'qualification', label: '资质证照' },
  { value: 'operation', label: '生产经营' },
  { value: 'contract', label: '合同履约' },
  { value: 'honour', label: '表彰奖励' },
  { value: 'public_welfare', label: '社会公益' },
]
const MAX_FILES = 5
const EMPTY = { title: '', issuer: '', document_no: '', issued_on: '', valid_until: '', department: '' }

function rowView(d) {
  const due = ['submitted', 'verifying', 'more_info'].includes(d.state) && d.due_on ? `应于 ${dateZh(d.due_on)} 前核验` : ''
  return { ...d, dueText: due, supplementable: d.state === 'more_info' }
}

Component({
  behaviors: [elder],
  data: {
    categories: CATEGORIES, categoryIndex: 0, form: { ...EMPTY }, commitment: null, signed: false, files: [],
    declarations: [], prefs: null, loaded: false, busy: false, error: '', supplementing: null, note: '', extraFiles: [],
  },
  methods: {
    onShow() {
      this.applyElder()
      return this.load()
    },
    async load() {
      try {
        const [commitment, page, prefs] = await Promise.all([api.call('declarationCommitment'),
          api.call('myDeclarations', { query: { page: 1, per_page: 50 } }), api.call('preferences')])
        this.setData({ commitment, declarations: page.items.map(rowView), prefs, loaded: true, error: '' })
      } catch (err) {
        this.setData({ error: err.message, loaded: true })
        if (err.code === 'identity_required') wx.navigateTo({ url: '/pages/verify/index' })
      }
    },
    onCategory(e) { this.setData({ categoryIndex: Number(e.detail.value) }) },
    onInput(e) { this.setData({ [`form.${e.currentTarget.dataset.field}`]: e.detail.value }) },
    onSign(e) { this.setData({ signed: (e.detail.value || []).includes('signed') }) },
    async pickFiles() {
      try {
        const picked = await chooseFiles(MAX_FILES - this.data.files.length)
        this.setData({ files: this.data.files.concat(picked).slice(0, MAX_FILES) })
      } catch (err) {
        this.setData({ error: err.message })
      }
    },
    body() {
      const f = this.data.form
      const body = { category: CATEGORIES[this.data.categoryIndex].value, title: f.title.trim(), issuer: f.issuer.trim(),
        document_no: f.document_no.trim(), issued_on: f.issued_on, department: f.department.trim(), commitment_accepted: true }
      if (f.valid_until) body.valid_until = f.valid_until
      return body
    },
    async submit() {
      const f = this.data.form
      if (f.title.trim().length < 2 || f.issuer.trim().length < 2 || !f.document_no.trim() || !f.issued_on ||
        f.department.trim().length < 2) {
        return this.setData({ error: '请填写名称、发证（颁发）单位、证书编号、日期和核验部门。' })
      }
      if (!this.data.signed) return this.setData({ error: '自主申报须作出真实性承诺，请阅读后勾选同意。' })
      this.setData({ busy: true, error: '' })
      try {
        const declared = await api.call('declare', { data: this.body() })
        const failed = []
        for (const file of this.data.files) {
          try {
            await api.upload('addDeclarationEvidence', { params: { number: declared.number }, filePath: file.path })
          } catch (err) {
            failed.push(`${file.name}：${err.message}`)
          }
        }
        if (failed.length) wx.showModal({ title: '部分材料未上传', content: failed.join('\n'), showCancel: false })
        else wx.showToast({ title: '申报已提交', icon: 'success' })
        this.setData({ form: { ...EMPTY }, files: [], signed: false })
        await this.load()
      } catch (err) {
        this.setData({ error: err.message })
      } finally {
        this.setData({ busy: false })
      }
      return undefined
    },
    startSupplement(e) {
      this.setData({ supplementing: e.currentTarget.dataset.number, note: '', extraFiles: [], error: '' })
    },
    cancelSupplement() { this.setData({ supplementing: null }) },
    onNote(e) { this.setData({ note: e.detail.value }) },
    async pickExtra() {
      try {
        const picked = await chooseFiles(MAX_FILES - this.data.extraFiles.length)
        this.setData({ extraFiles: this.data.extraFiles.concat(picked).slice(0, MAX_FILES) })
      } catch (err) {
        this.setData({ error: err.message })
      }
    },
    // The files first (the department reads them with the note), then the note sends it back to verifying.
    async supplement() {
      const number = this.data.supplementing
      const note = this.data.note.trim()
      if (note.length < 2) return this.setData({ error: '请说明补充了什么。' })
      this.setData({ busy: true, error: '' })
      try {
        for (const file of this.data.extraFiles) {
          await api.upload('addDeclarationEvidence', { params: { number }, filePath: file.path })
        }
        await api.call('supplementDeclaration', { params: { number }, data: { note } })
        wx.showToast({ title: '已补充', icon: 'success' })
        this.setData({ supplementing: null })
        await this.load()
      } catch (err) {
        this.setData({ error: err.message })
      } finally {
        this.setData({ busy: false })
      }
      return undefined
    },
    async toggleHide(e) {
      try {
        const prefs = await api.call('setPreferences', { data: { hides_positive: Boolean(e.detail.value) } })
        this.setData({ prefs, error: '' })
      } catch (err) {
        this.setData({ error: err.message })
      }
    },
  },
})
