import type zh from '../zh-CN/kiosk';

/** kiosk page texts (en-US); the type keeps the keys equal to zh-CN's. */
const en: typeof zh = {};
export default en;
