// Where a bench's CPU goes: this process (server and clients alike), the PostgreSQL backends of its
// database, and the whole machine, read from /proc between start() and stop(). Used where the
// machine, not a wait, bounds a figure, so that a run reports its cost per unit of work as well as
// its rate, and the rate can be read against the machine's cores.
import { readFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { sql } from 'kysely';
import type { Database } from '../src/server/db/database.js';

/** Linux reports process CPU in clock ticks; 100 per second on every kernel we run on. */
const TICK_MS = 10;

export interface CpuSplit {
  /** CPU milliseconds of this process (all its threads) and the other Node processes named. */
  nodeMs: number;
  /** CPU milliseconds of the PostgreSQL backends serving this database; null when the server is not on this machine. */
  postgresMs: number | null;
  /** Share of all cores busy, 0–1. */
  machineBusy: number;
  cores: number;
}

/** utime + stime of a process; 0 when it has gone, or when `command` is given and it is another program. */
async function processTicks(pid: number, command?: string): Promise<number> {
  try {
    // The command name is in parentheses and may hold spaces: count fields after it.
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    if (command && stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')) !== command) return 0;
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return 0; // a backend that has exited since
  }
}

async function machineTicks(): Promise<{ busy: number; total: number }> {
  const [cpu] = (await readFile('/proc/stat', 'utf8')).split('\n');
  const values = (cpu ?? '').split(/\s+/).slice(1).map(Number);
  const total = values.reduce((a, b) => a + b, 0);
  const idle = (values[3] ?? 0) + (values[4] ?? 0);
  return { busy: total - idle, total };
}

async function backendPids(db: Database): Promise<number[]> {
  const { rows } = await sql<{ pid: number }>`
    SELECT pid FROM pg_stat_activity WHERE datname = current_database()`.execute(db);
  return rows.map((r) => r.pid);
}

/**
 * Starts measuring; the backends are those connected now, so start once the pools are warm.
 * `nodePids`: more Node processes of the bench (servers of their own), counted with this one.
 */
export async function startCpuMeter(
  db: Database,
  nodePids: number[] = [],
): Promise<{ stop(): Promise<CpuSplit> }> {
  const pids = await backendPids(db);
  // A server on another machine reports pids that here are nobody's, or another program's.
  const backend = (pid: number) => processTicks(pid, 'postgres');
  const local = (await Promise.all(pids.map(backend))).some((t) => t > 0);
  const sum = async () => (await Promise.all(pids.map(backend))).reduce((a, b) => a + b, 0);
  const others = async () =>
    (await Promise.all(nodePids.map((pid) => processTicks(pid)))).reduce((a, b) => a + b, 0);
  const node0 = process.cpuUsage();
  const others0 = await others();
  const pg0 = local ? await sum() : 0;
  const machine0 = await machineTicks();
  return {
    async stop() {
      const node = process.cpuUsage(node0);
      const pg = local ? await sum() : 0;
      const machine = await machineTicks();
      return {
        nodeMs: (node.user + node.system) / 1000 + ((await others()) - others0) * TICK_MS,
        postgresMs: local ? (pg - pg0) * TICK_MS : null,
        machineBusy: (machine.busy - machine0.busy) / Math.max(1, machine.total - machine0.total),
        cores: availableParallelism(),
      };
    },
  };
}
