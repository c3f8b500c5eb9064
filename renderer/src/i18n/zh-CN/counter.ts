/** counter page texts (zh-CN). */
export default {};
