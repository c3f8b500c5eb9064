// Imported first by every entry point that runs the core (out/host/hub.mjs and browser-host.mjs, Electron's
// main process), so it applies before anything else is loaded, whichever way the hub is started.
import v8 from 'node:v8';

/**
 * How far V8 lets the old generation grow past what survived a full collection before it collects again,
 * in percent. V8's own factor goes up to four times the live heap when collecting looks cheap: under a
 * hall's load the hub promotes 1–2 KB per request (what is in flight across two scavenges) and its RSS
 * climbed by some 80 MB of dead objects before a full collection came (229 MB at the peak, for a live heap
 * of ~37 MB). Half again the live heap keeps it flat, for a full collection every several seconds under
 * load, mostly marked off the main thread. V8 reads this at each full collection, so it can be set from
 * inside the process (no launch flag, which Electron's main process could not take from the app); set
 * after the first one (the start-up's), that one's limit would hold until the next.
 */
export const HEAP_GROWING_PERCENT = 50;

v8.setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
