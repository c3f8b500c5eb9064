export * from './roles';
export * from './role-schema';
export * from './access';
export * from './ipc';
export * from './result';
export * from './define';
export * from './contract';
export * from './wire';
export type { SystemInfo } from './methods/system';
export type { SyncStatus } from './methods/sync';
export type { CentralHall } from './methods/central-admin';
export type { HallProfile, HallProfileUpdate } from './methods/hall';
export type {
  Counter,
  CounterView,
  BoardCounter,
  BoardTicket,
  DisplayBoard,
  DisplaySettings,
  HallClock,
  IssuedTicket,
  KioskQueue,
  Queue,
  QueueCall,
  QueueKpi,
  QueueSettings,
  Ticket,
} from './methods/queue';
export {
  COUNTER_VIEW_WAITING_LIMIT,
  DEFAULT_DISPLAY_SETTINGS,
  DISPLAY_GRID_MIN_COUNTERS,
  QUEUE_HOURS,
  TICKET_REPRINT_LIMIT,
  displaySettingsSchema,
} from './methods/queue';
export type {
  Applicant,
  ApplicantInput,
  ApplicantKey,
  ApplicantProfile,
  CalendarYear,
  Case,
  CaseDocument,
  CaseMaterial,
  Department,
  Material,
  Matter,
  Segment,
} from './methods/intake';
export type { Feedback, Rating, RatingAppeal, RatingPrompt, RatingRequest, ReturnVisit } from './methods/feedback';
export type {
  AuditVerification,
  Briefing,
  BriefingSummary,
  Classification,
  LeaderAction,
  LeaderBundle,
  LeaderEnrolment,
  LeaderFileSummary,
  LeaderFileView,
  LeaderImportResult,
  LeaderSession,
  LeaderStorage,
  ScheduleItem,
} from './methods/leader';
export type { Dashboard, HallReminders, Histogram, IntakeStats, InsightSources, TicketStats } from './methods/insight';
export {
  INSIGHT_BUCKET_EDGES,
  INSIGHT_MAX_DAYS,
  insightDateRangeSchema,
  intakeStatsSchema,
  ticketStatsSchema,
} from './methods/insight';
export type { PrintRequest, RoleBridge } from './bridge';
