import type { FastifyInstance } from 'fastify';
import { centralSignInSchema } from '@shared/api/methods/central-admin';
import { CONSOLE_API, type ConsoleSession } from '@shared/console/session';
import { inTransaction, type Db } from '../db/pool';
import { auditAdmin } from '../identity/audit';
import { sendIdentityError } from '../identity/identity-routes';
import { IdentityError, signIn, signOut } from '../identity/sign-in';
import { staffStore } from '../identity/staff-store';
import { bearer } from '../routes/auth';
import { invalidInput } from '../routes/invalid-input';
import { consolePersonOf, mayUseConsole, requireConsole } from './console-access';

/**
 * The console's sign-in: the admin API's (password, TOTP, lockout, audit), refused after the password for a
 * person whose roles have no console (a clerk): that session ends at once, so it opens nothing.
 */
export function consoleSessionRoutes(app: FastifyInstance, db: Db) {
  app.post(`${CONSOLE_API}/session`, async (req, reply) => {
    const p = centralSignInSchema.safeParse(req.body);
    if (!p.success) return invalidInput(reply, p.error);
    try {
      const session = await signIn(db, req, p.data);
      const staff = (await staffStore.byId(db, session.person.staffId))!;
      if (!mayUseConsole(staff)) {
        await inTransaction(db, async (tx) => {
          await staffStore.endSession(tx, session.token);
          await auditAdmin(
            tx,
            req,
            { staffId: staff.id, login: staff.login },
            { action: 'console_refused', entity: `staff:${staff.id}`, hallId: null, outcome: 'refused' },
          );
        });
        throw new IdentityError(403, 'FORBIDDEN', 'this role has no access to the console');
      }
      const answer: ConsoleSession = {
        token: session.token,
        expiresAt: session.expiresAt,
        person: consolePersonOf(staff),
      };
      return answer;
    } catch (e) {
      return sendIdentityError(reply, e);
    }
  });

  app.register(async (scoped) => {
    scoped.addHook('preHandler', requireConsole(db));
    scoped.get(`${CONSOLE_API}/session`, async (req) => ({ person: consolePersonOf(req.actor!) }));
    scoped.delete(`${CONSOLE_API}/session`, async (req) => {
      await signOut(db, req, bearer(req)!, req.actor!);
      return { signedOut: true };
    });
  });
}
