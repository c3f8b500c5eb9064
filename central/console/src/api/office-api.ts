import { z } from 'zod';
import {
  officeBriefingSchema,
  officeFileSchema,
  officeLeadersSchema,
  officeScheduleSchema,
  type OfficeBriefingInput,
  type OfficeBriefingUpdate,
  type OfficeFileInput,
  type OfficeScheduleInput,
  type OfficeScheduleUpdate,
} from '@shared/console/office';
import { http } from './http';

const id = (s: string) => encodeURIComponent(s);
const leader = (staffId: string) => `/office/leaders/${id(staffId)}`;

/** The leader's office routes of central's console API, each answer checked with the shared contract. */
export const officeApi = {
  leaders: () => http('GET', '/office/leaders', officeLeadersSchema),

  schedules: (staffId: string, query: { from: string; to: string }) =>
    http('GET', `${leader(staffId)}/schedules`, z.array(officeScheduleSchema), { query }),
  createSchedule: (staffId: string, body: OfficeScheduleInput) =>
    http('POST', `${leader(staffId)}/schedules`, officeScheduleSchema, { body }),
  updateSchedule: (staffId: string, itemId: string, body: OfficeScheduleUpdate) =>
    http('POST', `${leader(staffId)}/schedules/${id(itemId)}`, officeScheduleSchema, { body }),
  cancelSchedule: (staffId: string, itemId: string, version: number) =>
    http('POST', `${leader(staffId)}/schedules/${id(itemId)}/cancel`, officeScheduleSchema, { body: { version } }),

  briefings: (staffId: string) => http('GET', `${leader(staffId)}/briefings`, z.array(officeBriefingSchema)),
  createBriefing: (staffId: string, body: OfficeBriefingInput) =>
    http('POST', `${leader(staffId)}/briefings`, officeBriefingSchema, { body }),
  updateBriefing: (staffId: string, itemId: string, body: OfficeBriefingUpdate) =>
    http('POST', `${leader(staffId)}/briefings/${id(itemId)}`, officeBriefingSchema, { body }),
  withdrawBriefing: (staffId: string, itemId: string, version: number) =>
    http('POST', `${leader(staffId)}/briefings/${id(itemId)}/withdraw`, officeBriefingSchema, { body: { version } }),

  files: (staffId: string) => http('GET', `${leader(staffId)}/files`, z.array(officeFileSchema)),
  uploadFile: (staffId: string, body: OfficeFileInput) =>
    http('POST', `${leader(staffId)}/files`, officeFileSchema, { body }),
  withdrawFile: (staffId: string, itemId: string, version: number) =>
    http('POST', `${leader(staffId)}/files/${id(itemId)}/withdraw`, officeFileSchema, { body: { version } }),
};
