// 我的信用：等级与含义、评分明细、我的记录及其公示期、等级变化历史。
// 信用修复、异议、自主申报、信用报告、查询记录待后端接口上线后加入（见 README 的待办）。

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

Component({
  behaviors: [elder],
  data: { credit: null, records: [], history: [], color: '#8a8a8a', meaning: '', listText: '', error: '' },
  methods: {
    onShow() {
      this.applyElder()
      return this.load()
    },
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
