import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { DebUpdater, NsisUpdater } from 'electron-updater';
import type { AppAdapter } from 'electron-updater/out/AppAdapter';
import { ElectronHttpExecutor } from 'electron-updater/out/electronHttpExecutor';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createReleaseKeyPair, signUpdatesFolder } from '../../scripts/sign-updates.mjs';
import type { CryptoProfileName } from '@shared/crypto/profile';
import type { ReleaseAlg as Alg } from '@shared/updates';
import type { ReleasePublicKeys } from '../../electron/core/updates/release-signature';
import { wireUpdater } from '../../electron/core/updates/updater';
import { tempDir } from '../fixtures/temp-dir';

/**
 * Whoever answers for central's /updates/ (or can write CENTRAL_UPDATES_DIR) must not get code onto a device:
 * the real electron-updater, wired as the app wires it, against a feed an attacker controls. "Installed" is
 * what the updater hands its installer when the app quits. A release carries an Ed25519 signature, an SM2 one
 * or both; a device built with both public keys accepts either, one whose profile is `sm` only the SM2 one.
 */
const PLATFORMS = [
  {
    platform: 'linux',
    Updater: DebUpdater,
    channel: `latest-linux${process.arch === 'x64' ? '' : `-${process.arch}`}.yml`,
    installerName: 'OneWindow-0.2.0-amd64.deb',
  },
  { platform: 'win32', Updater: NsisUpdater, channel: 'latest.yml', installerName: 'OneWindow-Setup-0.2.0.exe' },
] as const;

describe.each(PLATFORMS)(
  'signed updates ($platform): electron-updater installs only what a release key signed',
  (target) => {
    const { channel, installerName } = target;
    const t = tempDir('ow-sec-updates-');
    const feedDir = path.join(t.dir, 'feed');
    const release = { ed25519: createReleaseKeyPair('ed25519'), sm2: createReleaseKeyPair('sm2') };
    const stranger = { ed25519: createReleaseKeyPair('ed25519'), sm2: createReleaseKeyPair('sm2') };
    const builtIn = { ed25519: release.ed25519.publicKey, sm2: release.sm2.publicKey };
    const deb = Buffer.from(`${installerName}: release bytes`);
    const evil = Buffer.from(`${installerName}: attacker bytes`);
    const sha512 = (b: Buffer) => crypto.createHash('sha512').update(b).digest('base64');
    const latestYml = (installer: Buffer, version = '0.2.0') =>
      [
        `version: ${version}`,
        'files:',
        `  - url: ${installerName}`,
        `    sha512: ${sha512(installer)}`,
        `    size: ${installer.length}`,
        `path: ${installerName}`,
        `sha512: ${sha512(installer)}`,
        "releaseDate: '2026-12-01T08:00:00.000Z'",
        '',
      ].join('\n');
    let server: http.Server;
    let feedUrl: string;

    /** electron-updater's own executor (its download checks the SHA-512) over Node's http instead of Electron's net. */
    class NodeExecutor extends ElectronHttpExecutor {
      override createRequest(options: http.RequestOptions, callback: (response: http.IncomingMessage) => void) {
        // Node's request does what this executor asks of Electron's (write, end, abort, response events).
        return http.request(options, callback) as unknown as ReturnType<ElectronHttpExecutor['createRequest']>;
      }
    }

    /** A signed release as the release manager publishes it: installer, channel yml and its signatures. */
    const publishSignedRelease = (algs: readonly Alg[] = ['ed25519', 'sm2']) => {
      fs.rmSync(feedDir, { recursive: true, force: true });
      fs.mkdirSync(feedDir);
      fs.writeFileSync(path.join(feedDir, installerName), deb);
      fs.writeFileSync(path.join(feedDir, channel), latestYml(deb));
      signUpdatesFolder(
        feedDir,
        algs.map((a) => release[a].privateKey),
      );
    };

    beforeAll(async () => {
      server = http.createServer((req, res) => {
        const name = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname).replace(/^\/updates\//, '');
        const file = path.join(feedDir, name);
        if (name.includes('/') || !fs.existsSync(file)) {
          res.writeHead(404).end();
          return;
        }
        res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(fs.readFileSync(file));
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      feedUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/updates/`;
    });
    afterAll(async () => {
      await new Promise((resolve) => server.close(resolve));
      t.remove();
    });

    let device: ReturnType<typeof newDevice>;
    beforeEach(() => {
      publishSignedRelease();
      device = newDevice();
    });

    /** One installed app at 0.1.0: its own cache folder, quit handlers and record of what it installed. */
    function newDevice(publicKeys: ReleasePublicKeys = builtIn, profile: CryptoProfileName = 'default') {
      const home = fs.mkdtempSync(path.join(t.dir, 'device-'));
      const quitHandlers: ((code: number) => void)[] = [];
      const installed: Buffer[] = [];
      const logged: string[] = [];
      fs.writeFileSync(
        path.join(home, 'app-update.yml'),
        'provider: generic\nupdaterCacheDirName: onewindow-updater\n',
      );
      const app: AppAdapter = {
        version: '0.1.0',
        name: 'OneWindow',
        isPackaged: true,
        appUpdateConfigPath: path.join(home, 'app-update.yml'),
        userDataPath: path.join(home, 'user'),
        baseCachePath: path.join(home, 'cache'),
        whenReady: () => Promise.resolve(),
        relaunch: () => undefined,
        quit: () => undefined,
        onQuit: (handler) => quitHandlers.push(handler),
      };
      // Typed as one of them: both take (options, app) and install through doInstall.
      const Base = target.Updater as typeof DebUpdater;
      class RecordingUpdater extends Base {
        constructor() {
          super(null, app);
          // Set before the feed, which hands both to its provider: Node's http, and the platform whose channel
          // file (latest.yml, latest-linux.yml) and installer the updater picks.
          Object.assign(this, { httpExecutor: new NodeExecutor(), _testOnlyOptions: { platform: target.platform } });
          this.logger = null;
        }
        protected override doInstall(): boolean {
          installed.push(fs.readFileSync(this.installerPath ?? ''));
          return true;
        }
      }
      const updater = new RecordingUpdater();
      const check = wireUpdater(updater, feedUrl, publicKeys, profile, (m) => logged.push(m));
      const quit = () => quitHandlers.forEach((h) => h(0));
      return { check, quit, installed, logged };
    }

    const write = (name: string, data: string | Buffer) => fs.writeFileSync(path.join(feedDir, name), data);
    const sigOf = (alg: Alg) => (alg === 'sm2' ? `${channel}.sm2.sig` : `${channel}.sig`);
    const refused = async (d: ReturnType<typeof newDevice>, why: RegExp) => {
      await expect(d.check()).rejects.toThrow(why);
      d.quit();
      expect(d.installed).toEqual([]);
    };

    describe.each(['ed25519', 'sm2'] as const)('a release signed with %s only', (alg) => {
      // An SM2-signed release on an sm device (which requires it), an Ed25519 one on a default device.
      const profile: CryptoProfileName = alg === 'sm2' ? 'sm' : 'default';
      beforeEach(() => {
        publishSignedRelease([alg]);
        device = newDevice(builtIn, profile);
      });

      it('installs it', async () => {
        await device.check();
        device.quit();
        expect(device.installed).toEqual([deb]);
      });

      it('installs it on a default device as well', async () => {
        const other = newDevice(builtIn, 'default');
        await other.check();
        other.quit();
        expect(other.installed).toEqual([deb]);
      });

      it('refuses a tampered channel yml and installs nothing', async () => {
        write(installerName, evil);
        write(channel, latestYml(evil));
        await refused(device, /signature/i);
      });

      it('refuses a tampered installer under the signed yml and installs nothing', async () => {
        write(installerName, evil);
        await refused(device, /sha512/i);
      });

      it('refuses it without its signature, or signed by another key, and installs nothing', async () => {
        fs.rmSync(path.join(feedDir, sigOf(alg)));
        await refused(device, /no (SM2 )?signature/i);
        write(installerName, evil);
        write(channel, latestYml(evil));
        signUpdatesFolder(feedDir, stranger[alg].privateKey);
        await refused(newDevice(builtIn, profile), /signature/i);
      });
    });

    it('an sm device refuses an Ed25519-only release, and a build without the SM2 key updates nothing', async () => {
      publishSignedRelease(['ed25519']);
      await refused(newDevice(builtIn, 'sm'), /no SM2 signature/);
      expect(() => newDevice({ ed25519: builtIn.ed25519, sm2: null }, 'sm')).toThrow(/no SM2 release public key/);
    });

    it('refuses a release whose second signature is by another key, even when the first holds', async () => {
      signUpdatesFolder(feedDir, [release.ed25519.privateKey, stranger.sm2.privateKey]);
      await refused(device, /SM2 release key's signature/);
      signUpdatesFolder(feedDir, [stranger.ed25519.privateKey, release.sm2.privateKey]);
      await refused(newDevice(builtIn, 'sm'), /Ed25519 release key's signature/);
    });

    it('installs a correctly signed release', async () => {
      await device.check();
      device.quit();
      expect(device.installed).toEqual([deb]);
    });

    it('refuses a tampered channel yml (the attacker points it at their installer) and installs nothing', async () => {
      write(installerName, evil);
      write(channel, latestYml(evil));
      await expect(device.check()).rejects.toThrow(/signature/i);
      device.quit();
      expect(device.installed).toEqual([]);
    });

    it('refuses a tampered installer under the signed yml and installs nothing', async () => {
      write(installerName, evil);
      await expect(device.check()).rejects.toThrow(/sha512/i);
      device.quit();
      expect(device.installed).toEqual([]);
    });

    it('refuses a release without a signature and installs nothing', async () => {
      fs.rmSync(path.join(feedDir, sigOf('ed25519')));
      fs.rmSync(path.join(feedDir, sigOf('sm2')));
      await expect(device.check()).rejects.toThrow(/no signature/i);
      device.quit();
      expect(device.installed).toEqual([]);
    });

    it('refuses a release signed by another key and installs nothing', async () => {
      write(installerName, evil);
      write(channel, latestYml(evil));
      signUpdatesFolder(feedDir, [stranger.ed25519.privateKey, stranger.sm2.privateKey]);
      await expect(device.check()).rejects.toThrow(/signature/i);
      device.quit();
      expect(device.installed).toEqual([]);
    });

    it('refuses a garbled signature file and installs nothing', async () => {
      write(sigOf('sm2'), 'not a signature\n');
      await expect(device.check()).rejects.toThrow(/signature/i);
      device.quit();
      expect(device.installed).toEqual([]);
    });

    it('installs nothing from a replayed older signed release (a downgrade to a known-bad version)', async () => {
      write(channel, latestYml(deb, '0.0.9'));
      signUpdatesFolder(feedDir, [release.ed25519.privateKey, release.sm2.privateKey]);
      await device.check();
      device.quit();
      expect(device.installed).toEqual([]);
    });

    it('a build without a release public key turns updates off instead of trusting the feed', () => {
      expect(() => newDevice({ ed25519: null, sm2: null })).toThrow(/no release public key/);
      // A private key built in by mistake would ship the power to sign releases with every installer.
      expect(() => newDevice({ ed25519: stranger.ed25519.privateKey, sm2: null })).toThrow(/is a private key/);
      expect(() => newDevice({ ed25519: null, sm2: stranger.sm2.privateKey })).toThrow(/is a private key/);
    });
  },
);
