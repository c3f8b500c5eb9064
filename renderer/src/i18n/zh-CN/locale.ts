import element from 'element-plus/es/locale/lang/zh-cn';
import messages from './index';

/** What a page loads when it shows Chinese: the app's messages and Element Plus's own words (../index.ts). */
export default { messages, element };
