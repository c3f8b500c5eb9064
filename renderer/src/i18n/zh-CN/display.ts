/** display page texts (zh-CN). */
export default {};
