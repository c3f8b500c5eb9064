/** The admin page's hall-screen settings (zh-CN). */
export default {
  title: '叫号屏设置',
  layout: '显示方式',
  layouts: { auto: '自动', single: '大字单条叫号', grid: '各窗口网格' },
  layoutHint:
    '自动：{n} 个及以上窗口开放时显示各窗口网格，否则大字显示最新叫号。单个叫号屏可在地址后加 ?layout=grid 或 ?layout=single 固定显示方式。',
  voice: '播报语音',
  voices: { system: '系统中文语音（无则用离线录音）', clips: '仅用离线录音' },
  voiceName: '系统语音',
  firstVoice: '自动：叫号屏的第一个中文语音',
  notHere: '{voice}（本机没有）',
  noVoiceHere: '本机没有中文系统语音；叫号屏若有会使用它，否则使用离线录音。中文版 Windows 自带中文语音。',
  rate: '语速（{rate}）',
  preview: '试听',
  heardVoice: '已用 {voice} 播报示例',
  heardClips: '已用离线录音播报示例',
  save: '保存',
  saved: '叫号屏设置已保存，各叫号屏立即生效',
};
