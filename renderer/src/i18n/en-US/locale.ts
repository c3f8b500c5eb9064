import element from 'element-plus/es/locale/lang/en';
import messages from './index';

/** What a page loads when it shows English: the app's messages and Element Plus's own words (../index.ts). */
export default { messages, element };
