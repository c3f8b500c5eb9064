// `npm run central`: the central server (see run-central.ts for its environment variables);
// `npm run central -- --create-admin <login>` creates or resets a central administrator and exits.
import { runCentral } from './run-central';

runCentral(process.env, undefined, process.argv.slice(2)).catch((e: unknown) => {
  console.error(`central failed to start: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
