// Sync benchmarks against the PostgreSQL on this machine (PGTEST_ADMIN_URL): push throughput of several
// devices at once, catch-up of 10,000 queued mutations, pull of 10,000 catalog rows. Prints JSON.
import { drain, openSyncDevice, type SyncDevice } from '../tests/fixtures/central-device';
import { startCentral } from '../tests/fixtures/central-server';
import { tempDir } from '../tests/fixtures/temp-dir';
import { inTransaction } from '../central/src/db/pool';
import { referenceStore } from '../central/src/store/reference-store';

export async function syncBench() {
  const central = await startCentral({ poolSize: 10 });
  const dirs: { remove(): void }[] = [];
  const devices: SyncDevice[] = [];
  const open = async (name: string, hallId: string, extra?: Parameters<typeof openSyncDevice>[0]['extraAppliers']) => {
    const tmp = tempDir('ow-bench-sync-');
    dirs.push(tmp);
    const d = await openSyncDevice({ dataDir: tmp.dir, name, timing: { pushBatch: 500 }, extraAppliers: extra });
    await d.engine.enroll(central.url, await central.admin.code(hallId, 'counter'));
    devices.push(d);
    return d;
  };
  try {
    const hall = await central.admin.createHall('BENCH1');

    // Push: 5 devices with 2,000 queued mutations each, draining at the same time.
    const five = await Promise.all(Array.from({ length: 5 }, (_, i) => open(`push${i}`, hall.id)));
    for (const d of five) d.write(2000);
    let t = performance.now();
    await Promise.all(five.map((d) => drain(d, 300_000)));
    const pushSeconds = (performance.now() - t) / 1000;

    // Catch-up: one device with 10,000 queued.
    const one = await open('catchup', hall.id);
    one.write(10_000);
    t = performance.now();
    await drain(one, 300_000);
    const catchUpSeconds = (performance.now() - t) / 1000;

    // Pull: 10,000 catalog rows into a device table, in pages of 1,000, each page one SQLite transaction.
    await inTransaction(central.pool, async (tx) => {
      for (let i = 0; i < 10_000; i++) {
        await referenceStore.put(tx, {
          kind: 'catalog.matter',
          id: `M${String(i).padStart(5, '0')}`,
          hallId: null,
          leaderId: null,
          deleted: false,
          data: { name: `事项 ${i}`, department: '市场监管局', promisedDays: 5, materials: ['申请表', '身份证明'] },
        });
      }
    });
    // The applier writes through a statement prepared once the device (and its table) exists.
    const sink: { insert?: (id: string, data: string) => void } = {};
    const catalog = {
      apply: (row: { id: string; data: unknown }) => sink.insert!(row.id, JSON.stringify(row.data)),
      reset: () => undefined,
    };
    const puller = await open('puller', hall.id, { 'catalog.matter': catalog });
    puller.db.exec('CREATE TABLE bench_catalog (id TEXT PRIMARY KEY, data TEXT NOT NULL) STRICT');
    const insert = puller.db.prepare('INSERT OR REPLACE INTO bench_catalog (id, data) VALUES (?, ?)');
    sink.insert = (id, data) => void insert.run(id, data);
    t = performance.now();
    await drain(puller, 300_000);
    const pullSeconds = (performance.now() - t) / 1000;
    const pulled = puller.db.prepare<[], { n: number }>('SELECT count(*) AS n FROM bench_catalog').get()!.n;

    // The ceiling: single-row durable commits in a row on the same server, as each pushed mutation is one.
    await central.pool.query('CREATE TABLE bench_commit (id serial PRIMARY KEY, v text NOT NULL)');
    t = performance.now();
    for (let i = 0; i < 2000; i++) {
      await inTransaction(central.pool, (tx) => tx.query('INSERT INTO bench_commit (v) VALUES ($1)', [`row ${i}`]));
    }
    const commitsPerSecond = Math.round(2000 / ((performance.now() - t) / 1000));

    return {
      postgres: { durableSingleRowCommitsPerSecond: commitsPerSecond },
      push: {
        devices: 5,
        mutations: 10_000,
        seconds: +pushSeconds.toFixed(2),
        perSecond: Math.round(10_000 / pushSeconds),
      },
      catchUp: {
        mutations: 10_000,
        seconds: +catchUpSeconds.toFixed(2),
        perSecond: Math.round(10_000 / catchUpSeconds),
      },
      pullCatalog: { rows: pulled, seconds: +pullSeconds.toFixed(2), perSecond: Math.round(pulled / pullSeconds) },
    };
  } finally {
    for (const d of devices) await d.close();
    await central.stop();
    for (const d of dirs) d.remove();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(JSON.stringify(await syncBench(), null, 2));
}
