// `npm run central`: the central server (see run-central.ts for its environment variables).
import { runCentral } from './run-central';

runCentral(process.env).catch((e: unknown) => {
  console.error(`central failed to start: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
