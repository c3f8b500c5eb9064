import type { KeyObject } from 'node:crypto';
import type { CryptoProfileName } from '@shared/crypto/profile';
import { centralCommentAad } from '@shared/leader/seal-format';
import type { AccountRow, LeaderStore } from '../store/leader-store';
import { open, openJson, wrapKey } from './crypto';
import { newSealKeyPair, privateKeyOf, sealJsonTo, sealTo } from './seal-box';

/** AADs of the leader's records: the same strings under the data key (v1) and the sealed box (v2). */
export const leaderAad = {
  profile: (id: string) => `leader_account:${id}`,
  record: (leaderId: string, kind: string, id: string) => `leader_record:${leaderId}:${kind}:${id}`,
  blob: (leaderId: string, id: string) => `leader_file_blob:${leaderId}:${id}`,
  action: (leaderId: string, id: string) => `leader_action:${leaderId}:${id}`,
};

/**
 * Converts an account from before leader migration 3 at its first sign-in (the password is at hand only
 * then): a key pair is made, its private key wrapped by the password's key; every record, file, action and
 * the profile are opened with the old data key and sealed to the new public key, unforwarded actions for
 * central too; the data key's wrappings (by password and by device) are cleared. All in one transaction,
 * which the caller runs. Returns the private key for the session.
 */
export function convertLegacyAccount(
  store: LeaderStore,
  account: AccountRow,
  dek: Buffer,
  kek: Buffer,
  centralKey: Buffer | undefined,
  profile: CryptoProfileName = 'default',
): KeyObject {
  const pair = newSealKeyPair();
  const id = account.id;
  const reseal = (blob: Buffer, aad: string) => sealTo(pair.publicKey, open(dek, blob, aad), aad, profile);
  for (const r of store.allRecords(id)) {
    store.setRecordBody(r.id, reseal(r.body, leaderAad.record(id, r.kind, r.id)));
    const blob = r.kind === 'file' ? store.fileBlob(r.id) : undefined;
    if (blob) store.putFileBlob(r.id, reseal(blob, leaderAad.blob(id, r.id)));
  }
  // Those central does not have yet: they have waited for this sign-in to be sealed for it.
  const unsent = new Set(store.unsealedForCentral(id).map((a) => a.id));
  for (const a of store.allActions(id)) {
    const aad = leaderAad.action(id, a.id);
    const forCentral =
      a.for_central ??
      (centralKey && unsent.has(a.id)
        ? sealJsonTo(centralKey, openJson<unknown>(dek, a.body, aad), centralCommentAad(id, a.id))
        : null);
    store.setActionBodies(a.id, reseal(a.body, aad), forCentral);
  }
  store.convertAccount({
    id,
    profile: reseal(account.profile, leaderAad.profile(id)),
    sealPublic: pair.publicKey,
    sealPrivate: wrapKey(kek, pair.privateKey, 'seal-private', profile),
  });
  const key = privateKeyOf(pair.privateKey);
  pair.privateKey.fill(0);
  return key;
}
