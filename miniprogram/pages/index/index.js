// 首页：入口、实名状态、长辈模式开关。用商户小程序码（scene=m=<handle>）打开时直接转到商户信用页。
const api = require('../../utils/api')
const { behavior: elder, setElder } = require('../../utils/elder')

const ENTRIES = [
  { title: '我的信用码', hint: '乘车、住宿、就医时出示', url: '/pages/code/index' },
  { title: '我的信用', hint: '等级、明细和记录', url: '/pages/credit/index' },
  { title: '可享优惠', hint: '信用+ 优惠与剩余次数', url: '/pages/perks/index' },
  { title: '扫码记录', hint: '谁扫了我的码', url: '/pages/scans/index' },
  { title: '实名认证', hint: '人脸核身或窗口办理', url: '/pages/verify/index' },
  { title: '我是商户', hint: '绑定商户、下载海报', url: '/pages/owner/index' },
]

Component({
  behaviors: [elder],
  data: { me: null, entries: ENTRIES, error: '' },
  methods: {
    onLoad(query) {
      if (query && query.scene) wx.redirectTo({ url: `/pages/merchant/index?scene=${query.scene}` })
    },
    onShow() {
      this.applyElder()
      return this.load()
    },
    async load() {
      try {
        this.setData({ me: await api.call('me'), error: '' })
      } catch (err) {
        this.setData({ error: err.message })
      }
    },
    go(e) { wx.navigateTo({ url: e.currentTarget.dataset.url }) },
    toggleElder(e) {
      setElder(e.detail.value)
      this.applyElder()
    },
  },
})
