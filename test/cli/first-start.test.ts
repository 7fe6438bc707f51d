import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { CLI_ARGV } from '../helpers/cli-argv.js';
import { startTestServer } from '../helpers/server.js';

// The first hour as a newcomer meets it: a fresh server, the real CLI in its own process, and what
// the first start left behind — a personal organization and a default spec — used without setup.
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CLI = CLI_ARGV;
const audit: Array<Record<string, unknown>> = [];
const log = pino(
  { level: 'info' },
  {
    write: (line: string) => {
      const entry = JSON.parse(line);
      if (entry.audit) audit.push(entry);
    },
  },
);
const server = await startTestServer({ log, config: { defaultPlan: { plan: 'LICENSED', level: 'TEAM' } } });
const home = mkdtempSync(join(tmpdir(), 'benchline-cli-home-'));
afterAll(() => rmSync(home, { recursive: true, force: true }));

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

function cli(args: string[], token: string | null = server.adminToken): Promise<Result> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NO_COLOR: '1',
    BENCHLINE_HOST: server.url,
    XDG_CONFIG_HOME: join(home, 'config'),
  };
  if (token) env.BENCHLINE_TOKEN = token;
  else delete env.BENCHLINE_TOKEN;
  const child = spawn(process.execPath, [...CLI, ...args], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c) => {
    stdout += c;
  });
  child.stderr.on('data', (c) => {
    stderr += c;
  });
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, stdout, stderr })));
}

async function ok(args: string[], token?: string | null): Promise<string> {
  const result = await cli(args, token);
  expect(result.code, `${args.join(' ')}\n${result.stdout}${result.stderr}`).toBe(0);
  return result.stdout;
}

vi.setConfig({ testTimeout: 120_000 });

describe('the first start', () => {
  it('leaves the admin a personal organization on the default plan, and a default spec', async () => {
    const orgs = JSON.parse(await ok(['org', 'list', '--format', 'json']));
    expect(orgs).toEqual([expect.objectContaining({ slug: 'admin', myRole: 'OWNER', plan: 'LICENSED' })]);
    const specs = JSON.parse(await ok(['spec', 'list', '--format', 'json']));
    expect(specs).toEqual([expect.objectContaining({ slug: 'default', isDefault: true })]);
  });

  it('lets project create and runner create work with no more setup', async () => {
    const help = await ok(['project', 'create', '--help']);
    expect(help).toMatch(/--org <slug>\s+organization that owns it \(default: your only one/);
    expect(await ok(['project', 'create', 'first'])).toContain('Created project first');
    const project = await server.database.db
      .selectFrom('project')
      .innerJoin('organization', 'organization.id', 'project.organization_id')
      .select('organization.slug')
      .where('project.slug', '=', 'first')
      .executeTakeFirstOrThrow();
    expect(project.slug).toBe('admin');
    const runner = await cli(['runner', 'create', 'r1']);
    expect(runner.code, runner.stderr).toBe(0);
    expect(runner.stdout).toMatch(/[A-Za-z0-9_-]{20,}/);
  });
});

describe('organizations from the CLI', () => {
  it('creates one on the default plan, lists it and its members, adds and removes a member', async () => {
    expect(await ok(['org', 'create', 'Acme Corp', '--slug', 'acme'])).toContain(
      'Created organization Acme Corp (acme)',
    );
    const created = await server.database.db
      .selectFrom('organization')
      .select(['plan', 'plan_level'])
      .where('slug', '=', 'acme')
      .executeTakeFirstOrThrow();
    expect(created).toEqual({ plan: 'LICENSED', plan_level: 'TEAM' });
    const list = await ok(['org', 'list']);
    expect(list).toMatch(/acme\s+Acme Corp\s+licensed\/team\s+owner/);

    const bob = await server
      .client(null)
      .data<{ signup: { secret: string } }>(
        'mutation { signup(input: { name: "bob", slug: "bob" }) { secret } }',
      );
    expect(await ok(['org', 'member', 'acme', 'bob', 'viewer'])).toContain('bob is now viewer of acme');
    const members = JSON.parse(await ok(['org', 'members', 'acme', '--format', 'json']));
    expect(members).toEqual([
      { user: 'admin', name: 'admin', role: 'OWNER' },
      { user: 'bob', name: 'bob', role: 'VIEWER' },
    ]);
    // A viewer may not change who belongs.
    const denied = await cli(['org', 'member', 'acme', 'bob', 'owner'], bob.signup.secret);
    expect(denied.code).not.toBe(0);
    expect(denied.stderr).toMatch(/FORBIDDEN|owner/i);
    const bad = await cli(['org', 'member', 'acme', 'bob', 'king']);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('no role "king"');
    await ok(['org', 'member', 'acme', 'bob']);
    expect(JSON.parse(await ok(['org', 'members', 'acme', '--format', 'json']))).toHaveLength(1);
  });

  it('creates, lists and revokes an API token', async () => {
    const secret = (await ok(['token', 'create', 'ci'])).trim();
    expect((await ok(['auth', 'whoami'], secret)).toLowerCase()).toContain('admin');
    const tokens = JSON.parse(await ok(['token', 'list', '--format', 'json']));
    const ci = tokens.find((t: { name: string }) => t.name === 'ci');
    expect(ci).toMatchObject({ revoked: false });
    await ok(['token', 'revoke', ci.id]);
    expect((await cli(['auth', 'whoami'], secret)).code).not.toBe(0);
  });
});

describe("an organization's plan", () => {
  it('an admin sets it, and the change is audited', async () => {
    await ok(['org', 'create', 'Small', '--slug', 'small']);
    const before = audit.length;
    expect(await ok(['org', 'plan', 'small', 'licensed', 'enterprise'])).toContain(
      'small is now on plan licensed, level enterprise',
    );
    const row = await server.database.db
      .selectFrom('organization')
      .select(['plan', 'plan_level'])
      .where('slug', '=', 'small')
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ plan: 'LICENSED', plan_level: 'ENTERPRISE' });
    expect(audit.slice(before)).toEqual([
      expect.objectContaining({
        audit: 'organization.plan',
        organization: 'small',
        from: { plan: 'LICENSED', level: 'TEAM' },
        to: { plan: 'LICENSED', level: 'ENTERPRISE' },
      }),
    ]);
  });

  it('only an admin may set it, and a bad plan changes nothing', async () => {
    const carol = await server
      .client(null)
      .data<{ signup: { secret: string } }>(
        'mutation { signup(input: { name: "carol", slug: "carol" }) { secret } }',
      );
    await ok(['org', 'create', 'Carol Co', '--slug', 'carol-co'], carol.signup.secret);
    const before = audit.length;
    const denied = await cli(['org', 'plan', 'carol-co', 'licensed', 'enterprise'], carol.signup.secret);
    expect(denied.code).not.toBe(0);
    const bad = await cli(['org', 'plan', 'carol-co', 'gold']);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('no plan "gold"');
    const code = await server
      .client(server.adminToken)
      .errorCode(
        'mutation { setOrganizationPlan(organization: "nope", plan: LICENSED, level: TEAM) { slug } }',
      );
    expect(code).toBe('NOT_FOUND');
    const row = await server.database.db
      .selectFrom('organization')
      .select(['plan', 'plan_level'])
      .where('slug', '=', 'carol-co')
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ plan: 'LICENSED', plan_level: 'TEAM' });
    expect(audit.length).toBe(before);
  });
});
