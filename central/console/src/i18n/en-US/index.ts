import analysis from './analysis';
import auditAlarms from './audit-alarms';
import administration from './administration';
import cases from './cases';
import catalog from './catalog';
import common from './common';
import errors from './errors';
import feedback from './feedback';
import figures from './figures';
import notices from './notices';
import office from './office';
import session from './session';

export default {
  ...common,
  ...errors,
  ...session,
  ...cases,
  ...feedback,
  ...figures,
  ...office,
  ...analysis,
  ...catalog,
  ...administration,
  ...notices,
  ...auditAlarms,
};
