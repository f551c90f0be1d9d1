// 扫码记录：谁在何时何地扫了我的码，结果如何，享受了什么优惠或为什么没有享受。
const api = require('../../utils/api')
const { behavior: elder } = require('../../utils/elder')
const { dateTimeText } = require('../../utils/format')

const PER_PAGE = 20

Component({
  behaviors: [elder],
  data: { items: [], page: 1, more: false, loaded: false, error: '' },
  methods: {
    onShow() {
      this.applyElder()
      return this.load(1)
    },
    async load(page) {
      try {
        const body = await api.call('myScans', { query: { page, per_page: PER_PAGE } })
        const items = body.items.map(s => ({ ...s, when: dateTimeText(s.scanned_at) }))
        this.setData({
          items: page === 1 ? items : this.data.items.concat(items), page, loaded: true, error: '',
          more: body.meta.page * body.meta.per_page < body.meta.total,
        })
      } catch (err) {
        this.setData({ error: err.message, loaded: true })
      }
    },
    next() { return this.load(this.data.page + 1) },
  },
})
