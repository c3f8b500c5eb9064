import { AppError, type Result } from '@shared/api';
import type { Caller } from '../api/caller';
import type { Handlers } from '../api/dispatch';
import type { QueueService } from '../services/queue-service';
import type { IdCardService } from './idcard-service';

type IdCardMethod =
  | 'idcard.read'
  | 'idcard.ticket.issue'
  | 'idcard.appointment.checkIn'
  | 'idcard.hub.ticket.issue'
  | 'idcard.hub.appointment.checkIn';

interface HolderAppointment {
  code: string;
  window_start: string;
  window_end: string;
}

export interface IdCardHandlerDeps {
  cards: IdCardService;
  queue: Pick<QueueService, 'issue' | 'checkIn' | 'settings'>;
  /** Appointments booked for a holder, earliest first (where the queue is: this device or the hub). */
  appointmentsOfHolder(holderHash: string): HolderAppointment[];
  /** The hall hub, when the queue lives there; its answer as it gave it. */
  hub?: (
    method: 'idcard.hub.ticket.issue' | 'idcard.hub.appointment.checkIn',
    input: unknown,
  ) => Promise<Result<unknown>>;
  now: () => Date;
}

/**
 * The ID card methods. A kiosk reads the card on its own reader and hands the queue only the holder's
 * keyed hash, on this device or (with the device's token) on the hub; the hub takes a hash from a
 * device's core only, never from a page, which could name anyone whose hash it had come by.
 */
export function idCardHandlers(d: IdCardHandlerDeps): Pick<Handlers, IdCardMethod> {
  const fromHub = async (method: 'idcard.hub.ticket.issue' | 'idcard.hub.appointment.checkIn', input: unknown) => {
    const r = await d.hub!(method, input);
    if (!r.ok) throw new AppError(r.error.code, r.error.message, r.error.details);
    return r.value as ReturnType<QueueService['issue']>;
  };

  function checkInHolder(mutationId: string, holderHash: string, caller: Caller) {
    const s = d.queue.settings();
    const nowMs = d.now().getTime();
    const open = d
      .appointmentsOfHolder(holderHash)
      .filter((a) => nowMs <= Date.parse(a.window_end) + s.appointmentLateMinutes * 60_000);
    // The one whose check-in window is open now, else the next one (which then says when to come back).
    const chosen =
      open.find((a) => Date.parse(a.window_start) - s.appointmentEarlyMinutes * 60_000 <= nowMs) ?? open[0];
    if (!chosen) {
      throw new AppError('NOT_FOUND', 'no appointment is booked for this ID card', {
        reason: 'NO_APPOINTMENT_FOR_CARD',
      });
    }
    return d.queue.checkIn({ mutationId, code: chosen.code }, caller, holderHash);
  }

  const requireDeviceCore = (caller: Caller) => {
    if (!caller.device?.delegated) {
      throw new AppError('FORBIDDEN', 'only a hall device’s core may name a card holder', { reason: 'DEVICE_ONLY' });
    }
  };

  return {
    'idcard.read': () => d.cards.read(),
    'idcard.ticket.issue': async (input, caller) => {
      const holderHash = await d.cards.holderHash();
      return d.hub
        ? fromHub('idcard.hub.ticket.issue', { ...input, holderHash })
        : d.queue.issue(input, caller, holderHash);
    },
    'idcard.appointment.checkIn': async (input, caller) => {
      const holderHash = await d.cards.holderHash();
      return d.hub
        ? fromHub('idcard.hub.appointment.checkIn', { ...input, holderHash })
        : checkInHolder(input.mutationId, holderHash, caller);
    },
    'idcard.hub.ticket.issue': (input, caller) => {
      requireDeviceCore(caller);
      const { holderHash, ...ticket } = input;
      return d.queue.issue(ticket, caller, holderHash);
    },
    'idcard.hub.appointment.checkIn': (input, caller) => {
      requireDeviceCore(caller);
      return checkInHolder(input.mutationId, input.holderHash, caller);
    },
  };
}
