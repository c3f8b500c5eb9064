import { AppError, TICKET_REPRINT_LIMIT, type IssuedTicket, type KioskQueue, type Queue } from '@shared/api';
import { localTime } from '@shared/queue/hall-day';
import type { ApplicantType, PriorityClass } from '@shared/queue/priority';
import { formatTicketNumber } from '@shared/queue/ticket-number';
import type { Caller } from '../api/caller';
import { createCheckInGuard, newAppointmentCode } from './appointment-codes';
import { refuse, type QueueCommands } from './queue-commands';
import { newTicketId } from './ticket-id';
import type { TicketRecord } from '../store/queue-store';

/**
 * Tickets coming in: the kiosk's queues and tickets, check-in with an appointment (and booking one),
 * reprints and the holder's SMS opt-in.
 */
export function createTicketIssuing(commands: QueueCommands) {
  const {
    store,
    now,
    ticketNotices,
    settings,
    today,
    command,
    ticketCommand,
    queueOrThrow,
    ticketOrThrow,
    record,
    estimateMinutes,
    peopleAheadOf,
    issuedView,
  } = commands;
  const checkInGuard = createCheckInGuard(store, now);

  /** The queue's ticket hours against the hall's wall clock now. */
  function hoursOf(q: Queue): KioskQueue['hours'] {
    const t = localTime(now(), settings().timeZone);
    if (t < q.opensAt) return 'not_yet';
    return t < q.closesAt ? 'open' : 'over';
  }

  function isOpenNow(q: Queue): boolean {
    return q.active && hoursOf(q) === 'open';
  }

  function allocate(
    q: Queue,
    day: string,
    fields: {
      priority: PriorityClass;
      applicantType: ApplicantType;
      appointmentCode: string | null;
      apptStartMs: number;
      apptEndMs: number;
      holderHash: string | null;
    },
    caller: Caller,
  ): TicketRecord {
    if (store.issuedCount(day, q.id) >= q.dailyMax) {
      throw refuse('CONFLICT', 'DAILY_LIMIT_REACHED', `queue ${q.prefix} has issued its ${q.dailyMax} tickets today`);
    }
    const seq = store.nextSeq(day, q.id);
    const at = now().toISOString();
    const id = newTicketId(now());
    const t = store.insertTicket({
      id,
      hallDay: day,
      queueId: q.id,
      seq,
      number: formatTicketNumber(q.prefix, seq),
      ...fields,
      arrivedAt: at,
      issuedAt: at,
      parentId: null,
      targetCounterId: null,
      reactivated: false,
    });
    // No detail: the ticket's row holds its appointment code, and a copy per issue was a fifth of the event.
    record(t, 'issue', null, null, caller);
    return t;
  }

  return {
    kioskQueues(): KioskQueue[] {
      const day = today();
      return store
        .queues()
        .filter((q) => q.active)
        .map((q) => {
          const waiting = store.waitingCount(day, q.id);
          return {
            ...q,
            openNow: isOpenNow(q),
            hours: hoursOf(q),
            waiting,
            estimatedWaitMinutes: estimateMinutes(q, waiting, day),
            remainingToday: Math.max(0, q.dailyMax - store.issuedCount(day, q.id)),
          };
        });
    },

    /** `holderHash`: the applicant identified with their ID card (idcard/), as the keyed hash of the ID. */
    issue(
      input: { mutationId: string; queueId: string; applicantType: ApplicantType; priority: PriorityClass },
      caller: Caller,
      holderHash: string | null = null,
    ): IssuedTicket {
      return ticketCommand(input.mutationId, 'queue.ticket.issue', (_emit, day) => {
        const q = queueOrThrow(input.queueId);
        if (!isOpenNow(q))
          throw refuse('CONFLICT', 'QUEUE_CLOSED', `queue ${q.prefix} is not open now`, {
            opensAt: q.opensAt,
            closesAt: q.closesAt,
          });
        if (!q.applicantTypes.includes(input.applicantType)) {
          throw refuse('CONFLICT', 'NOT_FOR_APPLICANT_TYPE', `queue ${q.prefix} does not serve ${input.applicantType}`);
        }
        const t = allocate(
          q,
          day,
          {
            priority: input.priority,
            applicantType: input.applicantType,
            appointmentCode: null,
            apptStartMs: 0,
            apptEndMs: 0,
            holderHash,
          },
          caller,
        );
        return t;
      });
    },

    checkIn(
      input: { mutationId: string; code: string },
      caller: Caller,
      holderHash: string | null = null,
    ): IssuedTicket {
      const code = input.code.toUpperCase();
      const retryAt = checkInGuard.lockedUntil(caller);
      if (retryAt) {
        throw refuse('FORBIDDEN', 'CHECK_IN_LOCKED', 'too many wrong appointment codes from this device', {
          retryAt,
          now: now().toISOString(),
        });
      }
      // Counted once the command's transaction has rolled back, which would take the count with it.
      let unknownCode = false;
      try {
        return ticketCommand(input.mutationId, 'queue.appointment.checkIn', (_emit, day) => {
          const a = store.appointment(code);
          if (!a) {
            unknownCode = true;
            throw refuse('NOT_FOUND', 'UNKNOWN_APPOINTMENT', 'no appointment with this code');
          }
          if (a.ticket_id) {
            const existing = store.ticket(a.ticket_id);
            if (existing) return existing;
          }
          const s = settings();
          const nowMs = now().getTime();
          const start = Date.parse(a.window_start);
          const end = Date.parse(a.window_end);
          if (nowMs < start - s.appointmentEarlyMinutes * 60_000) {
            throw refuse('CONFLICT', 'APPOINTMENT_TOO_EARLY', 'too early to check in', {
              windowStart: a.window_start,
              now: new Date(nowMs).toISOString(),
            });
          }
          if (nowMs > end + s.appointmentLateMinutes * 60_000) {
            throw refuse('CONFLICT', 'APPOINTMENT_EXPIRED', 'the appointment window has passed', {
              windowEnd: a.window_end,
              now: new Date(nowMs).toISOString(),
            });
          }
          const q = queueOrThrow(a.queue_id);
          const t = allocate(
            q,
            day,
            {
              priority: 'none',
              applicantType: a.applicant_type as ApplicantType,
              appointmentCode: code,
              apptStartMs: start,
              apptEndMs: end + s.appointmentLateMinutes * 60_000,
              holderHash: holderHash ?? a.holder_hash,
            },
            caller,
          );
          store.setAppointmentTicket(code, t.id);
          return t;
        });
      } finally {
        if (unknownCode) checkInGuard.wrongCode(caller);
      }
    },

    ticket: (ticketId: string) => issuedView(ticketOrThrow(ticketId)),

    /**
     * Counts one more kiosk print of a ticket, refusing past TICKET_REPRINT_LIMIT: the count is an event
     * row of the ticket, so neither a reload of the kiosk page nor a second kiosk gets round it.
     */
    reprint(input: { mutationId: string; ticketId: string }, caller: Caller) {
      return command(
        input.mutationId,
        'queue.ticket.reprint',
        () => {
          const t = ticketOrThrow(input.ticketId);
          const reprints = store.reprintCount(t.id);
          if (reprints >= TICKET_REPRINT_LIMIT) {
            throw refuse('CONFLICT', 'REPRINT_LIMIT', `${t.number} was printed again ${reprints} times already`, {
              limit: TICKET_REPRINT_LIMIT,
            });
          }
          record(t, 'reprint', t.state, null, caller);
          return { ticketId: t.id, reprints: reprints + 1, reprintsLeft: TICKET_REPRINT_LIMIT - reprints - 1 };
        },
        { quiet: true },
      );
    },
    /**
     * The holder of a waiting ticket gives a mobile number for its SMS notices (the kiosk's opt-in, after
     * the ticket printed). Quiet: no page shows it, and no other device learns of it.
     */
    smsOptIn(input: { mutationId: string; ticketId: string; phone: string }) {
      return command(
        input.mutationId,
        'queue.ticket.smsOptIn',
        () => {
          const t = ticketOrThrow(input.ticketId);
          if (t.state !== 'waiting') {
            throw refuse('CONFLICT', 'NOT_WAITING', `${t.number} is no longer waiting`, { state: t.state });
          }
          return ticketNotices.optIn(t, input.phone, peopleAheadOf(t), now());
        },
        { quiet: true },
      );
    },
    /** `holderHash`: booked for this applicant (keyed hash of their ID), who may then check in by ID card. */
    createAppointment(
      a: { queueId: string; windowStart: string; windowEnd: string; applicantType: ApplicantType },
      holderHash: string | null = null,
    ) {
      queueOrThrow(a.queueId);
      if (Date.parse(a.windowEnd) <= Date.parse(a.windowStart)) {
        throw new AppError('INVALID_INPUT', 'windowEnd must be after windowStart', { reason: 'BAD_WINDOW' });
      }
      const code = newAppointmentCode();
      const windowStart = new Date(a.windowStart).toISOString();
      const windowEnd = new Date(a.windowEnd).toISOString();
      store.insertAppointment({
        code,
        queueId: a.queueId,
        applicantType: a.applicantType,
        windowStart,
        windowEnd,
        holderHash,
      });
      return { code, queueId: a.queueId, windowStart, windowEnd };
    },
  };
}
