import { z } from 'zod';
import {
  calendarStatusSchema,
  calendarViewSchema,
  type CalendarDayRemove,
  type CalendarDayWrite,
  type CalendarImport,
} from '@shared/console/calendar';
import {
  departmentRowSchema,
  matterPageSchema,
  matterRowSchema,
  type CatalogScope,
  type CatalogWithdraw,
  type DepartmentWrite,
  type MatterListQuery,
  type MatterWrite,
} from '@shared/console/catalog';
import { http } from './http';

type Query<T> = { [K in keyof T]?: T[K] | undefined };
const id = (s: string) => encodeURIComponent(s);

/** Central's catalog and calendar routes (under CONSOLE_API /catalog), each answer checked. */
export const catalogApi = {
  departments: (scope: CatalogScope) =>
    http('GET', '/catalog/departments', z.array(departmentRowSchema), { query: { scope } }),
  writeDepartment: (body: DepartmentWrite) => http('POST', '/catalog/departments', departmentRowSchema, { body }),
  withdrawDepartment: (departmentId: string, body: CatalogWithdraw) =>
    http('POST', `/catalog/departments/${id(departmentId)}/withdraw`, null, { body }),

  matters: (query: Query<MatterListQuery>) => http('GET', '/catalog/matters', matterPageSchema, { query }),
  matter: (code: string, scope: string) =>
    http('GET', `/catalog/matters/${id(code)}`, matterRowSchema, { query: { scope } }),
  writeMatter: (body: MatterWrite) => http('POST', '/catalog/matters', matterRowSchema, { body }),
  withdrawMatter: (code: string, body: CatalogWithdraw) =>
    http('POST', `/catalog/matters/${id(code)}/withdraw`, matterRowSchema, { body }),

  calendar: (query: { year: number; scope: string }) => http('GET', '/catalog/calendar', calendarViewSchema, { query }),
  calendarStatus: () => http('GET', '/catalog/calendar/status', calendarStatusSchema),
  addDay: (body: CalendarDayWrite) => http('POST', '/catalog/calendar/days', calendarViewSchema, { body }),
  removeDay: (body: CalendarDayRemove) => http('POST', '/catalog/calendar/days/remove', calendarViewSchema, { body }),
  importYear: (body: CalendarImport) => http('POST', '/catalog/calendar/import', calendarViewSchema, { body }),
};
