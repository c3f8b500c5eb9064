/** Queue KPI panels (admin, counter) texts (zh-CN). */
export default {
  title: '今日排队统计',
  titleCompact: '本窗口业务今日统计',
  queue: '业务',
  fields: {
    waiting: '等候',
    issued: '取号',
    served: '已完成',
    noShows: '过号',
    avgWait: '平均等候',
    longestWait: '最长等候',
    avgService: '平均办理',
  },
  none: '—',
  seconds: '{s}秒',
  minutes: '{m}分{s}秒',
  hours: '{h}小时{m}分',
  empty: '尚未设置业务队列',
  stale: '统计暂未更新，正在重试…',
};
