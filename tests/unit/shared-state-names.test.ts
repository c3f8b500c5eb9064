import { describe, expect, it } from 'vitest';
import { CASE_STATES } from '@shared/intake/case-states';
import zhCN from '../../renderer/src/i18n/zh-CN';
import enUS from '../../renderer/src/i18n/en-US';
import { duration } from '../../renderer/src/components/insight/dashboard-tables';

type Tree = { [key: string]: string | Tree };

/** Every dictionary in the messages whose keys are exactly `keys`, by its path. */
function dictionariesOf(tree: Tree, keys: readonly string[], path = ''): string[] {
  const own = Object.keys(tree);
  const here = own.length === keys.length && keys.every((k) => own.includes(k)) ? [path] : [];
  return here.concat(
    own.flatMap((k) => (typeof tree[k] === 'object' ? dictionariesOf(tree[k], keys, `${path}.${k}`) : [])),
  );
}

describe('names of states shown on several pages', () => {
  it.each([
    ['zh-CN', zhCN],
    ['en-US', enUS],
  ])('%s names each case state, feedback status and rating level in one dictionary', (_, messages) => {
    const tree = messages as unknown as Tree;
    expect(dictionariesOf(tree, CASE_STATES)).toEqual(['.states.caseState']);
    expect(dictionariesOf(tree, ['open', 'assigned', 'resolved', 'closed'])).toEqual(['.states.feedbackStatus']);
    expect(dictionariesOf(tree, ['1', '2', '3', '4', '5'])).toEqual(['.states.ratingLevel']);
    expect(dictionariesOf(tree, ['complaint', 'suggestion', 'enquiry'])).toEqual(['.states.feedbackKind']);
  });

  it('calls a dispatched case 已分办, the hall’s word for it', () => {
    expect(zhCN.states.caseState.dispatched).toBe('已分办');
  });
});

describe('duration', () => {
  it('writes seconds as m:ss, so a one-second service is not 0', () => {
    expect(duration(1)).toBe('0:01');
    expect(duration(65.4)).toBe('1:05');
    expect(duration(4800)).toBe('80:00');
    expect(duration(null)).toBeNull();
  });
});
