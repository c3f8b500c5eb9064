import crypto from 'node:crypto';
import { AppError, type LeaderEnrolment, type LeaderStorage } from '@shared/api';
import type { Caller } from '../api/caller';
import { deriveKek, wrapKey } from './crypto';
import { leaderAad as aad } from './legacy-conversion';
import type { PaneCore, Profile } from './pane-core';
import { newSealKeyPair, sealJsonTo } from './seal-box';
import { leaderStorageRefusal } from './storage-policy';
import { base32Encode, newTotpSecret, otpauthUri } from './totp';

const TOTP_ISSUER = 'OneWindow 一窗通';

/** Leader accounts on this device, and what the device needs to hold them (central's key, a keychain). */
export function createLeaderEnrolment(core: PaneCore) {
  const { deps, store, now, scryptParams, audit, write, refuseInsecureStorage } = core;

  async function enrol(
    input: { login: string; name: string; password: string; leaderId?: string },
    caller: Caller,
  ): Promise<LeaderEnrolment> {
    if (store.accountByLogin(input.login)) {
      throw new AppError('CONFLICT', `leader login "${input.login}" exists already`, { reason: 'login_taken' });
    }
    if (input.leaderId && store.accountById(input.leaderId)) {
      throw new AppError('CONFLICT', `leader ${input.leaderId} has an account already`, { reason: 'leader_id_taken' });
    }
    refuseInsecureStorage();
    // Central's id when given: content pulled for that leader is sealed for this account.
    const id = input.leaderId ?? crypto.randomUUID();
    const pair = newSealKeyPair();
    const totpSecret = newTotpSecret();
    const kdfSalt = crypto.randomBytes(16);
    const kek = await deriveKek(input.password, kdfSalt, scryptParams);
    const sealPrivate = wrapKey(kek, pair.privateKey, 'seal-private', deps.crypto);
    pair.privateKey.fill(0);
    kek.fill(0);
    write(() => {
      store.insertAccount({
        id,
        login: input.login,
        profile: sealJsonTo(
          pair.publicKey,
          { name: input.name, totpSecret: totpSecret.toString('base64') } satisfies Profile,
          aad.profile(id),
          deps.crypto,
        ),
        kdfSalt,
        kdfParams: JSON.stringify(scryptParams),
        sealPublic: pair.publicKey,
        sealPrivate,
        at: now().toISOString(),
      });
      audit(caller, id, 'enrol', null);
    });
    return {
      leaderId: id,
      login: input.login,
      otpauthUri: otpauthUri(totpSecret, input.login, TOTP_ISSUER),
      totpSecret: base32Encode(totpSecret),
    };
  }

  return {
    enrol,
    /** Whether this device holds the account of a leader (by central's id): pulled content needs its key. */
    hasAccount: (leaderId: string): boolean => store.accountById(leaderId) !== undefined,
    /**
     * Central's public key for 批示, as enrolment gave it (null: that central has none). Actions not yet
     * forwarded and not yet sealed are sealed for it at their leader's next sign-in.
     */
    learnCentralKey(key: Buffer | null): void {
      store.setCentralKey(key, now().toISOString());
    },
    /** Whether leader content may be kept on this device, and what keeps its secrets (for the admin page). */
    storage: (): LeaderStorage => ({
      allowed: leaderStorageRefusal(deps.secretBackend) === null,
      backend: deps.secretBackend,
    }),
  };
}
