export default {
  title: '领导账号与内容',
  storage: {
    refused:
      '本机没有可用的系统密钥库（safeStorage：{backend}），设备的密钥只能以内置口令保存，拷走数据目录即可读取。' +
      '为保护领导内容，本机不开设领导账号、不导入也不同步领导内容。请在装有系统密钥库（如 GNOME 密钥环、KWallet）的环境下运行。',
  },
  enrol: {
    title: '开设领导账号',
    login: '登录账号',
    name: '姓名',
    password: '初始口令',
    passwordHint: '至少 {min} 个字符',
    invalid: {
      login: '登录账号为 {min}–{max} 个字符：以小写字母开头，只用小写字母、数字和 . _ -',
      name: '请填写姓名（不超过 {max} 字）',
      password: '初始口令至少 {min} 个字符，最多 {max} 个字符',
    },
    submit: '开设账号',
    done: '已开设账号 {login}。请领导用身份验证器（动态码）应用扫描二维码：',
    once: '二维码和密钥只显示这一次，关闭后无法再次查看。',
    secret: '无法扫码时手动输入密钥：',
    qrAlt: '动态码二维码',
    hide: '已扫描，关闭',
  },
  import: {
    title: '导入领导内容',
    hint: '选择中心下发的内容包（JSON 文件，不超过 32 MB）：日程、简报与机要文件，按编号更新。',
    choose: '选择内容包…',
    done: '已导入：日程 {schedules} 项、简报 {briefings} 项、文件 {files} 个，撤回 {removed} 项',
  },
  reasons: {
    login_taken: '该登录账号已存在',
    leader_storage_insecure: '本机没有可用的系统密钥库，不能保存领导内容',
    leader_not_found: '内容包中的领导账号不存在，请先开设账号',
    id_taken: '内容包中的编号已被其他内容使用',
    file_empty: '内容包中有空文件',
    file_too_large: '内容包中有文件超过 20 MB',
    file_type_mismatch: '内容包中有文件的内容与其类型不符',
    invalid_field: '内容包格式有误：{where}',
    not_json: '所选文件不是有效的 JSON 内容包',
    bundle_too_large: '内容包超过 {mb} MB，请分批导入',
  },
};
