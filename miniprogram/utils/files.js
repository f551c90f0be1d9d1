// 选择证明材料：从微信聊天里选 PDF、PNG、JPEG 文件（wx.chooseMessageFile），后端只收这三种，每个不超过 10 MB。
// 选好后由 utils/api.js 的 upload() 一次传一个。

const EXTENSIONS = ['pdf', 'png', 'jpg', 'jpeg']
const MAX_BYTES = 10 * 1024 * 1024

function chooseFiles(count) {
  return new Promise((resolve, reject) => {
    wx.chooseMessageFile({
      count: count || 1,
      type: 'file',
      extension: EXTENSIONS,
      success: res => {
        const files = (res.tempFiles || []).map(f => ({ path: f.path, name: f.name || f.path.split('/').pop(), size: f.size }))
        const big = files.find(f => f.size > MAX_BYTES)
        if (big) reject(new Error(`文件「${big.name}」超过 10 MB，请压缩后再选。`))
        else resolve(files)
      },
      fail: err => (/cancel/.test((err && err.errMsg) || '') ? resolve([]) : reject(new Error('未能选择文件，请重试。'))),
    })
  })
}

module.exports = { chooseFiles, EXTENSIONS, MAX_BYTES }
