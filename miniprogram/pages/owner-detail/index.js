// 我的商户：信用等级与明细、抽检结果、顾客看到的页面预览、一码查信海报下载（PDF 打印 / PNG 存相册）。
const api = require('../../utils/api')
const { behavior: elder } = require('../../utils/elder')
const { grade } = require('../../utils/format')

Component({
  behaviors: [elder],
  data: { file: null, color: '#8a8a8a', error: '' },
  methods: {
    onLoad(query) {
      this.handle = query && query.handle
      return this.load()
    },
    onShow() { this.applyElder() },
    async load() {
      try {
        const file = await api.call('merchantFile', { params: { handle: this.handle } })
        this.setData({ file, color: grade(file.grade).color, error: '' })
      } catch (err) {
        this.setData({ error: err.message })
      }
    },
    preview() {
      wx.navigateTo({ url: `/pages/merchant/index?ref=${this.handle}` })
    },
    async posterPdf() {
      try {
        const filePath = await api.download('posterPdf', { params: { handle: this.handle } })
        wx.openDocument({ filePath, fileType: 'pdf', showMenu: true })
      } catch (err) {
        api.showError(err)
      }
    },
    async posterPng() {
      try {
        const filePath = await api.download('posterPng', { params: { handle: this.handle } })
        wx.saveImageToPhotosAlbum({
          filePath,
          success: () => wx.showToast({ title: '已保存到相册', icon: 'success' }),
          fail: () => wx.showModal({ title: '提示', content: '保存失败：请在设置中允许访问相册后重试。', showCancel: false }),
        })
      } catch (err) {
        api.showError(err)
      }
    },
  },
})
