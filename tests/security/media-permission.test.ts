import { describe, expect, it } from 'vitest';
import { ROLES } from '@shared/api';
import { permissionAllowed } from '../../electron/main/permissions';

const page = 'app://onewindow/index.html#/counter';
const video = { mediaTypes: ['video'], url: page };

describe('permissionAllowed: only the counter window may use a camera', () => {
  it('grants the counter video for our own page, as a request and as a check (origin only)', () => {
    expect(permissionAllowed(['counter'], 'media', video)).toBe(true);
    expect(permissionAllowed(['counter'], 'media', { mediaTypes: ['video'], url: 'app://onewindow' })).toBe(true);
  });

  it('denies the camera to every other role, and to a session the counter shares with another role', () => {
    for (const role of ROLES.filter((r) => r !== 'counter')) {
      expect(permissionAllowed([role], 'media', video), role).toBe(false);
    }
    expect(permissionAllowed(['counter', 'kiosk'], 'media', video)).toBe(false);
    expect(permissionAllowed([], 'media', video)).toBe(false);
  });

  it('denies the counter the microphone, and a request naming no media type', () => {
    expect(permissionAllowed(['counter'], 'media', { mediaTypes: ['audio'], url: page })).toBe(false);
    expect(permissionAllowed(['counter'], 'media', { mediaTypes: ['video', 'audio'], url: page })).toBe(false);
    expect(permissionAllowed(['counter'], 'media', { mediaTypes: ['unknown'], url: page })).toBe(false);
    expect(permissionAllowed(['counter'], 'media', { mediaTypes: [], url: page })).toBe(false);
  });

  it('denies the counter every other permission', () => {
    for (const permission of [
      'display-capture',
      'geolocation',
      'notifications',
      'clipboard-read',
      'hid',
      'openExternal',
    ]) {
      expect(permissionAllowed(['counter'], permission, video), permission).toBe(false);
    }
  });

  it('denies a page that is not ours, even a look-alike host', () => {
    for (const url of ['https://evil.example/', 'app://onewindow.evil/', 'file:///etc/passwd', 'about:blank', '']) {
      expect(permissionAllowed(['counter'], 'media', { mediaTypes: ['video'], url }), url).toBe(false);
    }
  });
});
