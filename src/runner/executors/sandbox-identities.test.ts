import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SandboxIdentities } from './sandbox-identities.js';

const dirs: string[] = [];
const claimsDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'uid-claims-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('sandbox uids, across runner processes on one host', () => {
  it('never hands one uid to two runners at once, and frees it on release', () => {
    const claims = claimsDir();
    const a = new SandboxIdentities(5000, 4, claims);
    const b = new SandboxIdentities(5000, 4, claims);
    const held = [a.acquire(), b.acquire(), a.acquire(), b.acquire()];
    expect(new Set(held.map((i) => i.uid))).toEqual(new Set([5001, 5002, 5003, 5004]));
    expect(held[0]?.gid).toBe(5000);
    a.release(held[0]!);
    expect(b.acquire().uid).toBe(held[0]?.uid);
  });

  it('hands uids out in turn, so a job does not start under the zombies of the one before it', () => {
    const ids = new SandboxIdentities(5000, 8, claimsDir());
    const seen: number[] = [];
    for (let i = 0; i < 8; i++) {
      const identity = ids.acquire();
      seen.push(identity.uid);
      ids.release(identity);
    }
    expect(new Set(seen).size).toBe(8);
  });

  it('says so when the host has no uid left', () => {
    const claims = claimsDir();
    const a = new SandboxIdentities(5000, 2, claims);
    const b = new SandboxIdentities(5000, 2, claims);
    a.acquire();
    a.acquire();
    expect(() => b.acquire()).toThrow(/more concurrent sandboxes on this host than sandbox uids \(2\)/);
  });

  it('takes over a claim whose runner is gone, not one whose runner lives', async () => {
    const claims = claimsDir();
    const gone = spawn(process.execPath, ['-e', '0']);
    const deadPid = gone.pid as number;
    await new Promise((r) => gone.on('exit', r));
    writeFileSync(join(claims, '5001'), String(deadPid));
    writeFileSync(join(claims, '5002'), String(process.ppid));
    writeFileSync(join(claims, '5003'), String(process.ppid));
    writeFileSync(join(claims, '5004'), String(process.ppid));
    const ids = new SandboxIdentities(5000, 4, claims);
    expect(ids.acquire().uid).toBe(5001);
    expect(readFileSync(join(claims, '5001'), 'utf8')).toBe(String(process.pid));
  });
});
