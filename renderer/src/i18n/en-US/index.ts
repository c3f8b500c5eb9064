import type zhCN from '../zh-CN';
import common from './common';
import counter from './counter';
import display from './display';
import kiosk from './kiosk';
import leader from './leader';
import leaderAdmin from './leader-admin';
import queueKpi from './queue-kpi';

const enUS: typeof zhCN = {
  ...common,
  kioskPage: kiosk,
  counterPage: counter,
  displayPage: display,
  leaderPage: leader,
  leaderAdmin,
  queueKpi,
};
export default enUS;
