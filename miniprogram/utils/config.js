// 后端地址与开发开关。
// baseUrl：在开发者工具里对着本机后端（`make run`，127.0.0.1:8000）调试时保持不变，并在“详情 → 本地设置”里勾选
// “不校验合法域名”；上线前改成已在小程序后台配置的 HTTPS 域名。
// dev：只用于本机的微信替身（backend/demo/wechat_standin.py），上线前必须全部清空：
//   loginCode        非空时用它代替 wx.login() 的 code（替身认 demo-<名字>，同一个名字总是同一个微信用户）；
//   skipFacialVerify 为 true 时不调用 wx.requestFacialVerify（替身在开启核身时就当作已通过；占位 appid 调不了核身）。
module.exports = {
  baseUrl: 'http://127.0.0.1:8000',
  dev: {
    loginCode: '',
    skipFacialVerify: false,
  },
}
