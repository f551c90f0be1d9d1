// 实名认证：微信人脸核身（后端开启核身得到 verify_id → wx.requestFacialVerify → 后端向微信确认），
// 或到政务服务窗口凭身份证办理（窗口核验码）。

const api = require('../../utils/api')
const config = require('../../utils/config')
const { behavior: elder } = require('../../utils/elder')
const { dateTimeText } = require('../../utils/format')

function facialVerify(verifyId) {
  if (config.dev && config.dev.skipFacialVerify) return Promise.resolve({ skipped: true }) // local stand-in only
  return new Promise((resolve, reject) => {
    wx.requestFacialVerify({ verifyId, success: resolve, fail: reject })
  })
}

Component({
  behaviors: [elder],
  data: { bound: false, me: null, name: '', idNumber: '', busy: false, error: '', counterCode: '', counterExpires: '' },
  methods: {
    onShow() {
      this.applyElder()
      return this.load()
    },
    async load() {
      try {
        const me = await api.call('me')
        this.setData({ bound: me.identity_bound, me })
      } catch (err) {
        this.setData({ error: err.message })
      }
    },
    onName(e) { this.setData({ name: e.detail.value }) },
    onId(e) { this.setData({ idNumber: e.detail.value.toUpperCase() }) },

    async startFace() {
      if (!this.data.name.trim() || this.data.idNumber.length !== 18) {
        this.setData({ error: '请填写姓名和 18 位身份证号。' })
        return
      }
      this.setData({ busy: true, error: '' })
      try {
        const started = await api.call('startFaceVerification',
          { data: { name: this.data.name.trim(), id_number: this.data.idNumber } })
        try {
          await facialVerify(started.verify_id)
        } catch (e) {
          this.setData({ error: '人脸核身未完成，可以重新开始，或到政务服务窗口办理。' })
          return
        }
        const me = await api.call('confirmFaceVerification', { params: { verification_id: started.verification_id } })
        this.setData({ bound: me.identity_bound, me })
        wx.showToast({ title: '实名认证成功', icon: 'success' })
      } catch (err) {
        this.setData({ error: err.message })
      } finally {
        this.setData({ busy: false })
      }
    },

    async getCounterCode() {
      try {
        const body = await api.call('counterCode')
        this.setData({ counterCode: body.counter_code, counterExpires: dateTimeText(body.expires_at) })
      } catch (err) {
        api.showError(err)
      }
    },

    goCode() { wx.redirectTo({ url: '/pages/code/index' }) },
  },
})
