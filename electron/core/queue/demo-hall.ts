import type { HallStaffRole } from '@shared/identity/staff';
import type { Counter, Queue } from '@shared/api';

/** A realistic small hall for trials and tests: five queues, six counters, three clerks (PIN 123456). */
export const DEMO_QUEUES: Queue[] = [
  {
    id: 'general',
    prefix: 'A',
    nameZh: '综合受理',
    nameEn: 'General services',
    groupZh: '综合业务',
    groupEn: 'General',
    applicantTypes: ['person', 'organisation'],
    dailyMax: 500,
    opensAt: '08:30',
    closesAt: '17:30',
    avgServiceSeconds: 420,
    active: true,
    sortOrder: 1,
  },
  {
    id: 'business',
    prefix: 'B',
    nameZh: '企业开办',
    nameEn: 'Business registration',
    groupZh: '企业服务',
    groupEn: 'Business',
    applicantTypes: ['organisation'],
    dailyMax: 300,
    opensAt: '08:30',
    closesAt: '17:30',
    avgServiceSeconds: 600,
    active: true,
    sortOrder: 2,
  },
  {
    id: 'property',
    prefix: 'C',
    nameZh: '不动产登记',
    nameEn: 'Real estate registration',
    groupZh: '不动产',
    groupEn: 'Real estate',
    applicantTypes: ['person', 'organisation'],
    dailyMax: 300,
    opensAt: '08:30',
    closesAt: '17:00',
    avgServiceSeconds: 900,
    active: true,
    sortOrder: 3,
  },
  {
    id: 'social',
    prefix: 'D',
    nameZh: '社保医保',
    nameEn: 'Social & medical insurance',
    groupZh: '社会保障',
    groupEn: 'Social security',
    applicantTypes: ['person', 'organisation'],
    dailyMax: 400,
    opensAt: '08:30',
    closesAt: '17:30',
    avgServiceSeconds: 300,
    active: true,
    sortOrder: 4,
  },
  {
    id: 'fund',
    prefix: 'E',
    nameZh: '公积金',
    nameEn: 'Housing provident fund',
    groupZh: '住房公积金',
    groupEn: 'Housing fund',
    applicantTypes: ['person'],
    dailyMax: 300,
    opensAt: '08:30',
    closesAt: '17:30',
    avgServiceSeconds: 360,
    active: true,
    sortOrder: 5,
  },
];

export const DEMO_COUNTERS: Pick<Counter, 'id' | 'number' | 'name' | 'queueIds'>[] = [
  { id: 'w1', number: 1, name: '综合窗口1', queueIds: ['general', 'social', 'fund'] },
  { id: 'w2', number: 2, name: '综合窗口2', queueIds: ['general', 'social', 'fund'] },
  { id: 'w3', number: 3, name: '综合窗口3', queueIds: ['general', 'property'] },
  { id: 'w4', number: 4, name: '企业开办窗口', queueIds: ['business'] },
  { id: 'w5', number: 5, name: '不动产窗口', queueIds: ['property'] },
  { id: 'w12', number: 12, name: '帮办代办窗口', queueIds: ['general', 'business', 'property', 'social', 'fund'] },
];

/** TOTP secret of the demo hall administrator and supervisor: public (README), so trials only. */
export const DEMO_TOTP_SECRET = 'ONEWINDOWDEMOTOTPSECRETKEYSABCDE';
export const DEMO_PASSWORD = 'demo-hall-2026';

/**
 * The demo hall's people: three clerks (PIN 123456), a supervisor (值班长) who also serves at a counter,
 * and the hall administrator; the last two sign in on the admin page with DEMO_PASSWORD and a code of
 * DEMO_TOTP_SECRET.
 */
export const DEMO_STAFF: DemoStaff[] = [
  { id: 'clerk01', login: 'clerk01', name: '王丽', roles: ['clerk'], pin: '123456' },
  { id: 'clerk02', login: 'clerk02', name: '李强', roles: ['clerk'], pin: '123456' },
  { id: 'clerk03', login: 'clerk03', name: '张敏', roles: ['clerk'], pin: '123456' },
  {
    id: 'super01',
    login: 'super01',
    name: '赵刚',
    roles: ['clerk', 'supervisor'],
    pin: '123456',
    password: DEMO_PASSWORD,
    totpSecret: DEMO_TOTP_SECRET,
  },
  {
    id: 'admin01',
    login: 'admin',
    name: '陈静',
    roles: ['hall_admin'],
    password: DEMO_PASSWORD,
    totpSecret: DEMO_TOTP_SECRET,
  },
];

export interface DemoStaff {
  id: string;
  login: string;
  name: string;
  roles: HallStaffRole[];
  pin?: string;
  password?: string;
  totpSecret?: string;
}
