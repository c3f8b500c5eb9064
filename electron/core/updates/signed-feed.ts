import type { OutgoingHttpHeaders } from 'node:http';
import type { AppUpdater, CancellationToken } from 'electron-updater';
import { GenericProvider } from 'electron-updater/out/providers/GenericProvider';
import type { ProviderRuntimeOptions } from 'electron-updater/out/providers/Provider';
import type { ReleaseAlg } from '@shared/updates';
import { signatureFileOf, verifyRelease, type ReleaseTrust } from './release-signature';

/** electron-updater's feed options (builder-util-runtime's type, which the app does not depend on directly). */
type FeedOptions = Extract<Parameters<AppUpdater['setFeedURL']>[0], { provider: 'custom' }>;

/**
 * electron-updater's generic feed (central's `/updates/`), except that every document it reads as text — the
 * channel file (`latest.yml`, `latest-linux.yml`) — is returned only once its detached signatures (one per
 * built-in release key: Ed25519, SM2) verify over the very string the updater then parses. So the update info (versions, installer URLs and SHA-512s)
 * that drives every download comes from signed bytes; the installers are then held to those hashes by
 * electron-updater itself.
 */
export function signedFeed(url: string, trust: ReleaseTrust): FeedOptions {
  class SignedGenericProvider extends GenericProvider {
    constructor(_options: FeedOptions, updater: AppUpdater, runtimeOptions: ProviderRuntimeOptions) {
      super({ provider: 'generic', url }, updater, runtimeOptions);
    }

    protected override async httpRequest(
      target: URL,
      headers?: OutgoingHttpHeaders | null,
      cancellationToken?: CancellationToken,
    ): Promise<string | null> {
      const text = await super.httpRequest(target, headers, cancellationToken);
      const signatures: Partial<Record<ReleaseAlg, string | null>> = {};
      for (const { alg } of trust.keys) {
        const sigUrl = new URL(target);
        sigUrl.pathname = signatureFileOf(target.pathname, alg);
        signatures[alg] = await super.httpRequest(sigUrl, headers, cancellationToken).catch((e: unknown) => {
          if ((e as { statusCode?: number }).statusCode === 404) return null;
          throw e;
        });
      }
      const name = decodeURIComponent(target.pathname.split('/').pop() ?? '');
      // The executor decoded the body as UTF-8; the signer signed the file's UTF-8 bytes. A body that is not
      // valid UTF-8 re-encodes differently and fails here, so what is parsed is exactly what was signed.
      verifyRelease(name, Buffer.from(text ?? '', 'utf8'), signatures, trust);
      return text;
    }
  }
  return { provider: 'custom', updateProvider: SignedGenericProvider };
}
