import { z } from 'zod';
import {
  adminDeviceSchema,
  adminHallSchema,
  adminStaffSchema,
  enrolmentCodeSchema,
  hallLeaderSchema,
  totpEnrolmentSchema,
  type EnrolmentCodeInput,
  type HallCreateInput,
  type HallUpdateInput,
  type StaffQuery,
} from '@shared/console/administration';
import type { StaffCreateInput, StaffUpdateInput } from '@shared/identity/staff-input';
import { http } from './http';

const id = (s: string) => encodeURIComponent(s);

/** The administration routes of central's console API (`/admin/…`), each answer checked with the contract. */
export const administrationApi = {
  halls: () => http('GET', '/admin/halls', z.array(adminHallSchema)),
  createHall: (body: HallCreateInput) => http('POST', '/admin/halls', adminHallSchema, { body }),
  updateHall: (hallId: string, body: HallUpdateInput) =>
    http('POST', `/admin/halls/${id(hallId)}`, adminHallSchema, { body }),

  devices: (hallId: string) => http('GET', `/admin/halls/${id(hallId)}/devices`, z.array(adminDeviceSchema)),
  leaders: (hallId: string) => http('GET', `/admin/halls/${id(hallId)}/leaders`, z.array(hallLeaderSchema)),
  enrolmentCode: (hallId: string, body: EnrolmentCodeInput) =>
    http('POST', `/admin/halls/${id(hallId)}/enrolment-codes`, enrolmentCodeSchema, { body }),
  revoke: (deviceId: string) => http('POST', `/admin/devices/${id(deviceId)}/revoke`, adminDeviceSchema),

  staff: (query: Partial<StaffQuery>) => http('GET', '/admin/staff', z.array(adminStaffSchema), { query }),
  createStaff: (body: StaffCreateInput) => http('POST', '/admin/staff', adminStaffSchema, { body }),
  updateStaff: (staffId: string, body: StaffUpdateInput) =>
    http('POST', `/admin/staff/${id(staffId)}`, adminStaffSchema, { body }),
  setEnabled: (staffId: string, enabled: boolean) =>
    http('POST', `/admin/staff/${id(staffId)}/${enabled ? 'enable' : 'disable'}`, adminStaffSchema),
  resetPin: (staffId: string, pin: string) =>
    http('POST', `/admin/staff/${id(staffId)}/pin`, adminStaffSchema, { body: { pin } }),
  resetPassword: (staffId: string, password: string) =>
    http('POST', `/admin/staff/${id(staffId)}/password`, totpEnrolmentSchema, { body: { password } }),
  resetTotp: (staffId: string) => http('POST', `/admin/staff/${id(staffId)}/totp`, totpEnrolmentSchema),
};
