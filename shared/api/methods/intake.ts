import { z } from 'zod';
import { defineEvent, defineMethod } from '../define';
import { multiLine, phoneNumber, singleLine } from '../../validation/text';
import { creditCodeProblem } from '../../validation/credit-code';
import { residentIdProblem } from '../../validation/resident-id';
import { CASE_STATES } from '../../intake/case-states';
import { caseDecisionSchema, casePickupSchema, supplementItemSchema } from '../../intake/case-outcome';

const uuid = z.uuid();
const mutationId = uuid;
const id = z.string().regex(/^[A-Za-z0-9_-]{1,40}$/, { message: 'is not an id' });
/** A calendar date in the hall's time zone. */
export const isoDate = z.iso.date({ message: 'must be a date YYYY-MM-DD' });

// ---------------------------------------------------------------- catalog (事项目录)

export const departmentSchema = z.object({
  id,
  nameZh: singleLine(40),
  nameEn: singleLine(80),
  phone: z.union([phoneNumber, z.literal('')]),
});
export type Department = z.infer<typeof departmentSchema>;

/** required: must be received to accept; optional: never blocks; tolerant (容缺): may be promised for later. */
export const MATERIAL_REQUIREMENTS = ['required', 'optional', 'tolerant'] as const;

export const materialSchema = z.object({
  id,
  nameZh: singleLine(80),
  nameEn: singleLine(160),
  requirement: z.enum(MATERIAL_REQUIREMENTS),
  /** 原件 / 复印件 / both, and how many copies: printed on the notice so the citizen brings the right thing. */
  form: z.enum(['original', 'copy', 'original_and_copy', 'electronic']),
  copies: z.number().int().min(1).max(20),
  note: multiLine(200),
});
export type Material = z.infer<typeof materialSchema>;

export const matterSchema = z.object({
  code: z.string().regex(/^[A-Z0-9][A-Z0-9-]{2,29}$/, { message: 'is not a matter code' }),
  nameZh: singleLine(80),
  nameEn: singleLine(160),
  departmentId: id,
  applicantTypes: z.array(z.enum(['person', 'organisation'])).min(1),
  materials: z.array(materialSchema).min(1).max(40),
  /** Fee in fen (分); 0 = free of charge. */
  feeFen: z.number().int().min(0).max(100_000_000),
  /** 法定办结时限 and 承诺办结时限, in working days; the promise is never longer than the law. */
  legalDays: z.number().int().min(0).max(365),
  promisedDays: z.number().int().min(0).max(365),
  /** 即办件: completed on the spot (promisedDays 0). */
  active: z.boolean(),
  /** Other names people use for it (社保卡 for 社会保障卡申领): the matter search finds it by them too. */
  keywords: z.array(singleLine(40)).max(20).default([]),
  /** 设定依据: the laws and rules the matter rests on, printed on its receipt and its 不予受理 notice. */
  legalBasis: multiLine(1000).default(''),
  /** 受理 wording: what the receipt says of the acceptance (材料齐全、符合法定形式，决定予以受理…). */
  acceptanceText: multiLine(500).default(''),
  /** 不予受理 wording: what the rejection notice says beside the clerk's reason (grounds, appeal route). */
  rejectionText: multiLine(500).default(''),
});
export type Matter = z.infer<typeof matterSchema>;

/** A matter as an administrator (or central) writes it. */
export const matterUpsertSchema = matterSchema.strict().refine((m) => m.promisedDays <= m.legalDays, {
  message: 'promisedDays must not exceed legalDays',
  path: ['promisedDays'],
});

// ---------------------------------------------------------------- working-day calendar

/** One year's exceptions to Monday–Friday: public holidays (休) and weekend make-up working days (调休上班). */
export const calendarYearSchema = z
  .object({
    year: z.number().int().min(2000).max(2100),
    holidays: z.array(isoDate).max(60),
    workdays: z.array(isoDate).max(30),
  })
  .strict()
  .refine((c) => [...c.holidays, ...c.workdays].every((d) => d.startsWith(`${c.year}-`)), {
    message: 'every date must be in the given year',
  })
  .refine((c) => !c.holidays.some((d) => c.workdays.includes(d)), {
    message: 'a date cannot be both a holiday and a make-up working day',
  });
export type CalendarYear = z.infer<typeof calendarYearSchema>;

// ---------------------------------------------------------------- applicants (申请人)

export const PERSON_ID_TYPES = ['resident_id', 'passport', 'hkmo_permit', 'tw_permit'] as const;
export const ORG_TYPES = ['enterprise', 'ngo', 'government'] as const;
export const SEGMENTS = ['citizen', 'enterprise', 'ngo', 'government'] as const;
export type Segment = (typeof SEGMENTS)[number];

/** Other identity documents: letters and digits only, uppercased (passports, 港澳/台湾 permits). */
const documentNumber = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z0-9]{5,20}$/, { message: 'is not a document number' });

export const residentId = z
  .string()
  .trim()
  .toUpperCase()
  .superRefine((v, ctx) => {
    const problem = residentIdProblem(v);
    if (problem) ctx.addIssue({ code: 'custom', message: `resident ID ${problem}` });
  });

export const creditCode = z
  .string()
  .trim()
  .toUpperCase()
  .superRefine((v, ctx) => {
    const problem = creditCodeProblem(v);
    if (problem) ctx.addIssue({ code: 'custom', message: `credit code ${problem}` });
  });

/** What identifies an applicant: the key of the one record per applicant (looked up by its hash). */
export const applicantKeySchema = z.discriminatedUnion('idType', [
  z.object({ idType: z.literal('resident_id'), idNumber: residentId }).strict(),
  z.object({ idType: z.enum(['passport', 'hkmo_permit', 'tw_permit']), idNumber: documentNumber }).strict(),
  z.object({ idType: z.literal('uscc'), idNumber: creditCode }).strict(),
]);
export type ApplicantKey = z.infer<typeof applicantKeySchema>;

const personInput = z
  .object({
    kind: z.literal('person'),
    name: singleLine(50),
    idType: z.enum(PERSON_ID_TYPES),
    idNumber: z.string(),
    phone: phoneNumber,
  })
  .strict();
const organisationInput = z
  .object({
    kind: z.literal('organisation'),
    name: singleLine(100),
    idType: z.literal('uscc'),
    idNumber: z.string(),
    orgType: z.enum(ORG_TYPES),
    /** The person at the counter for the organisation (法定代表人 or 经办人). */
    contactName: singleLine(50),
    phone: phoneNumber,
  })
  .strict();

/** A new or corrected applicant; the id number is checked by its type's rule. */
export const applicantInputSchema = z
  .discriminatedUnion('kind', [personInput, organisationInput])
  .superRefine((a, ctx) => {
    const key = applicantKeySchema.safeParse({ idType: a.idType, idNumber: a.idNumber });
    if (!key.success) {
      for (const issue of key.error.issues)
        ctx.addIssue({ code: 'custom', message: issue.message, path: ['idNumber'] });
    }
  })
  .transform((a) => ({
    ...a,
    idNumber: applicantKeySchema.parse({ idType: a.idType, idNumber: a.idNumber }).idNumber,
  }));
export type ApplicantInput = z.output<typeof applicantInputSchema>;

export const applicantSchema = z.object({
  id: uuid,
  kind: z.enum(['person', 'organisation']),
  name: z.string(),
  idType: z.enum([...PERSON_ID_TYPES, 'uscc']),
  /**
   * The identity number as shown everywhere: a person's masked (110105********1234), the full number never
   * returned; an organisation's credit code in full, as it is public.
   */
  idMasked: z.string(),
  phone: z.string(),
  segment: z.enum(SEGMENTS),
  orgType: z.enum(ORG_TYPES).nullable(),
  contactName: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Applicant = z.infer<typeof applicantSchema>;

// ---------------------------------------------------------------- cases (办件)

export const MATERIAL_STATUSES = ['received', 'missing', 'tolerated'] as const;

export const caseMaterialSchema = z.object({
  materialId: id,
  nameZh: z.string(),
  nameEn: z.string(),
  requirement: z.enum(MATERIAL_REQUIREMENTS),
  status: z.enum(MATERIAL_STATUSES),
});
export type CaseMaterial = z.infer<typeof caseMaterialSchema>;

export const caseSchema = z.object({
  id: uuid,
  caseNumber: z.string(),
  state: z.enum(CASE_STATES),
  applicantId: uuid,
  applicantName: z.string(),
  /** As the applicant's `idMasked`: a person's masked, an organisation's credit code in full. */
  applicantIdMasked: z.string(),
  matterCode: z.string(),
  matterNameZh: z.string(),
  matterNameEn: z.string(),
  departmentId: z.string(),
  departmentNameZh: z.string(),
  ticketId: uuid.nullable(),
  ticketNumber: z.string().nullable(),
  counterId: z.string(),
  counterNumber: z.number().int().nullable(),
  clerkName: z.string(),
  materials: z.array(caseMaterialSchema),
  feeFen: z.number().int(),
  createdAt: z.string(),
  acceptedAt: z.string().nullable(),
  /** 承诺办结日: acceptance date + the matter's promised working days by the hall calendar. */
  promisedDate: isoDate.nullable(),
  /** 容缺: the date by which the tolerated materials must be supplied. */
  toleranceDueDate: isoDate.nullable(),
  rejectReason: z.string().nullable(),
  overdue: z.boolean(),
  updatedAt: z.string(),
  /** 查询码: printed on the receipt, opens the public tracking page; null on cases from before it existed. */
  queryCode: z.string().nullable(),
  /** What the department's latest 补正通知 asked for (shown while the case is supplement_requested). */
  missing: z.array(supplementItemSchema),
  /** 准予 / 不予 and how the applicant gets the result: set when the department completes the case. */
  decision: caseDecisionSchema.nullable(),
  pickup: casePickupSchema.nullable(),
  /** The department's note with its latest status. */
  centralNote: z.string().nullable(),
});
export type Case = z.infer<typeof caseSchema>;

export const caseEventSchema = z.object({
  at: z.string(),
  fromState: z.enum(CASE_STATES).nullable(),
  toState: z.enum(CASE_STATES),
  actor: z.string(),
  note: z.string().nullable(),
});

/**
 * What the receipt (受理回执), the notice (一次性告知书), the rejection letter and the 补正告知书 (a case the
 * department asked to supplement) print.
 */
export const CASE_DOCUMENT_KINDS = ['receipt', 'notice', 'rejection', 'supplement'] as const;
export const caseDocumentSchema = z.object({
  kind: z.enum(CASE_DOCUMENT_KINDS),
  hallName: z.string(),
  hallAddress: z.string(),
  enquiryPhone: z.string(),
  trackingUrl: z.string(),
  caseNumber: z.string(),
  /** 查询码: with the case number it opens the tracking page; null on cases from before it existed. */
  queryCode: z.string().nullable(),
  /** Encoded in the QR: the case's tracking link (with its query code), or the case number alone. */
  qrText: z.string(),
  applicantName: z.string(),
  applicantIdMasked: z.string(),
  matterNameZh: z.string(),
  departmentNameZh: z.string(),
  /** As received at the counter: the form and copies the catalog asked for then, and the pages scanned of it. */
  received: z.array(
    z.object({ name: z.string(), form: z.string(), copies: z.number().int(), pages: z.number().int().min(0) }),
  ),
  /** An organisation's person at the counter (经办人) and phone, printed on its receipt; null for a person. */
  agent: z.object({ name: z.string(), phone: z.string() }).nullable(),
  /** 容缺: still to be supplied, by `toleranceDueDate`. */
  pending: z.array(z.string()),
  /**
   * Notice: everything missing, each with what form to bring; 补正告知书: what the department asked for
   * (form and copies from the catalog when the item is one of the matter's materials, else unknown).
   */
  missing: z.array(
    z.object({ name: z.string(), form: z.string(), copies: z.number().int().nullable(), note: z.string() }),
  ),
  /** 补正告知书: the department's note with its request. */
  centralNote: z.string().nullable(),
  feeFen: z.number().int(),
  issuedAt: z.string(),
  promisedDate: z.string().nullable(),
  toleranceDueDate: z.string().nullable(),
  rejectReason: z.string().nullable(),
  /** The matter's 设定依据 (receipt and rejection notice; '' when the catalog names none). */
  legalBasis: z.string(),
  /** The matter's wording of the decision: its 受理 text on a receipt, its 不予受理 text on a rejection. */
  decisionText: z.string(),
  clerkName: z.string(),
  counterNumber: z.number().int().nullable(),
});
export type CaseDocument = z.infer<typeof caseDocumentSchema>;

const historySchema = z.object({
  visits: z.array(
    z.object({
      ticketNumber: z.string(),
      hallDay: z.string(),
      counterNumber: z.number().int().nullable(),
      at: z.string(),
    }),
  ),
  cases: z.array(caseSchema),
  feedback: z.array(
    z.object({ id: uuid, kind: z.string(), status: z.string(), createdAt: z.string(), summary: z.string() }),
  ),
  ratings: z.array(z.object({ level: z.number().int(), at: z.string(), counterNumber: z.number().int().nullable() })),
  /** What central knows from other devices (other halls, other counters of this hall), newest first. */
  elsewhere: z.array(
    z.object({
      kind: z.enum(['visit', 'case', 'feedback', 'rating']),
      hallCode: z.string(),
      hallName: z.string(),
      at: z.string(),
      /** case: its number, the matter's name in this device's catalog (else its code) and current state. */
      caseNumber: z.string().nullable(),
      matterName: z.string().nullable(),
      state: z.enum(CASE_STATES).nullable(),
      /** rating: the level (1–2 a bad review). */
      level: z.number().int().nullable(),
    }),
  ),
});

export const applicantProfileSchema = z.object({
  applicant: applicantSchema,
  history: historySchema,
  /** local: this device's records only (central not reachable); all_halls: merged by central. */
  scope: z.enum(['local', 'all_halls']),
});
export type ApplicantProfile = z.infer<typeof applicantProfileSchema>;

const caseListFilter = z
  .object({
    state: z.enum(CASE_STATES).optional(),
    overdueOnly: z.boolean().default(false),
    applicantId: uuid.optional(),
    limit: z.number().int().min(1).max(500).default(100),
  })
  .strict();

export const intakeMethods = {
  'catalog.departments': defineMethod({
    description: 'Departments of the matter catalog.',
    input: z.object({}).strict(),
    output: z.array(departmentSchema),
  }),
  'catalog.matters': defineMethod({
    description: 'Active matters, filtered by applicant type, department or a search text (name or code).',
    input: z
      .object({
        applicantType: z.enum(['person', 'organisation']).optional(),
        departmentId: id.optional(),
        query: z.string().trim().max(40).optional(),
      })
      .strict(),
    output: z.array(matterSchema),
  }),
  'catalog.admin.departments.upsert': defineMethod({
    description: 'Create or replace a department.',
    input: departmentSchema.strict(),
    output: departmentSchema,
  }),
  'catalog.admin.matters.upsert': defineMethod({
    description: 'Create or replace a matter with its materials.',
    input: matterUpsertSchema,
    output: matterSchema,
  }),
  'calendar.get': defineMethod({
    description: 'The working-day calendar of a year (holidays and make-up working days).',
    input: z.object({ year: z.number().int().min(2000).max(2100) }).strict(),
    output: calendarYearSchema,
  }),
  'calendar.admin.put': defineMethod({
    description: 'Replace a year of the working-day calendar.',
    input: calendarYearSchema,
    output: calendarYearSchema,
  }),
  'calendar.addWorkingDays': defineMethod({
    description:
      'The date that is n working days after a date (the promised-date preview at the counter), and the ' +
      'years it counted Monday to Friday for want of a calendar.',
    input: z.object({ from: isoDate, days: z.number().int().min(0).max(365) }).strict(),
    output: z.object({ date: isoDate, yearsWithoutCalendar: z.array(z.number().int()) }),
  }),
  'applicant.lookup': defineMethod({
    description: 'Find the applicant by identity number: profile and history, or null when unknown.',
    input: applicantKeySchema,
    output: applicantProfileSchema.nullable(),
  }),
  'applicant.register': defineMethod({
    description: 'Create the applicant, or update name/phone of the one with this identity number.',
    input: z.object({ mutationId, applicant: applicantInputSchema }).strict(),
    output: applicantSchema,
  }),
  'applicant.profile': defineMethod({
    description: 'An applicant with history, by id.',
    input: z.object({ applicantId: uuid }).strict(),
    output: applicantProfileSchema,
  }),
  'case.intake': defineMethod({
    description:
      'One-window intake of one matter for an applicant: accept (容缺 when tolerated materials), issue the 一次性告知 notice, or reject.',
    input: z
      .object({
        mutationId,
        counterId: id,
        /** The called ticket this intake serves (null for an intake without a ticket, e.g. by appointment desk). */
        ticketId: uuid.nullable(),
        applicantId: uuid,
        matterCode: z.string().min(1).max(30),
        materials: z
          .array(z.object({ materialId: id, status: z.enum(MATERIAL_STATUSES) }).strict())
          .min(1)
          .max(40),
        outcome: z.enum(['accept', 'notice', 'reject']),
        rejectReason: multiLine(500).optional(),
        /** 容缺 due date; defaults to 5 working days after today. */
        toleranceDueDate: isoDate.optional(),
        /** The draft whose scanned pages (`attachment.page.add`) the case is accepted with. */
        attachmentDraftId: uuid.optional(),
      })
      .strict(),
    output: caseSchema,
  }),
  'case.get': defineMethod({
    description: 'One case with its event history.',
    input: z.object({ caseId: uuid }).strict(),
    output: z.object({ case: caseSchema, events: z.array(caseEventSchema) }),
  }),
  'case.list': defineMethod({
    description: 'Cases of this device, newest first; overdueOnly lists cases past their promised date.',
    input: caseListFilter,
    output: z.array(caseSchema),
  }),
  'case.supplement.receive': defineMethod({
    description:
      'The applicant brought what the department’s 补正通知 asked for: the case resumes and central is told which items came.',
    input: z
      .object({
        mutationId,
        caseId: uuid,
        /** Positions in the case's `missing` list of the items received (at least one). */
        received: z.array(z.number().int().min(0).max(39)).min(1).max(40),
        note: multiLine(300),
      })
      .strict(),
    output: caseSchema,
  }),
  'case.document': defineMethod({
    description: 'What the receipt / notice / rejection letter / 补正告知书 of a case prints.',
    input: z.object({ caseId: uuid }).strict(),
    output: caseDocumentSchema,
  }),
  'case.document.archive': defineMethod({
    description: 'Keep the PDF of a printed case document in the device archive (one file per case and kind).',
    input: z
      .object({
        caseId: uuid,
        paper: z.enum(['a4', '80mm']),
        /** Base64 of the PDF, at most 4 MiB. */
        pdfBase64: z
          .string()
          .max(5_600_000)
          .regex(/^[A-Za-z0-9+/]+={0,2}$/, { message: 'is not base64' }),
      })
      .strict(),
    output: z.object({ file: z.string(), sha256: z.string(), bytes: z.number().int() }),
  }),
};

export const intakeEvents = {
  'case.changed': defineEvent({
    description: 'A case was created or its status changed (locally or from central): lists re-fetch.',
    payload: z.object({ caseId: uuid }),
  }),
};
