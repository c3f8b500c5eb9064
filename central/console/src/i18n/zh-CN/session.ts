export default {
  signIn: {
    title: '登录中心控制台',
    intro: '部门经办人、督查与中心工作人员使用账号、密码和身份验证器动态码登录。',
    login: '账号',
    password: '密码',
    totp: '动态码',
    totpHint: '身份验证器上的 6 位数字',
    submit: '登录',
    expired: '会话已过期，请重新登录',
    idle: '已因 30 分钟无操作自动退出，请重新登录',
    signedOut: '已退出',
  },
};
