/** kiosk page texts (zh-CN). */
export default {};
