import type { Role } from '@shared/api';
import { ApiCallError } from '../api/api-call-error';
import { useSessionStore } from '../stores/session';

/** Paper width of the hall's ticket printers. */
export const TICKET_WIDTH_MM = 80;
/** How long a print page may take to load its data and say `printReady` (the Electron printer waits 10 s). */
const READY_TIMEOUT_MS = 15_000;
const POLL_MS = 100;

export const ticketPrintRoute = (ticketId: string) => `/print/ticket/${ticketId}`;

const failure = (message: string) => new ApiCallError({ code: 'UNAVAILABLE', message });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The same app page at another hash route, e.g. `index.html#/print/ticket/<id>?as=counter`: the print page
 * runs as the role that asked (Electron gives its print window that role instead).
 */
function pageUrl(route: string, role: Role | null): string {
  const url = new URL(window.location.href);
  url.hash = role ? `#${route}?as=${role}` : `#${route}`;
  return url.toString();
}

type ReadyState = 'ready' | 'failed' | 'pending';
const readyState = (doc: Document | null | undefined): ReadyState => {
  const data = doc?.body?.dataset;
  if (data?.printReady) return 'ready';
  if (data?.printError) return 'failed';
  return 'pending';
};

/**
 * Waits until the print page says it is ready. `document()` returns null when the page cannot be
 * reached (a frame refused by the CSP shows an opaque error page): that resolves to 'refused'.
 */
async function waitForReady(document: () => Document | null | undefined): Promise<'ready' | 'refused'> {
  const until = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < until) {
    const doc = document();
    if (doc === null) return 'refused';
    const state = readyState(doc);
    if (state === 'ready') return 'ready';
    if (state === 'failed') throw failure('the print page could not load its data');
    await sleep(POLL_MS);
  }
  throw failure('the print page did not get ready in time');
}

let framing: Promise<boolean> | undefined;
/**
 * Whether this host lets its pages be framed by themselves. A frame the CSP refuses (frame-ancestors
 * 'none') still "loads" an error page and logs a console error, so ask the headers once instead.
 */
function framesAllowed(): Promise<boolean> {
  framing ??= fetch(window.location.href.split('#')[0]!, { method: 'HEAD', cache: 'no-store' })
    .then((res) => {
      const csp = res.headers.get('content-security-policy') ?? '';
      const directive = csp
        .split(';')
        .map((d) => d.trim().split(/\s+/))
        .find((parts) => parts[0]?.toLowerCase() === 'frame-ancestors');
      return !directive || !directive.slice(1).includes("'none'");
    })
    .catch(() => true);
  return framing;
}

/** Prints in a hidden frame; false when the frame was refused after all. */
async function printInFrame(url: string, widthMm: number): Promise<boolean> {
  const frame = document.createElement('iframe');
  frame.setAttribute('aria-hidden', 'true');
  frame.tabIndex = -1;
  frame.dataset.test = 'print-frame';
  // Off screen but laid out at paper width, so the page renders as it will print.
  Object.assign(frame.style, {
    position: 'fixed',
    left: '-10000px',
    top: '0',
    width: `${widthMm}mm`,
    height: '200mm',
    border: '0',
  });
  const loaded = new Promise<void>((resolve) => frame.addEventListener('load', () => resolve(), { once: true }));
  frame.src = url;
  document.body.appendChild(frame);
  try {
    await Promise.race([loaded, sleep(READY_TIMEOUT_MS)]);
    // Until it has navigated, the frame holds its initial about:blank document: keep waiting then.
    const doc = () => {
      const d = frame.contentDocument;
      return d && d.URL === 'about:blank' ? undefined : d;
    };
    if ((await waitForReady(doc)) === 'refused') return false;
    frame.contentWindow!.print();
    return true;
  } finally {
    // print() returns once the job is handed over; keep the frame a moment for slow print spoolers.
    setTimeout(() => frame.remove(), 1000);
  }
}

/** Prints in a small window of its own: the fallback where frames are refused. */
async function printInPopup(url: string, widthMm: number): Promise<void> {
  const popup = window.open(url, 'onewindow-print', `popup,width=${Math.round(widthMm * 5)},height=700`);
  if (!popup) throw failure('the print window was blocked');
  try {
    const doc = () => {
      if (popup.closed) throw failure('the print window was closed');
      return popup.document.URL === 'about:blank' ? undefined : popup.document;
    };
    if ((await waitForReady(doc)) === 'refused') throw failure('the print page was refused');
    popup.print();
  } finally {
    popup.close();
  }
}

/**
 * Prints one of the app's print pages (`/print/...` routes). Inside Electron the main process prints it
 * silently on the device printer; in a browser the page is printed from a hidden frame (or a small window
 * where the host forbids frames), which a kiosk browser started with --kiosk-printing does without a dialog.
 * Rejects with an ApiCallError when nothing could be printed.
 */
export function usePrinter() {
  const session = useSessionStore();

  async function print(route: string, widthMm: number): Promise<void> {
    const bridge = window.onewindow;
    if (bridge) {
      if (!bridge.print) throw failure('this window may not print');
      const result = await bridge.print({ route, widthMm });
      if (!result.ok) throw new ApiCallError(result.error);
      return;
    }
    const url = pageUrl(route, session.role);
    if ((await framesAllowed()) && (await printInFrame(url, widthMm))) return;
    await printInPopup(url, widthMm);
  }

  return {
    print,
    printTicket: (ticketId: string) => print(ticketPrintRoute(ticketId), TICKET_WIDTH_MM),
  };
}
