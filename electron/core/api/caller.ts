import type { Role } from '@shared/api';
import type { Person } from '@shared/identity/staff';

/** A device the transport authenticated by its own token (a hub's LAN device, a paired rating screen). */
export interface DeviceBinding {
  id: string;
  /** Counters this device may sign in at; null: not bound (any counter). */
  counterIds: readonly string[] | null;
  /**
   * A hall device calling its hub: its own core checked the person before forwarding (Acting.delegated).
   * False for a paired rating screen, which is a device but acts only as itself.
   */
  delegated: boolean;
  /** A rating screen's counter, from its pairing. */
  pairedCounterId?: string;
  /** The person the device says it acts for (a delegated device's forwarded call, ACTING_HEADER). */
  actingStaffId?: string;
}

/** Who is calling, as established by the transport (window role for IPC, token for HTTP/WebSocket). */
export interface Caller {
  role: Role;
  transport: 'ipc' | 'http' | 'ws';
  /**
   * The window, session or device the call came from: the key of its person session, and what audit
   * rows name as where an act came from.
   */
  origin: string;
  /** Set by the transport for device tokens. */
  device?: DeviceBinding;
  /** Set by the dispatcher from the identity sessions: who is signed in on `origin`. Never from a request. */
  person?: Person;
}
