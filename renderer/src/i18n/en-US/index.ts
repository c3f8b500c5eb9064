import type zhCN from '../zh-CN';
import common from './common';
import counter from './counter';
import display from './display';
import displaySettings from './display-settings';
import feedback from './feedback';
import insight from './insight';
import intake from './intake';
import kiosk from './kiosk';
import leader from './leader';
import leaderAdmin from './leader-admin';
import queueKpi from './queue-kpi';
import rating from './rating';
import sync from './sync';
import centralAdmin from './central-admin';
import hallSetup from './hall-setup';
import identity from './identity';
import states from './states';

const enUS: typeof zhCN = {
  ...common,
  kioskPage: kiosk,
  counterPage: counter,
  displayPage: display,
  displaySettings,
  leaderPage: leader,
  leaderAdmin,
  queueKpi,
  intakePage: intake,
  feedbackPage: feedback,
  ratingPage: rating,
  adminSync: sync,
  centralAdmin,
  hallSetup,
  identity,
  insight,
  states,
};
export default enUS;
