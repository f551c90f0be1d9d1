// 消息订阅：后端列出的订阅消息模板（信用记录变动、修复与异议进度、报告生成……），点“订阅”用 wx.requestSubscribeMessage
// 询问（微信一次最多问 3 个，超过的再点一次），把每个模板的选择报给后端；下面是推送给我的消息及其结果。
// 订阅是一次性的：每次同意可收到一条该类消息。

const api = require('../../utils/api')
const { behavior: elder } = require('../../utils/elder')
const { dateTimeText } = require('../../utils/format')

const PER_ASK = 3 // wx.requestSubscribeMessage takes at most three templates at a time
const STATUS_ZH = { queued: '待发送', sent: '已发送', refused: '微信未送达', failed: '发送失败',
  skipped: '您未订阅' }
const CHOICE_ZH = { accept: '已订阅', reject: '已拒绝', ban: '已被封禁', filter: '已被过滤' }

function askSubscribe(tmplIds) {
  return new Promise((resolve, reject) => {
    wx.requestSubscribeMessage({ tmplIds, success: resolve, fail: reject })
  })
}

Component({
  behaviors: [elder],
  data: { templates: [], messages: [], next: 0, loaded: false, busy: false, error: '' },
  methods: {
    onShow() {
      this.applyElder()
      return this.load()
    },
    async load() {
      try {
        const [templates, messages] = await Promise.all([api.call('subscribeTemplates'), api.call('myMessages')])
        const names = {}
        templates.items.forEach(t => { names[t.event] = t.event_zh })
        const choices = {}
        this.data.templates.forEach(t => { choices[t.template_id] = t.choiceZh })
        this.setData({
          templates: templates.items.map(t => ({ ...t, choiceZh: choices[t.template_id] || '' })),
          messages: messages.items.map(m => ({ ...m, eventZh: names[m.event] || m.event, when: dateTimeText(m.created_at),
            statusZh: STATUS_ZH[m.status] || m.status })),
          loaded: true, error: '',
        })
      } catch (err) {
        this.setData({ error: err.message, loaded: true })
      }
    },
    // Must run from the tap itself (WeChat allows the prompt only then): the next three templates each time.
    async subscribe() {
      const { templates } = this.data
      if (!templates.length) return undefined
      const start = this.data.next >= templates.length ? 0 : this.data.next
      const batch = templates.slice(start, start + PER_ASK).map(t => t.template_id)
      this.setData({ busy: true, error: '' })
      try {
        let answer
        try {
          answer = await askSubscribe(batch)
        } catch (e) {
          const off = e && (e.errCode === 20004 || /switch/.test(e.errMsg || ''))
          throw new Error(off ? '您关闭了小程序的订阅消息，请在“设置 → 通知管理”中打开后重试。' : '未能发起订阅，请稍后重试。')
        }
        const results = {}
        batch.forEach(id => { if (CHOICE_ZH[answer[id]]) results[id] = answer[id] })
        const saved = await api.call('reportSubscriptions', { data: { results } })
        const chosen = {}
        saved.items.forEach(c => { chosen[c.template_id] = CHOICE_ZH[c.choice] || c.choice })
        this.setData({
          next: start + PER_ASK,
          templates: this.data.templates.map(t => (chosen[t.template_id] ? { ...t, choiceZh: chosen[t.template_id] } : t)),
        })
        wx.showToast({ title: '已保存您的选择', icon: 'success' })
      } catch (err) {
        this.setData({ error: err.message })
      } finally {
        this.setData({ busy: false })
      }
      return undefined
    },
  },
})
