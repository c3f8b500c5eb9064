import { describe, expect, it } from 'vitest';
import { ApiCallError } from '../../renderer/src/api/api-call-error';
import { errorKey } from '../../renderer/src/api/error-key';
import enUS from '../../renderer/src/i18n/en-US/index';
import zhCN from '../../renderer/src/i18n/zh-CN/index';

const failure = (code: 'UNAVAILABLE' | 'CONFLICT', details?: unknown) =>
  new ApiCallError({ code, message: 'server words, never shown', details });

describe('the sentence of a failed call', () => {
  it('says the disk is full when the core says so, in both languages', () => {
    // The core's answer to a full disk (electron/core/api/dispatch.ts).
    const key = errorKey(failure('UNAVAILABLE', { reason: 'DISK_FULL' }));
    expect(key).toBe('errors.DISK_FULL');
    expect(zhCN.errors.DISK_FULL).toContain('磁盘已满');
    expect(zhCN.errors.DISK_FULL).toContain('管理员');
    expect(enUS.errors.DISK_FULL).toContain('disk is full');
  });

  it('keeps the code sentence otherwise', () => {
    expect(errorKey(failure('UNAVAILABLE'))).toBe('errors.UNAVAILABLE');
    expect(errorKey(failure('UNAVAILABLE', null))).toBe('errors.UNAVAILABLE');
    expect(errorKey(failure('CONFLICT', { reason: 'DISK_FULL' }))).toBe('errors.CONFLICT');
    expect(errorKey(new Error('network'))).toBe('errors.unknown');
  });
});
