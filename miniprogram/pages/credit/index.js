// 我的信用：等级与含义、评分明细、我的记录及其公示期、等级变化历史，以及信用服务的入口：
// 信用修复、异议、自主申报、信用报告、谁查询了我、消息订阅。

const api = require('../../utils/api')
const { behavior: elder } = require('../../utils/elder')
const { grade, dateTimeText, CATEGORY_ZH, SEVERITY_ZH } = require('../../utils/format')

const NEGATIVE = ['admin_penalty', 'court_dishonesty']

function windowText(r) {
  if (r.status && r.status !== 'active') return '已不再公示'
  if (r.expires_on) return `公示至 ${r.expires_on}，期满后不再公示`
  return NEGATIVE.includes(r.category) ? '公示期以决定文书为准' : '长期公示'
}

function listText(status) {
  if (!status) return ''
  if (status.black) return '您已被列入失信联合惩戒对象名单，部分信用优惠暂不能享受。'
  if (status.red) return '您已被列入诚信红名单。'
  if (status.watch) return '您在重点关注名单中。'
  return ''
}

const SERVICES = [
  { title: '信用修复', hint: '失信记录满最短公示期后申请', url: '/pages/repair/index' },
  { title: '异议申请', hint: '信息有误可提出异议、申请复核', url: '/pages/objection/index' },
  { title: '自主申报', hint: '申报资质、荣誉、公益等信息', url: '/pages/declare/index' },
  { title: '我的信用报告', hint: '申请、下载、分享核验链接', url: '/pages/reports/index' },
  { title: '谁查询了我', hint: '哪些单位查看过我的信用信息', url: '/pages/queries/index' },
  { title: '消息订阅', hint: '修复、异议等进度提醒', url: '/pages/messages/index' },
]

Component({
  behaviors: [elder],
  data: { services: SERVICES, credit: null, records: [], history: [], color: '#8a8a8a', meaning: '', listText: '', error: '' },
  methods: {
    onShow() {
      this.applyElder()
      return this.load()
    },
    go(e) { wx.navigateTo({ url: e.currentTarget.dataset.url }) },
    async load() {
      try {
        const credit = await api.call('myCredit')
        const g = grade(credit.grade)
        this.setData({
          credit, color: g.color, meaning: (credit.breakdown && credit.breakdown.rated === false) ? '暂未评价' : g.meaning,
          listText: listText(credit.list_status), error: '',
          records: (credit.records || []).map(r => ({
            ...r, windowText: windowText(r),
            categoryZh: (CATEGORY_ZH[r.category] || r.category) + (r.severity ? `（${SEVERITY_ZH[r.severity] || r.severity}）` : ''),
            tagColor: NEGATIVE.includes(r.category) ? '#d93025' : '#1a9c5b',
          })),
          history: (credit.history || []).map(h => ({ ...h, when: dateTimeText(h.computed_at), gradeZh: grade(h.grade).zh })),
        })
      } catch (err) {
        this.setData({ error: err.message })
        if (err.code === 'identity_required') wx.navigateTo({ url: '/pages/verify/index' })
      }
    },
  },
})
