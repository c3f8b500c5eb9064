/**
 * The 好差评 scale, in a module of its own (no schemas): the rating screen shows it without loading the
 * contract's feedback schemas (shared/api/methods/feedback.ts, which re-exports it).
 */

/** 5 非常满意, 4 满意, 3 基本满意, 2 不满意, 1 非常不满意; 1 and 2 are bad reviews. */
export const RATING_LEVELS = [5, 4, 3, 2, 1] as const;
export const BAD_RATING_MAX = 2;
export const RATING_REASONS = [
  'long_wait',
  'attitude',
  'not_one_time_notice',
  'too_many_materials',
  'slow_processing',
  'unclear_guidance',
  'system_failure',
  'other',
] as const;
