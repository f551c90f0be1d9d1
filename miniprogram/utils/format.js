// 显示用的小工具：等级颜色与中文、时间与日期（北京时间）。

const GRADE = {
  A: { zh: '优', color: '#1a9c5b', meaning: '信用优秀' },
  B: { zh: '良', color: '#2f7de1', meaning: '信用良好' },
  C: { zh: '中', color: '#e69a00', meaning: '信用一般' },
  D: { zh: '差', color: '#d93025', meaning: '存在严重失信行为' },
}
const UNRATED = { zh: '未评价', color: '#8a8a8a', meaning: '尚无信用记录，暂不评价' }

function grade(g) {
  return GRADE[g] || UNRATED
}

function pad(n) {
  return String(n).padStart(2, '0')
}

// Beijing time, whatever the phone's time zone.
function china(ms) {
  return new Date(ms + 8 * 3600 * 1000)
}

function clockText(ms) {
  const d = china(ms)
  return `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`
}

function dateText(ms) {
  const d = china(ms)
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`
}

function dateTimeText(iso) {
  const ms = Date.parse(iso)
  return Number.isNaN(ms) ? '' : `${dateText(ms)} ${clockText(ms).slice(0, 5)}`
}

const CATEGORY_ZH = {
  admin_licence: '行政许可', admin_penalty: '行政处罚', court_dishonesty: '失信被执行人', tax_rating: '纳税信用',
  honour: '表彰奖励', contract: '合同履约', product_inspection: '产品质量抽检', commitment: '信用承诺',
  declaration: '自主申报',
}
const SEVERITY_ZH = { minor: '轻微', general: '一般', serious: '严重' }

module.exports = { grade, clockText, dateText, dateTimeText, CATEGORY_ZH, SEVERITY_ZH }

// A calendar date (YYYY-MM-DD) plus n days, as the backend's dates are (no time zone involved).
function addDays(isoDate, n) {
  const d = new Date(`${isoDate}T00:00:00Z`)
  d.setUTCDate(d.getUTCDate() + n)
  return d.toISOString().slice(0, 10)
}

// 2027-02-12 → 2027年02月12日
function dateZh(isoDate) {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(isoDate || '')
  return m ? `${m[1]}年${m[2]}月${m[3]}日` : ''
}

module.exports.addDays = addDays
module.exports.dateZh = dateZh
