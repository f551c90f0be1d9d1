// 可享优惠：各场景的信用+优惠，我现在能否享受，以及本期剩余次数。
const api = require('../../utils/api')
const { behavior: elder } = require('../../utils/elder')

Component({
  behaviors: [elder],
  data: { items: [], available: 0, loaded: false, error: '' },
  methods: {
    onShow() {
      this.applyElder()
      return this.load()
    },
    async load() {
      try {
        const body = await api.call('incentives')
        const items = body.items.slice().sort((a, b) => Number(b.eligible) - Number(a.eligible))
        this.setData({ items, available: items.filter(i => i.eligible).length, loaded: true, error: '' })
      } catch (err) {
        this.setData({ error: err.message, loaded: true })
      }
    },
  },
})
