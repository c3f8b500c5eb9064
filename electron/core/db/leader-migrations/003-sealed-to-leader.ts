import type { Migration } from '../migration';

/**
 * Content sealed to the leader rather than under a data key the device could unwrap: each account gets
 * an X25519 key pair whose private key only the password's key unwraps (`seal_public` in clear, so
 * content can be sealed while the pane is locked). Accounts from before keep their data key until the
 * leader's next sign-in converts them (no key is at hand in SQL); until then nothing is sealed for them.
 * Their data key's device wrapping goes now: only the password's is needed for that conversion, and the
 * core deletes the device key file that opened it.
 *
 * A 批示 travels sealed for central (`for_central`, central's public key from enrolment): NULL while the
 * device knows no central key, and such an action waits for the leader's next sign-in to be sealed.
 * Actions written before were forwarded in clear already, or go out on the leader's next sign-in.
 */
export const sealedToLeader: Migration = {
  version: 3,
  name: 'leader content sealed to the leader key pair',
  up(db) {
    db.exec(`
      ALTER TABLE leader_account ADD COLUMN seal_public BLOB;
      ALTER TABLE leader_account ADD COLUMN seal_private_by_password BLOB;
      ALTER TABLE leader_action ADD COLUMN for_central BLOB;
      UPDATE leader_account SET dek_by_device = X'';

      -- Central's public key for 批示, learned at enrolment; one row at most.
      CREATE TABLE leader_central_key (
        id         INTEGER PRIMARY KEY CHECK (id = 1),
        public_key BLOB NOT NULL,
        learned_at TEXT NOT NULL
      ) STRICT;
    `);
  },
};
