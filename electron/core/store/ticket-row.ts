import type { Ticket } from '@shared/api';
import type { TicketState } from '@shared/queue/ticket-states';

/** A ticket row as SQLite holds it, and as the queue's code works with it. */
export interface TicketRow {
  id: string;
  hall_day: string;
  queue_id: string;
  seq: number;
  number: string;
  state: TicketState;
  priority: Ticket['priority'];
  applicant_type: Ticket['applicantType'];
  appointment_code: string | null;
  appt_start_ms: number;
  appt_end_ms: number;
  arrived_at: string;
  arrived_ms: number;
  issued_at: string;
  parent_id: string | null;
  target_counter_id: string | null;
  counter_id: string | null;
  call_count: number;
  first_called_at: string | null;
  last_called_at: string | null;
  service_started_at: string | null;
  reactivated: number;
  holder_hash: string | null;
}

export interface TicketRecord extends Ticket {
  seq: number;
  /** When service began (F3 or the first intake action); null before. */
  serviceStartedAt: string | null;
  apptStartMs: number;
  apptEndMs: number;
  arrivedMs: number;
  /** The keyed hash of the ID of the applicant who took it by ID card (or booked its appointment with it). */
  holderHash: string | null;
}

export const toTicket = (r: TicketRow): TicketRecord => ({
  id: r.id,
  number: r.number,
  queueId: r.queue_id,
  hallDay: r.hall_day,
  state: r.state,
  priority: r.priority,
  applicantType: r.applicant_type,
  appointmentCode: r.appointment_code,
  arrivedAt: r.arrived_at,
  issuedAt: r.issued_at,
  parentId: r.parent_id,
  targetCounterId: r.target_counter_id,
  counterId: r.counter_id,
  callCount: r.call_count,
  firstCalledAt: r.first_called_at,
  lastCalledAt: r.last_called_at,
  reactivated: r.reactivated === 1,
  seq: r.seq,
  serviceStartedAt: r.service_started_at,
  apptStartMs: r.appt_start_ms,
  apptEndMs: r.appt_end_ms,
  arrivedMs: r.arrived_ms,
  holderHash: r.holder_hash,
});
