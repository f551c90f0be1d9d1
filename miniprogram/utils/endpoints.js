// 小程序调用的每一个后端接口（方法 + 路径模板）。页面只能通过 utils/api.js 按名字调用这里的接口；
// tests/contract.test.js 会把这张表与后端的 /openapi.json 逐条核对（方法、路径、是否要求 Idempotency-Key）。
//   auth: false        不带会话（登录、公开的商户信用页）
//   idempotencyKey     后端要求 Idempotency-Key 的写操作：同一次操作的重试使用同一个键
//   download           二进制文件（wx.downloadFile）

const ENDPOINTS = {
  login: { method: 'POST', path: '/api/mp/v1/login', auth: false },
  me: { method: 'GET', path: '/api/mp/v1/me' },
  code: { method: 'GET', path: '/api/mp/v1/me/code' },
  revokeCodes: { method: 'POST', path: '/api/mp/v1/me/code/revoke' },
  startFaceVerification: { method: 'POST', path: '/api/mp/v1/me/identity/face-verifications' },
  confirmFaceVerification: {
    method: 'POST', path: '/api/mp/v1/me/identity/face-verifications/{verification_id}/confirm',
  },
  counterCode: { method: 'POST', path: '/api/mp/v1/me/identity/counter-code' },
  myCredit: { method: 'GET', path: '/api/mp/v1/me/credit' },
  myScans: { method: 'GET', path: '/api/mp/v1/me/scans' },
  incentives: { method: 'GET', path: '/api/mp/v1/incentives' },
  myMerchants: { method: 'GET', path: '/api/mp/v1/me/merchants' },
  bindMerchant: { method: 'POST', path: '/api/mp/v1/me/merchants' },
  merchantFile: { method: 'GET', path: '/api/mp/v1/me/merchants/{handle}' },
  posterPdf: { method: 'GET', path: '/api/mp/v1/me/merchants/{handle}/poster.pdf', download: true },
  posterPng: { method: 'GET', path: '/api/mp/v1/me/merchants/{handle}/poster.png', download: true },
  publicMerchant: { method: 'GET', path: '/api/public/v1/merchants/{ref}', auth: false },
}

module.exports = { ENDPOINTS }
