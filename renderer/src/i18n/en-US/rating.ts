import type zhCN from '../zh-CN/rating';

/** rating texts (en-US). */
const rating: typeof zhCN = {
  reasons: {
    long_wait: 'Long wait',
    attitude: 'Poor attitude',
    not_one_time_notice: 'Not told everything at once',
    too_many_materials: 'Too many materials',
    slow_processing: 'Slow processing',
    unclear_guidance: 'Unclear guidance',
    system_failure: 'System failure',
    other: 'Other',
  },
  counter: {
    title: 'Rating',
    request: 'Ask for rating',
    waiting: 'Waiting for the rating…',
    result: 'Rated: {level}',
    failed: 'The rating request did not arrive: {message}',
  },
  screen: {
    welcome: 'Welcome to {hall}',
    idle: 'When your service is done, please rate it here',
    ask: 'How was our service?',
    clerk: '{counter} · served by {name}',
    counter: 'Counter {n}',
    reasonsTitle: 'Please tell us what went wrong (pick at least one or write a comment)',
    comment: 'Your comment (optional)',
    submit: 'Send rating',
    back: 'Choose again',
    reasonNeeded: 'Pick at least one reason or write a comment',
    thanks: 'Thank you for your rating!',
    thanksBad: 'Thank you. We will put it right and call you back',
    noCounter: 'This screen has no counter yet: sign in at the counter first',
  },
};
export default rating;
