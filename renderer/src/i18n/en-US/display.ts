import type zh from '../zh-CN/display';

/** display page texts (en-US); the type keeps the keys equal to zh-CN's. */
const en: typeof zh = {
  title: 'Calling board',
  current: {
    label: 'Now calling',
    sentence: 'Number {number}, please go to counter {counter}',
    recall: 'Repeated call',
    none: 'No calls yet',
    between: 'Please wait for the next call',
    noneHint: 'Please take a ticket and wait in the waiting area; watch the screen and listen for your number',
  },
  history: {
    title: 'Recent calls',
    empty: 'No calls yet',
    columns: { number: 'Number', counter: 'Counter' },
    recall: 'Again',
    recalls: 'Recalled ×{n}',
    noShow: 'Missed',
    transferred: 'Moved',
  },
  grid: {
    title: 'Now calling at each counter',
    counter: 'Counter {counter}',
    state: { called: 'Please come', serving: 'Serving', idle: 'Free', paused: 'On a break' },
    empty: 'No counter is open',
  },
  waiting: {
    title: 'Waiting per service',
    count: '{count}',
    empty: 'No service is open',
  },
  caption: {
    speaking: 'Announcing',
    idle: 'Missed your call? Please ask at the counter that called you',
  },
  voice: {
    enable: 'Enable voice announcements',
    hint: 'The browser needs one click or key press before it may play sound',
    unavailable: 'This device cannot play sound; calls are shown only',
  },
  loadFailed: 'Could not load the calling board, retrying…',
};
export default en;
