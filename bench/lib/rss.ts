// A process's memory as the kernel counts it: resident set now (VmRSS) and its peak so far (VmHWM).
import fs from 'node:fs';

const MiB = 2 ** 20;
export const mb = (bytes: number) => +(bytes / MiB).toFixed(1);

function status(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const m = new RegExp(`${field}:\\s+(\\d+) kB`).exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!m) throw new Error(`no ${field} for process ${pid}`);
  return Number(m[1]) * 1024;
}

export const rssBytes = (pid: number) => status(pid, 'VmRSS');
export const peakRssBytes = (pid: number) => status(pid, 'VmHWM');

/** Samples `pid`'s RSS every `everyMs` until `stop()`, which returns the samples in MB. */
export function sampleRss(pid: number, everyMs: number) {
  const samples: number[] = [mb(rssBytes(pid))];
  const timer = setInterval(() => {
    try {
      samples.push(mb(rssBytes(pid)));
    } catch {
      clearInterval(timer); // the process is gone
    }
  }, everyMs);
  return {
    stop(): number[] {
      clearInterval(timer);
      samples.push(mb(rssBytes(pid)));
      return samples;
    },
  };
}
