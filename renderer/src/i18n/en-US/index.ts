import type zhCN from '../zh-CN';
import common from './common';
import counter from './counter';
import display from './display';
import kiosk from './kiosk';
import sync from './sync';
import centralAdmin from './central-admin';

const enUS: typeof zhCN = {
  ...common,
  kioskPage: kiosk,
  counterPage: counter,
  displayPage: display,
  adminSync: sync,
  centralAdmin,
};
export default enUS;
