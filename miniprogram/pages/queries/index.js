// 谁查询了我：部门查看档案与信用评价、联合奖惩一键查询、信用报告、银行查询……最新的在前，分页加载（滑到底部加载更多）。
// 只显示单位和身份，不显示经办人姓名（后端如此给出）。

const api = require('../../utils/api')
const { behavior: elder } = require('../../utils/elder')
const { dateTimeText } = require('../../utils/format')

const PER_PAGE = 20

function view(q) {
  return { ...q, when: dateTimeText(q.at), key: `${q.at}-${q.kind}-${q.ref || ''}` }
}

Component({
  behaviors: [elder],
  data: { items: [], total: 0, page: 0, loaded: false, loading: false, error: '' },
  methods: {
    onShow() {
      this.applyElder()
      return this.load(1)
    },
    onPullDownRefresh() {
      return this.load(1).then(() => wx.stopPullDownRefresh && wx.stopPullDownRefresh())
    },
    onReachBottom() {
      return this.more()
    },
    more() {
      if (this.data.loading || this.data.items.length >= this.data.total) return Promise.resolve()
      return this.load(this.data.page + 1)
    },
    async load(page) {
      this.setData({ loading: true })
      try {
        const answer = await api.call('myQueries', { query: { page, per_page: PER_PAGE } })
        const items = (page === 1 ? [] : this.data.items).concat(answer.items.map(view))
        this.setData({ items, total: answer.meta.total, page: answer.meta.page, loaded: true, error: '' })
      } catch (err) {
        this.setData({ error: err.message, loaded: true })
        if (err.code === 'identity_required') wx.navigateTo({ url: '/pages/verify/index' })
      } finally {
        this.setData({ loading: false })
      }
    },
  },
})
