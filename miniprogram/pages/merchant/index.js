// 商户信用（一码查信）：扫商户贴纸（小程序码 scene=m=<handle>，或贴纸上的网址 /m/<handle>-<序号>）打开，
// 显示商户的实时信用等级、抽检结果和公开承诺。无需登录。

const api = require('../../utils/api')
const { behavior: elder } = require('../../utils/elder')
const { grade } = require('../../utils/format')

// The merchant reference in what opened the page: a mini-program code's scene, a sticker URL (q), or ref.
function refOf(query) {
  if (!query) return ''
  if (query.ref) return query.ref
  if (query.scene) {
    const scene = decodeURIComponent(query.scene)
    const match = /(?:^|&)m=([^&]+)/.exec(scene)
    if (match) return match[1]
  }
  if (query.q) {
    const match = /\/m\/([^/?#]+)/.exec(decodeURIComponent(query.q))
    if (match) return match[1]
  }
  return ''
}

Component({
  behaviors: [elder],
  data: { m: null, color: '#8a8a8a', error: '' },
  methods: {
    onLoad(query) {
      this.ref = refOf(query)
      return this.load()
    },
    onShow() { this.applyElder() },
    async load() {
      if (!this.ref) {
        this.setData({ error: '没有识别出商户，请重新扫描商户的信用码。' })
        return
      }
      try {
        const m = await api.call('publicMerchant', { params: { ref: this.ref } })
        wx.setNavigationBarTitle({ title: m.stall_name || m.name })
        this.setData({ m, color: grade(m.grade).color, error: '' })
      } catch (err) {
        this.setData({ error: err.message })
      }
    },
  },
})

module.exports = { refOf }
