// 在 canvas（type="2d"）上画信用码：只在本机把后端签发的码画成二维码，码的内容不经过任何第三方。
const qrcode = require('./vendor/qrcode')

// The module matrix (true = dark) of a token, error correction M, smallest version that holds it.
function matrix(text) {
  const qr = qrcode(0, 'M')
  qr.addData(text, 'Byte')
  qr.make()
  const n = qr.getModuleCount()
  const rows = []
  for (let r = 0; r < n; r += 1) {
    const row = []
    for (let c = 0; c < n; c += 1) row.push(qr.isDark(r, c))
    rows.push(row)
  }
  return rows
}

// Draw on a 2d canvas context of `side` pixels, with a 4-module quiet zone.
function draw(ctx, rows, side, faded) {
  const unit = side / (rows.length + 8)
  ctx.fillStyle = '#ffffff'
  ctx.fillRect(0, 0, side, side)
  ctx.fillStyle = faded ? '#c8c8c8' : '#000000'
  rows.forEach((row, y) => row.forEach((dark, x) => {
    if (dark) ctx.fillRect((x + 4) * unit, (y + 4) * unit, Math.ceil(unit), Math.ceil(unit))
  }))
}

module.exports = { matrix, draw }
