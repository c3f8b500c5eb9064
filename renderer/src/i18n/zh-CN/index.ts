import common from './common';
import counter from './counter';
import display from './display';
import kiosk from './kiosk';
import leader from './leader';
import leaderAdmin from './leader-admin';
import queueKpi from './queue-kpi';

/** zh-CN is the reference locale: en-US must have exactly its keys (checked by the type of en-US). */
export default {
  ...common,
  kioskPage: kiosk,
  counterPage: counter,
  displayPage: display,
  leaderPage: leader,
  leaderAdmin,
  queueKpi,
};
