// Element Plus's message and message box are called from scripts, where vite.config.ts's per-component
// import (which brings each template component's CSS) does not reach: import them from here, never from
// 'element-plus' (ESLint refuses it), so their CSS comes with them.
import 'element-plus/es/components/message/style/css';
import 'element-plus/es/components/message-box/style/css';

// eslint-disable-next-line no-restricted-imports -- the one place the renderer takes them from.
export { ElMessage, ElMessageBox } from 'element-plus';
