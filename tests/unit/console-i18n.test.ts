import { describe, expect, it } from 'vitest';
import { FEEDBACK_CATEGORIES, FEEDBACK_CHANNELS, FEEDBACK_STATUSES } from '@shared/api/methods/feedback';
import { STAFF_ROLES } from '@shared/identity/staff';
import { CASE_ACTIONS, CASE_STATES } from '@shared/intake/case-states';
import enUS from '../../central/console/src/i18n/en-US';
import zhCN from '../../central/console/src/i18n/zh-CN';

type Tree = { [key: string]: string | Tree };

/** Every message path of a dictionary, as `a.b.c`. */
const paths = (tree: Tree, prefix = ''): string[] =>
  Object.entries(tree).flatMap(([k, v]) => (typeof v === 'string' ? [`${prefix}${k}`] : paths(v, `${prefix}${k}.`)));

describe('the console speaks in words, never codes', () => {
  it.each([
    ['zh-CN', zhCN],
    ['en-US', enUS],
  ])('%s names every case state and action, feedback status, channel, category and role', (_, m) => {
    expect(Object.keys(m.states.caseState).sort()).toEqual([...CASE_STATES].sort());
    for (const a of CASE_ACTIONS) expect(m.states.caseAction).toHaveProperty(a);
    expect(Object.keys(m.states.feedbackStatus).sort()).toEqual([...FEEDBACK_STATUSES].sort());
    expect(Object.keys(m.states.feedbackChannel).sort()).toEqual([...FEEDBACK_CHANNELS].sort());
    expect(Object.keys(m.states.feedbackCategory).sort()).toEqual([...FEEDBACK_CATEGORIES].sort());
    expect(Object.keys(m.role).sort()).toEqual([...STAFF_ROLES].sort());
  });

  it('has the same messages in both languages, none empty', () => {
    const zh = paths(zhCN as unknown as Tree);
    expect(paths(enUS as unknown as Tree)).toEqual(zh);
    const flat = (t: Tree, p: string) => p.split('.').reduce<string | Tree>((n, k) => (n as Tree)[k]!, t);
    for (const p of zh) {
      expect(flat(zhCN as unknown as Tree, p), p).not.toBe('');
      expect(flat(enUS as unknown as Tree, p), p).not.toBe('');
    }
  });

  it('names the sign-in refusals central answers with', () => {
    for (const code of ['INVALID_CREDENTIALS', 'TOTP_REQUIRED', 'TOTP_INVALID', 'ACCOUNT_LOCKED', 'SESSION_EXPIRED']) {
      expect(zhCN.errors).toHaveProperty(code);
    }
    expect(zhCN.errors.UNAUTHENTICATED).toBe('会话已过期，请重新登录');
  });
});
