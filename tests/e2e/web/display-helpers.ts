import { randomUUID } from 'node:crypto';
import { expect, type APIRequestContext, type Page } from '@playwright/test';
import type { CounterView, DisplayBoard, Role, Ticket } from '@shared/api';
import { adminToken, byTest, expectRolePageReady, getProfile, openSession } from './helpers';

/** The hall display's test helpers: role sessions, counters that call, and what the page announced. */

/** What the display exposes about each announcement (renderer/src/voice/announcer.ts AnnouncementRecord). */
export interface Announced {
  callId: number;
  ticketNumber: string;
  counterNumber: number;
  recall: boolean;
  text: string;
  clips: string[];
  queuedAt: number;
  startedAt: number;
  endedAt: number | null;
  audio: { from: number; to: number } | null;
}

interface Envelope<T> {
  ok: boolean;
  value?: T;
  error?: { code: string; message: string };
}

/** One session of a role kept for several calls: a counter's sign-in belongs to the session that made it. */
export class RoleClient {
  private token: string | undefined;
  constructor(
    private readonly request: APIRequestContext,
    readonly role: Role,
  ) {}

  async call<T>(method: string, input: unknown): Promise<T> {
    this.token ??= this.role === 'admin' ? await adminToken(this.request) : await openSession(this.request, this.role);
    const res = await this.request.post(`/api/v1/call/${method}`, {
      data: input as Record<string, unknown>,
      headers: { authorization: `Bearer ${this.token}` },
    });
    const body = (await res.json()) as Envelope<T>;
    expect(body.ok, `${this.role} ${method}: ${JSON.stringify(body.error)}`).toBe(true);
    return body.value as T;
  }
}

export async function issueTickets(kiosk: RoleClient, count: number): Promise<string[]> {
  const numbers: string[] = [];
  for (let i = 0; i < count; i++) {
    const issued = await kiosk.call<{ ticket: Ticket }>('queue.ticket.issue', {
      mutationId: randomUUID(),
      queueId: 'general',
      applicantType: 'person',
    });
    numbers.push(issued.ticket.number);
  }
  return numbers;
}

/** A counter signed in and free: a ticket left called or in service by an earlier test is finished first. */
export class Counter {
  readonly client: RoleClient;
  constructor(
    request: APIRequestContext,
    readonly id: string,
    readonly number: number,
    private readonly login: string,
  ) {
    this.client = new RoleClient(request, 'counter');
  }

  async signIn(): Promise<void> {
    const view = await this.client.call<CounterView>('queue.counter.signIn', {
      counterId: this.id,
      login: this.login,
      pin: '123456',
    });
    await this.free(view.current);
  }

  private async free(current: Ticket | null): Promise<void> {
    if (!current) return;
    const input = () => ({ mutationId: randomUUID(), counterId: this.id, ticketId: current.id });
    if (current.state === 'called') await this.client.call('queue.start', input());
    if (current.state === 'called' || current.state === 'serving') await this.client.call('queue.finish', input());
  }

  /** Calls the next ticket by the hall's order and returns it (its number is whatever the hall issued). */
  async callNext(): Promise<Ticket> {
    const before = await this.client.call<CounterView>('queue.counter.view', { counterId: this.id });
    await this.free(before.current);
    const view = await this.client.call<CounterView>('queue.callNext', {
      mutationId: randomUUID(),
      counterId: this.id,
    });
    expect(view.current, `counter ${this.id} called someone`).not.toBeNull();
    return view.current!;
  }

  async recall(ticket: Ticket): Promise<void> {
    await this.client.call('queue.recall', { mutationId: randomUUID(), counterId: this.id, ticketId: ticket.id });
  }

  async noShow(ticket: Ticket): Promise<void> {
    await this.client.call('queue.noShow', { mutationId: randomUUID(), counterId: this.id, ticketId: ticket.id });
  }
}

export const sentenceZh = (number: string, counter: number) => `请${number}号到${counter}号窗口办理`;

export const announcements = (page: Page): Promise<Announced[]> =>
  page.evaluate(() => {
    const log = (window as unknown as { __onewindowAnnouncements?: Announced[] }).__onewindowAnnouncements ?? [];
    return JSON.parse(JSON.stringify(log)) as Announced[];
  });

/** Waits until the display has finished speaking `text` `times` times; returns those announcements. */
export async function spoken(page: Page, text: string, times = 1): Promise<Announced[]> {
  await expect
    .poll(async () => (await announcements(page)).filter((a) => a.text === text && a.endedAt !== null).length, {
      message: `announced "${text}"`,
      timeout: 30_000,
    })
    .toBeGreaterThanOrEqual(times);
  return (await announcements(page)).filter((a) => a.text === text);
}

/** The waiting count of a queue as the server has it now, through a display session of its own. */
export async function serverWaiting(request: APIRequestContext, queueId: string): Promise<number> {
  const board = await new RoleClient(request, 'display').call<DisplayBoard>('queue.display.board', { limit: 1 });
  return board.waiting.find((q) => q.queueId === queueId)!.waiting;
}

export const waitingCount = async (page: Page, queueId: string): Promise<number> =>
  Number(await byTest(page, `waiting-count-${queueId}`).getAttribute('data-count'));

/**
 * Opens the display as a browser would, then (unless told not to) makes sure its voice is on, clicking
 * the one-time voice button when the page asks for it. Chromium keeps a page's AudioContext suspended
 * until a user gesture, as desktop browsers do, but on a loaded test machine it has now and then let one
 * start by itself; the test of the button itself is "until someone clicks…" below.
 */
export async function openDisplay(
  page: Page,
  request: APIRequestContext,
  opts: { unlockVoice?: boolean } = {},
): Promise<void> {
  const profile = await getProfile(request);
  await page.goto('/#/display');
  await expectRolePageReady(page, profile.name);
  await expect(byTest(page, 'display-board')).toHaveAttribute('data-loaded', 'true');
  if (opts.unlockVoice ?? true) await unlockVoiceIfAsked(page);
}

/**
 * page.routeWebSocket drives the page through script calls that count as a user gesture, so such a page
 * may start audio by itself: click the button only if the page settled on asking for it.
 */
export async function unlockVoiceIfAsked(page: Page): Promise<void> {
  await expect(byTest(page, 'display-board')).toHaveAttribute('data-voice', /^(locked|ready)$/);
  if ((await byTest(page, 'display-board').getAttribute('data-voice')) === 'locked') await unlockVoice(page);
  await expect(byTest(page, 'display-board')).toHaveAttribute('data-voice', 'ready');
}

export async function unlockVoice(page: Page, how: 'click' | 'key' = 'click'): Promise<void> {
  await expect(byTest(page, 'voice-unlock-button')).toHaveText('启用语音播报');
  if (how === 'click') await byTest(page, 'voice-unlock-button').click();
  else await page.keyboard.press('Enter');
  await expect(byTest(page, 'voice-unlock')).toHaveCount(0);
  await expect(byTest(page, 'display-board')).toHaveAttribute('data-voice', 'ready');
}
