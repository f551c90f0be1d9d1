// 我的报告：申请专项信用报告（每年免费两份，显示剩余次数），打开 PDF，把核验链接发给需要核验的单位。
// 申请带 Idempotency-Key：网络断了重试时后端给回同一份报告，不会多占免费次数。

const api = require('../../utils/api')
const { behavior: elder } = require('../../utils/elder')
const { dateText, dateTimeText } = require('../../utils/format')

const DOMAINS = [
  { value: 'admin_penalty', label: '行政处罚（含简易程序）' },
  { value: 'admin_enforcement', label: '行政强制' },
  { value: 'serious_dishonesty', label: '严重失信主体名单' },
  { value: 'criminal', label: '刑事裁判' },
  { value: 'court_dishonesty', label: '失信被执行人' },
  { value: 'watch_list', label: '重点关注名单' },
]
const DEFAULT_DOMAINS = ['admin_penalty', 'serious_dishonesty', 'court_dishonesty', 'watch_list']
const PURPOSES = ['招投标', '政府采购', '评优评先', '资质认定', '财政专项申报', '项目申报', '商业贷款', '上市融资', '其他']
const DAY = 86400 * 1000

function reportView(r) {
  const labels = (r.domains || []).map(d => (DOMAINS.find(x => x.value === d) || { label: d }).label)
  return { ...r, when: dateTimeText(r.generated_at), domainsText: labels.join('、'), ready: r.state === 'ready' }
}

Component({
  behaviors: [elder],
  data: {
    reports: [], quota: null, loaded: false, busy: false, error: '', purposes: PURPOSES, purposeIndex: 0,
    domains: DOMAINS.map(d => ({ ...d, checked: DEFAULT_DOMAINS.includes(d.value) })),
    periodFrom: dateText(Date.now() - 365 * DAY), periodTo: dateText(Date.now() - DAY),
  },
  methods: {
    onShow() {
      this.applyElder()
      return this.load()
    },
    async load() {
      try {
        const page = await api.call('myReports', { query: { page: 1, per_page: 20 } })
        this.setData({ reports: page.items.map(reportView), quota: page.quota || null, loaded: true, error: '' })
      } catch (err) {
        this.setData({ error: err.message, loaded: true })
      }
    },
    onPurpose(e) { this.setData({ purposeIndex: Number(e.detail.value) }) },
    onFrom(e) { this.setData({ periodFrom: e.detail.value }) },
    onTo(e) { this.setData({ periodTo: e.detail.value }) },
    onDomains(e) {
      const chosen = e.detail.value || []
      this.setData({ domains: this.data.domains.map(d => ({ ...d, checked: chosen.includes(d.value) })) })
    },
    async request() {
      const domains = this.data.domains.filter(d => d.checked).map(d => d.value)
      if (!domains.length) return this.setData({ error: '请至少选择一个查询领域。' })
      this.setData({ busy: true, error: '' })
      try {
        const report = await api.call('requestReport', { data: { period_from: this.data.periodFrom,
          period_to: this.data.periodTo, domains, purpose: PURPOSES[this.data.purposeIndex] } })
        wx.showToast({ title: '报告已生成', icon: 'success' })
        this.setData({ reports: [reportView(report)].concat(this.data.reports.filter(r => r.report_no !== report.report_no)) })
        await this.load()
      } catch (err) {
        this.setData({ error: err.message })
      } finally {
        this.setData({ busy: false })
      }
      return undefined
    },
    async openPdf(e) {
      try {
        const filePath = await api.download('reportPdf', { params: { report_no: e.currentTarget.dataset.no } })
        wx.openDocument({ filePath, fileType: 'pdf', showMenu: true })
      } catch (err) {
        api.showError(err)
      }
    },
    share(e) {
      const report = this.data.reports.find(r => r.report_no === e.currentTarget.dataset.no)
      wx.setClipboardData({
        data: report.verify_url,
        success: () => wx.showModal({ title: '核验链接已复制',
          content: '请粘贴发给需要核验报告的单位，对方打开链接即可核验报告真伪（链接中不含您的身份证号）。', showCancel: false }),
      })
    },
  },
})
