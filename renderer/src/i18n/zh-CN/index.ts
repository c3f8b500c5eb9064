import common from './common';
import counter from './counter';
import display from './display';
import kiosk from './kiosk';
import sync from './sync';
import centralAdmin from './central-admin';

/** zh-CN is the reference locale: en-US must have exactly its keys (checked by the type of en-US). */
export default {
  ...common,
  kioskPage: kiosk,
  counterPage: counter,
  displayPage: display,
  adminSync: sync,
  centralAdmin,
};
