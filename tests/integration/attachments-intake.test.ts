import crypto from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { jpeg } from '../fixtures/pages';
import { startIntakeCore, type IntakeCore } from '../fixtures/intake-core';
import { decodeArgs } from '../../electron/core/store/outbox-args';

let t: IntakeCore;
beforeEach(async () => {
  t = await startIntakeCore();
});
afterEach(() => t.stop());

const b64 = (b: Buffer) => b.toString('base64');
const outboxArgs = (name: string) =>
  (t.peek.prepare('SELECT args FROM outbox WHERE name = ? ORDER BY seq').all(name) as { args: Buffer }[]).map(
    (r) => decodeArgs(r.args) as Record<string, unknown>,
  );

describe('pages of a case being accepted at the counter', () => {
  it('collects pages per material, binds them to the case in its transaction and names them to central', async () => {
    const draftId = crypto.randomUUID();
    const materials = await t.tick('PSB-001');
    const m0 = materials[0]!.materialId;
    const p1 = await t.call('attachment.page.add', { draftId, materialId: m0, dataBase64: b64(jpeg(4000, 1)) });
    const p2 = await t.call('attachment.page.add', { draftId, materialId: m0, dataBase64: b64(jpeg(4000, 2)) });
    const reordered = await t.call('attachment.page.reorder', { draftId, materialId: m0, pageIds: [p2.id, p1.id] });
    expect(reordered.map((p) => p.id)).toEqual([p2.id, p1.id]);
    const read = await t.call('attachment.page.read', { pageId: p1.id });
    expect(Buffer.from(read.dataBase64, 'base64').equals(jpeg(4000, 1))).toBe(true);

    const ticket = await t.calledTicket();
    const applicant = await t.person();
    const c = await t.call('case.intake', {
      mutationId: t.m(),
      counterId: 'w1',
      ticketId: ticket.id,
      applicantId: applicant.id,
      matterCode: 'PSB-001',
      materials,
      outcome: 'accept',
      attachmentDraftId: draftId,
    });
    const pages = await t.call('attachment.page.list', { draftId });
    expect(pages.map((p) => [p.id, p.caseId, p.position])).toEqual([
      [p2.id, c.id, 0],
      [p1.id, c.id, 1],
    ]);
    const [attach] = outboxArgs('case.pages.attach');
    expect(attach).toEqual({
      caseId: c.id,
      pages: [
        { materialId: m0, position: 0, sha256: p2.sha256, bytes: 4000, mime: 'image/jpeg' },
        { materialId: m0, position: 1, sha256: p1.sha256, bytes: 4000, mime: 'image/jpeg' },
      ],
    });
    expect(await t.refusal('attachment.page.delete', { draftId, pageId: p1.id })).toMatchObject({
      code: 'CONFLICT',
      reason: 'DRAFT_ACCEPTED',
    });
  });

  it('refuses pages of a material the matter does not have, and the case is not created', async () => {
    const draftId = crypto.randomUUID();
    await t.call('attachment.page.add', { draftId, materialId: 'not-of-this-matter', dataBase64: b64(jpeg(500)) });
    const ticket = await t.calledTicket();
    const applicant = await t.person();
    const refused = await t.refusal('case.intake', {
      mutationId: t.m(),
      counterId: 'w1',
      ticketId: ticket.id,
      applicantId: applicant.id,
      matterCode: 'PSB-001',
      materials: await t.tick('PSB-001'),
      outcome: 'accept',
      attachmentDraftId: draftId,
    });
    expect(refused).toMatchObject({ code: 'CONFLICT', reason: 'UNKNOWN_MATERIAL' });
    expect(outboxArgs('case.create')).toEqual([]);
  });

  it('a file that is not a page, or an empty one, is a clear refusal over the contract', async () => {
    const draftId = crypto.randomUUID();
    const exe = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(100)]);
    expect(await t.refusal('attachment.page.add', { draftId, materialId: 'm', dataBase64: b64(exe) })).toMatchObject({
      code: 'INVALID_INPUT',
      reason: 'NOT_A_PAGE',
    });
    expect(await t.refusal('attachment.page.add', { draftId, materialId: 'm', dataBase64: '' })).toMatchObject({
      code: 'INVALID_INPUT',
    });
    // Only the counter: a kiosk may not add pages.
    const kiosk = await t.raw(t.kiosk, 'attachment.page.add', { draftId, materialId: 'm', dataBase64: b64(jpeg(10)) });
    expect(kiosk.ok).toBe(false);
  });
});
