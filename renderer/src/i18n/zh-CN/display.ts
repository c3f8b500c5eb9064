/** display page texts (zh-CN). */
export default {
  title: '叫号信息',
  current: {
    label: '正在叫号',
    // {number} and {counter} are filled with large elements by the page (I18nT slots).
    sentence: '请{number}号到{counter}号窗口办理',
    recall: '重复呼叫',
    none: '暂无叫号',
    between: '请等候叫号',
    noneHint: '请取号后在等候区耐心等候，留意屏幕与语音叫号',
  },
  history: {
    title: '最近叫号',
    empty: '暂无叫号记录',
    columns: { number: '号码', counter: '窗口' },
    recall: '重呼',
    recalls: '重呼 ×{n}',
    noShow: '过号',
    transferred: '已转',
  },
  grid: {
    title: '各窗口叫号',
    counter: '{counter}号窗口',
    state: { called: '请到窗口', serving: '办理中', idle: '空闲', paused: '暂停服务' },
    empty: '暂无开放的窗口',
  },
  waiting: {
    title: '各业务等候人数',
    count: '{count}人',
    empty: '暂无开放的业务',
  },
  caption: {
    speaking: '正在播报',
    idle: '过号的群众请到原窗口咨询',
  },
  voice: {
    enable: '启用语音播报',
    hint: '浏览器需要点击或按键一次才能播放叫号声音',
    unavailable: '本机无法播放声音，仅显示叫号',
  },
  loadFailed: '叫号信息获取失败，正在重试…',
};
