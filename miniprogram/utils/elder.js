// 长辈模式：字号放大、按钮加大、对比加强。开关存在本地（首页切换），每个页面混入这个 Behavior，
// 在显示时读取：根节点加 class “elder”，文字用 data.fs 里的字号（rpx）。

const STORAGE_KEY = 'sw_elder_mode'
const SIZES = {
  normal: { title: 40, body: 30, small: 26, big: 56, button: 32 },
  elder: { title: 60, body: 44, small: 36, big: 84, button: 48 },
}

function isElder() {
  return Boolean(wx.getStorageSync(STORAGE_KEY))
}

function setElder(on) {
  wx.setStorageSync(STORAGE_KEY, Boolean(on))
}

function sizes(on) {
  return on ? SIZES.elder : SIZES.normal
}

const behavior = Behavior({
  data: { elder: false, fs: SIZES.normal },
  lifetimes: {
    attached() { this.applyElder() },
  },
  methods: {
    applyElder() {
      const on = isElder()
      if (on !== this.data.elder || !this.data.fs) this.setData({ elder: on, fs: sizes(on) })
    },
  },
})

module.exports = { behavior, isElder, setElder, sizes, SIZES, STORAGE_KEY }
