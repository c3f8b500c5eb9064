import { describe, expect, it } from 'vitest';
import { ApiCallError } from '../../renderer/src/api/api-call-error';
import { errorKey, isTransient } from '../../renderer/src/api/error-key';
import { sendMutation } from '../../renderer/src/api/send-mutation';
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

describe('which failures are worth sending again', () => {
  it('re-sends while the core is unreachable, never when its disk is full or it refused', async () => {
    expect(isTransient(failure('UNAVAILABLE'))).toBe(true);
    expect(isTransient(failure('UNAVAILABLE', { reason: 'DISK_FULL' }))).toBe(false);
    expect(isTransient(failure('CONFLICT'))).toBe(false);
    let sent = 0;
    const full = sendMutation(async () => {
      sent += 1;
      throw failure('UNAVAILABLE', { reason: 'DISK_FULL' });
    });
    await expect(full).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    expect(sent).toBe(1);
  });
});
