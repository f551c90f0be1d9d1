// 我的信用码：大码、在服务器给的 refresh_at 时刷新、显示时调高屏幕亮度、实时时钟和等级颜色的移动色带
// （截图或照片一眼可辨），断网和过期时明确提示，“作废旧码”用于手机丢失。

const api = require('../../utils/api')
const { behavior: elder } = require('../../utils/elder')
const { grade, clockText } = require('../../utils/format')
const qrdraw = require('../../utils/qrdraw')

const RETRY_MS = 5000
const BAND_STEPS = 70 // the band's left edge runs 0..70 % and back every 14 s

Component({
  behaviors: [elder],
  data: {
    state: 'loading', // loading | ok | offline | expired | unbound
    token: '', grade: null, gradeZh: '', color: '#8a8a8a', clock: '', bandOffset: 0, expiresText: '',
    refreshEvery: 0, message: '', side: 260,
  },
  methods: {
    onLoad() {
      this.timers = {}
      this.expiresAtLocal = 0
    },
    onShow() {
      this.applyElder()
      this.setData({ side: this.data.elder ? 300 : 260 })
      this.brighten()
      this.startClock()
      this.watchNetwork()
      this.refresh()
    },
    onHide() { this.stop() },
    onUnload() { this.stop() },

    async refresh() {
      clearTimeout(this.timers.refresh)
      try {
        const body = await api.call('code')
        // Local time of expiry from the server's own offsets: a phone whose clock is wrong still counts right.
        this.expiresAtLocal = Date.now() + (body.expires_at - body.refresh_at + body.refresh_in) * 1000
        const g = grade(body.grade)
        this.setData({
          state: 'ok', token: body.code, grade: body.grade, gradeZh: body.grade_zh || g.zh, color: g.color,
          expiresText: clockText(this.expiresAtLocal), refreshEvery: body.refresh_in,
          message: '',
        })
        this.draw()
        this.timers.refresh = setTimeout(() => this.refresh(), Math.max(1, body.refresh_in) * 1000)
      } catch (err) {
        if (err.code === 'identity_required') {
          this.setData({ state: 'unbound', message: err.message })
          return
        }
        const state = this.isExpired() ? 'expired' : 'offline'
        this.setData({ state, message: err.message })
        this.draw()
        this.timers.refresh = setTimeout(() => this.refresh(), RETRY_MS)
      }
    },

    isExpired() {
      return Date.now() >= this.expiresAtLocal
    },

    tick() {
      const now = Date.now()
      const step = Math.floor(now / 1000) % (2 * BAND_STEPS / 5)
      const patch = { clock: clockText(now), bandOffset: Math.abs(step * 5 - BAND_STEPS) }
      if ((this.data.state === 'ok' || this.data.state === 'offline') && this.isExpired()) {
        patch.state = 'expired'
      }
      this.setData(patch)
      if (patch.state === 'expired') this.draw()
    },

    startClock() {
      clearInterval(this.timers.clock)
      this.tick()
      this.timers.clock = setInterval(() => this.tick(), 1000)
    },

    draw() {
      const token = this.data.token
      if (!token) return
      const faded = this.data.state === 'expired'
      this.createSelectorQuery().select('#qr').fields({ node: true, size: true }).exec(res => {
        const canvas = res && res[0] && res[0].node
        if (!canvas || !canvas.getContext) return // no canvas (tests): the token is in data
        const ratio = (wx.getWindowInfo ? wx.getWindowInfo() : wx.getSystemInfoSync()).pixelRatio || 2
        canvas.width = this.data.side * ratio
        canvas.height = this.data.side * ratio
        qrdraw.draw(canvas.getContext('2d'), qrdraw.matrix(token), canvas.width, faded)
      })
    },

    brighten() {
      wx.getScreenBrightness({ success: r => { if (this.savedBrightness === undefined) this.savedBrightness = r.value } })
      wx.setScreenBrightness({ value: 1 })
      wx.setKeepScreenOn({ keepScreenOn: true })
    },

    restoreBrightness() {
      if (this.savedBrightness !== undefined) wx.setScreenBrightness({ value: this.savedBrightness })
      this.savedBrightness = undefined
      wx.setKeepScreenOn({ keepScreenOn: false })
    },

    watchNetwork() {
      if (this.onNetwork) return
      this.onNetwork = res => {
        if (!res.isConnected) {
          clearTimeout(this.timers.refresh)
          this.setData({ state: this.isExpired() ? 'expired' : 'offline' })
        } else if (this.data.state === 'offline' || this.data.state === 'expired') {
          this.refresh()
        }
      }
      wx.onNetworkStatusChange(this.onNetwork)
    },

    stop() {
      clearTimeout(this.timers && this.timers.refresh)
      clearInterval(this.timers && this.timers.clock)
      if (this.onNetwork && wx.offNetworkStatusChange) wx.offNetworkStatusChange(this.onNetwork)
      this.onNetwork = null
      this.restoreBrightness()
    },

    revoke() {
      wx.showModal({
        title: '作废旧码',
        content: '手机丢失或码被他人拿到时使用：之前出示过的信用码全部作废，其他手机上的登录同时失效。确定作废吗？',
        confirmText: '确定作废',
        success: async r => {
          if (!r.confirm) return
          try {
            await api.call('revokeCodes')
            wx.showToast({ title: '旧码已作废', icon: 'success' })
            await this.refresh()
          } catch (err) {
            api.showError(err)
          }
        },
      })
    },

    goVerify() {
      wx.navigateTo({ url: '/pages/verify/index' })
    },
  },
})
