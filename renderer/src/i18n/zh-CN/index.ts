import common from './common';
import counter from './counter';
import display from './display';
import feedback from './feedback';
import intake from './intake';
import kiosk from './kiosk';
import rating from './rating';

/** zh-CN is the reference locale: en-US must have exactly its keys (checked by the type of en-US). */
export default {
  ...common,
  kioskPage: kiosk,
  counterPage: counter,
  displayPage: display,
  intakePage: intake,
  feedbackPage: feedback,
  ratingPage: rating,
};
