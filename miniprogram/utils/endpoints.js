// 小程序调用的每一个后端接口（方法 + 路径模板）。页面只能通过 utils/api.js 按名字调用这里的接口；
// tests/contract.test.js 会把这张表与后端的 /openapi.json 逐条核对（方法、路径、是否要求 Idempotency-Key）。
//   auth: false        不带会话（登录、公开的商户信用页）
//   idempotencyKey     后端要求 Idempotency-Key 的写操作：同一次操作的重试使用同一个键
//   download           二进制文件（wx.downloadFile）
//   upload             multipart/form-data，一次一个文件（wx.uploadFile，字段名 files），不自动重试
//   keyAhead           后端的 /openapi.json 还没有声明、但已在补上 Idempotency-Key 的写操作：照样带键（可安全重试），
//                      核对时两种情况都接受；后端声明后删掉这个标记即可

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

  // 信用修复
  myRepairs: { method: 'GET', path: '/api/mp/v1/me/repairs' },
  repairCommitment: { method: 'GET', path: '/api/mp/v1/me/repairs/commitment' },
  applyRepair: { method: 'POST', path: '/api/mp/v1/me/repairs', upload: true },
  completeRepair: { method: 'POST', path: '/api/mp/v1/me/repairs/{ref}/completion', upload: true },
  // 异议
  myObjections: { method: 'GET', path: '/api/mp/v1/me/objections' },
  myObjection: { method: 'GET', path: '/api/mp/v1/me/objections/{number}' },
  fileObjection: { method: 'POST', path: '/api/mp/v1/me/objections' },
  addObjectionEvidence: { method: 'POST', path: '/api/mp/v1/me/objections/{number}/evidence', upload: true },
  askReview: { method: 'POST', path: '/api/mp/v1/me/objections/{number}/review' },
  // 自主申报与正面信息的公开
  declarationCommitment: { method: 'GET', path: '/api/mp/v1/me/declarations/commitment' },
  myDeclarations: { method: 'GET', path: '/api/mp/v1/me/declarations' },
  declare: { method: 'POST', path: '/api/mp/v1/me/declarations', idempotencyKey: true },
  addDeclarationEvidence: { method: 'POST', path: '/api/mp/v1/me/declarations/{number}/evidence', upload: true },
  supplementDeclaration: { method: 'POST', path: '/api/mp/v1/me/declarations/{number}/supplement' },
  preferences: { method: 'GET', path: '/api/mp/v1/me/preferences' },
  setPreferences: { method: 'PUT', path: '/api/mp/v1/me/preferences' },
  // 专项信用报告
  myReports: { method: 'GET', path: '/api/mp/v1/me/reports' },
  requestReport: { method: 'POST', path: '/api/mp/v1/me/reports', idempotencyKey: true },
  reportPdf: { method: 'GET', path: '/api/mp/v1/me/reports/{report_no}.pdf', download: true },
  // 谁查询了我
  myQueries: { method: 'GET', path: '/api/mp/v1/me/queries' },
  // 消息订阅
  subscribeTemplates: { method: 'GET', path: '/api/mp/v1/subscribe-templates', auth: false },
  reportSubscriptions: { method: 'POST', path: '/api/mp/v1/me/subscriptions' },
  myMessages: { method: 'GET', path: '/api/mp/v1/me/messages' },
}

module.exports = { ENDPOINTS }
