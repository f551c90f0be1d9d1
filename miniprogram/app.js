// 信用汕尾 小程序入口。页面都用 Component 构造（官方支持用 Component 构造页面），便于在 miniprogram-simulate 中测试。
App({
  globalData: {},
})
