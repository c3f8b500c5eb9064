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
  DisplayBoard,
  IssuedTicket,
  KioskQueue,
  Queue,
  QueueCall,
  QueueKpi,
  QueueSettings,
  Ticket,
} from './methods/queue';
export type { PrintRequest, RoleBridge } from './bridge';
