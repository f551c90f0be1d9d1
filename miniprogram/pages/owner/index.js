// 我是商户：用市场管理方发的绑定码成为商户的经营者，查看我的商户。
const api = require('../../utils/api')
const { behavior: elder } = require('../../utils/elder')
const { grade } = require('../../utils/format')

function view(m) {
  return { ...m, gradeZh: grade(m.grade).zh, color: grade(m.grade).color }
}

Component({
  behaviors: [elder],
  data: { merchants: [], bindingCode: '', busy: false, loaded: false, error: '' },
  methods: {
    onShow() {
      this.applyElder()
      return this.load()
    },
    async load() {
      try {
        const merchants = await api.call('myMerchants')
        this.setData({ merchants: merchants.map(view), loaded: true })
      } catch (err) {
        this.setData({ error: err.message, loaded: true })
      }
    },
    onCode(e) { this.setData({ bindingCode: e.detail.value }) },
    async bind() {
      if (!this.data.bindingCode.trim()) {
        this.setData({ error: '请输入绑定码。' })
        return
      }
      this.setData({ busy: true, error: '' })
      try {
        const m = await api.call('bindMerchant', { data: { binding_code: this.data.bindingCode.trim() } })
        wx.showToast({ title: '绑定成功', icon: 'success' })
        this.setData({ bindingCode: '', merchants: this.data.merchants.concat([view(m)]) })
      } catch (err) {
        this.setData({ error: err.message })
      } finally {
        this.setData({ busy: false })
      }
    },
    open(e) {
      wx.navigateTo({ url: `/pages/owner-detail/index?handle=${e.currentTarget.dataset.handle}` })
    },
  },
})
