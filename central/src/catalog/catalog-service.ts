import type { FastifyRequest } from 'fastify';
import type {
  CatalogScope,
  CatalogWithdraw,
  DepartmentRow,
  DepartmentWrite,
  MatterListQuery,
  MatterPage,
  MatterRow,
  MatterWrite,
} from '@shared/console/catalog';
import type { RefKind } from '@shared/sync/reference';
import { inTransaction, type Db, type Tx } from '../db/pool';
import { IdentityError } from '../identity/sign-in';
import type { StaffRecord } from '../identity/staff-store';
import { writeRef } from '../reference/write-ref';
import { checkWriteScope, rowFilter } from './catalog-access';
import { catalogAdminStore } from './catalog-admin-store';

const who = (a: StaffRecord) => ({ staffId: a.id, login: a.login });

/**
 * The version check of a write, on the row locked for the transaction: a new row (`expectVersion` null)
 * must not be live in its scope yet (a withdrawn one may come back); an edit or a withdrawal must be of the
 * version the person saw.
 */
async function checkVersion(
  tx: Tx,
  kind: RefKind,
  id: string,
  hallId: string | null,
  expectVersion: number | null,
  idField: string,
) {
  const current = await catalogAdminStore.lock(tx, kind, id, hallId);
  if (expectVersion === null) {
    if (current && !current.deleted) {
      const message = `"${id}" is taken in this scope`;
      throw new IdentityError(409, 'CATALOG_ID_TAKEN', message, { fields: { [idField]: message } });
    }
    return;
  }
  if (!current || current.deleted) throw new IdentityError(404, 'NOT_FOUND', `no "${id}" in this scope`);
  if (current.version !== expectVersion) {
    throw new IdentityError(409, 'CATALOG_VERSION_CONFLICT', 'someone changed it since you opened it');
  }
}

async function readRow<T>(db: Db | Tx, kind: RefKind, id: string, hallId: string | null) {
  const r = await catalogAdminStore.row(db, kind, id, hallId);
  if (!r) throw new IdentityError(404, 'NOT_FOUND', `no "${id}" in this scope`);
  return { hallId, version: r.version, deleted: r.deleted, data: r.data as T };
}

/** Departments and matters at the console: read by scope, written through writeRef, one transaction each. */
export function createCatalogAdmin(db: Db) {
  async function departmentRow(tx: Tx, id: string, hallId: string | null): Promise<DepartmentRow> {
    const r = await readRow<DepartmentRow['department']>(tx, 'catalog.department', id, hallId);
    const matterCount = await catalogAdminStore.mattersOfDepartment(tx, id, hallId);
    return { hallId, version: r.version, department: r.data, matterCount };
  }

  async function matterRow(q: Db | Tx, code: string, hallId: string | null): Promise<MatterRow> {
    const r = await readRow<MatterRow['matter']>(q, 'catalog.matter', code, hallId);
    return { hallId, code, version: r.version, matter: r.deleted ? null : r.data };
  }

  return {
    async departments(actor: StaffRecord, scope: CatalogScope): Promise<DepartmentRow[]> {
      const rows = await catalogAdminStore.departments(db, rowFilter(actor, scope));
      return rows.map((r) => ({
        hallId: r.hallId,
        version: r.version,
        department: r.data,
        matterCount: r.matterCount,
      }));
    },

    writeDepartment(req: FastifyRequest, actor: StaffRecord, w: DepartmentWrite): Promise<DepartmentRow> {
      const { id } = w.department;
      return inTransaction(db, async (tx) => {
        await checkWriteScope(tx, actor, w.hallId);
        await checkVersion(tx, 'catalog.department', id, w.hallId, w.expectVersion, 'department.id');
        const row = { kind: 'catalog.department' as const, id, hallId: w.hallId, leaderId: null };
        await writeRef(tx, req, who(actor), { ...row, data: w.department, deleted: false });
        return departmentRow(tx, id, w.hallId);
      });
    },

    /** A department still named by live matters stays: the devices would refuse those matters' next edit. */
    withdrawDepartment(req: FastifyRequest, actor: StaffRecord, id: string, w: CatalogWithdraw): Promise<void> {
      return inTransaction(db, async (tx) => {
        await checkWriteScope(tx, actor, w.hallId);
        await checkVersion(tx, 'catalog.department', id, w.hallId, w.expectVersion, 'department.id');
        const n = await catalogAdminStore.mattersOfDepartment(tx, id, w.hallId);
        if (n > 0) {
          throw new IdentityError(409, 'DEPARTMENT_IN_USE', `${n} live matters name this department`, { matters: n });
        }
        const row = { kind: 'catalog.department' as const, id, hallId: w.hallId, leaderId: null };
        await writeRef(tx, req, who(actor), { ...row, data: null, deleted: true });
      });
    },

    async matters(actor: StaffRecord, q: MatterListQuery): Promise<MatterPage> {
      const { rows, total } = await catalogAdminStore.matters(db, rowFilter(actor, q.scope), {
        departmentId: q.departmentId,
        q: q.q,
        withdrawn: q.withdrawn === 'true',
        limit: q.pageSize,
        offset: (q.page - 1) * q.pageSize,
      });
      return {
        items: rows.map((r) => ({ hallId: r.hallId, code: r.code, version: r.version, matter: r.data })),
        total,
      };
    },

    async matter(actor: StaffRecord, code: string, scope: 'global' | string): Promise<MatterRow> {
      rowFilter(actor, scope);
      return matterRow(db, code, scope === 'global' ? null : scope);
    },

    /** The department must be live for the matter's devices: writeRef's check, shown beside the field. */
    writeMatter(req: FastifyRequest, actor: StaffRecord, w: MatterWrite): Promise<MatterRow> {
      const { code } = w.matter;
      return inTransaction(db, async (tx) => {
        await checkWriteScope(tx, actor, w.hallId);
        await checkVersion(tx, 'catalog.matter', code, w.hallId, w.expectVersion, 'matter.code');
        const row = { kind: 'catalog.matter' as const, id: code, hallId: w.hallId, leaderId: null };
        const written = await writeRef(tx, req, who(actor), { ...row, data: w.matter, deleted: false });
        if (written === 'UNKNOWN_DEPARTMENT') {
          const message = `no department "${w.matter.departmentId}" for the halls of this matter`;
          throw new IdentityError(400, 'UNKNOWN_DEPARTMENT', message, { fields: { 'matter.departmentId': message } });
        }
        return matterRow(tx, code, w.hallId);
      });
    },

    /** A withdrawn matter is a tombstone: the devices stop offering it and keep it for its cases. */
    withdrawMatter(req: FastifyRequest, actor: StaffRecord, code: string, w: CatalogWithdraw): Promise<MatterRow> {
      return inTransaction(db, async (tx) => {
        await checkWriteScope(tx, actor, w.hallId);
        await checkVersion(tx, 'catalog.matter', code, w.hallId, w.expectVersion, 'matter.code');
        const row = { kind: 'catalog.matter' as const, id: code, hallId: w.hallId, leaderId: null };
        await writeRef(tx, req, who(actor), { ...row, data: null, deleted: true });
        return matterRow(tx, code, w.hallId);
      });
    },
  };
}
export type CatalogAdmin = ReturnType<typeof createCatalogAdmin>;
