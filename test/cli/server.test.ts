import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { describe, expect, it, onTestFinished, vi } from 'vitest';
import { login } from '../../src/cli/actions/auth.js';
import { createApiClient } from '../../src/cli/api/client.js';
import { configPath, resolveConnection } from '../../src/cli/api/config.js';
import { COMMANDS } from '../../src/cli/commands/index.js';
import { buildRunPlan } from '../../src/cli/run/args.js';
import { executeRun, exitCodeFor } from '../../src/cli/run/execute.js';
import type { RunEvent } from '../../src/cli/run/types.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

// Top-level, so that skipIf below sees whether the server has createRun yet.
const server: TestServer = await startTestServer();
const { __type } = await server.client().data('{ __type(name: "Mutation") { fields { name } } }');
const hasCreateRun: boolean = __type.fields.some((f: { name: string }) => f.name === 'createRun');

const bmf = (value: number) => `printf '{"sort/1000": {"latency": {"value": ${value}}}}'`;

describe('auth login', () => {
  it('checks the token with the server and saves it readable only by the user', async () => {
    const home = await mkdtemp(join(tmpdir(), 'benchline-cli-'));
    onTestFinished(() => rm(home, { recursive: true, force: true }));
    process.env.XDG_CONFIG_HOME = home;
    try {
      await login({ host: server.url, token: server.adminToken }, async () => '');
      const path = configPath();
      expect(path).toBe(join(home, 'benchline', 'config.json'));
      expect((await stat(path)).mode & 0o777).toBe(0o600);
      expect(JSON.parse(await readFile(path, 'utf8'))).toEqual({
        host: server.url,
        token: server.adminToken,
      });
      expect(await resolveConnection({}, { XDG_CONFIG_HOME: home })).toMatchObject({
        host: server.url,
        token: server.adminToken,
        tokenSource: 'config',
      });
      await expect(login({ host: server.url, token: 'bl_wrong' }, async () => '')).rejects.toMatchObject({
        code: 'UNAUTHENTICATED',
      });
    } finally {
      delete process.env.XDG_CONFIG_HOME;
    }
  });
});

describe('local run against a real server', () => {
  it.skipIf(!hasCreateRun)(
    'runs the command, submits its output and shows results, alerts and exit code',
    async () => {
      const project = `cli-local-${Date.now().toString(36)}`;
      const connection = { host: server.url, token: null, tokenSource: 'none' as const };
      const deps = (events: RunEvent[]) => ({
        client: createApiClient(connection),
        connection,
        emit: (e: RunEvent) => events.push(e),
      });
      const flags = {
        project,
        adapter: 'json',
        iter: '2',
        fold: 'max',
        thresholdMeasure: ['latency'],
        thresholdTest: ['static'],
        thresholdUpperBoundary: ['150'],
      };

      const events: RunEvent[] = [];
      const summary = await executeRun(buildRunPlan([bmf(100)], flags), deps(events));
      expect(summary.outcome).toBe('ok');
      expect(events.filter((e) => e.type === 'local-iteration')).toHaveLength(2);
      expect(events.filter((e) => e.type === 'log').map((e) => (e as { text: string }).text)[0]).toContain(
        'sort/1000',
      );
      const [first] = summary.results!.rows;
      expect(first).toMatchObject({
        benchmark: 'sort/1000',
        measure: 'Latency',
        value: 100,
        upperLimit: 150,
        alert: null,
      });
      expect(summary.results!.url).toBe(`${server.url}/projects/${project}/reports/${summary.reportId}`);
      expect(exitCodeFor(summary, true)).toBe(0);

      const second = await executeRun(buildRunPlan([bmf(200)], flags), deps([]));
      const alerted = second.results!.rows.find((r) => r.alert);
      expect(alerted).toMatchObject({ value: 200, upperLimit: 150, alert: { side: 'UPPER' } });
      expect(alerted!.history.length).toBeGreaterThanOrEqual(2);
      expect(exitCodeFor(second, false)).toBe(0);
      expect(exitCodeFor(second, true)).toBe(1);
    },
  );

  it.skipIf(!hasCreateRun)('asks perf for only the points its sparkline shows, the newest', async () => {
    const connection = { host: server.url, token: null, tokenSource: 'none' as const };
    const deps = { client: createApiClient(connection), connection, emit: () => {} };
    const flags = { project: `cli-history-${Date.now().toString(36)}`, adapter: 'json', iter: '2' };
    let summary: Awaited<ReturnType<typeof executeRun>> | undefined;
    // 8 runs of 2 iterations: 16 points in the series, more than the sparkline's 12.
    for (let value = 1; value <= 8; value++)
      summary = await executeRun(buildRunPlan([bmf(value)], flags), deps);
    const [row] = summary!.results!.rows;
    expect(row!.history).toEqual([3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8]);
    expect(summary!.results!.historyNote).toBeUndefined();
  });

  it.skipIf(!hasCreateRun)(
    'shows every benchmark of a report of more than 100, each with its sparkline',
    async () => {
      const dir = await mkdtemp(join(tmpdir(), 'benchline-cli-many-'));
      onTestFinished(() => rm(dir, { recursive: true, force: true }));
      // 150 benchmarks of 2 measures: two pages of results, and more than one perf request may name.
      const file = join(dir, 'bmf.json');
      const bmfMany = (value: number) =>
        JSON.stringify(
          Object.fromEntries(
            Array.from({ length: 150 }, (_, i) => [
              `bench-${String(i).padStart(3, '0')}`,
              { latency: { value: value + i }, throughput: { value: 1000 - i } },
            ]),
          ),
        );
      const connection = { host: server.url, token: null, tokenSource: 'none' as const };
      const deps = { client: createApiClient(connection), connection, emit: () => {} };
      const flags = { project: `cli-many-${Date.now().toString(36)}`, adapter: 'json' };
      let summary: Awaited<ReturnType<typeof executeRun>> | undefined;
      for (const value of [10, 20, 30]) {
        await writeFile(file, bmfMany(value));
        summary = await executeRun(buildRunPlan([`cat ${file}`], flags), deps);
      }
      const rows = summary!.results!.rows;
      expect(new Set(rows.map((r) => r.benchmark)).size).toBe(150);
      expect(rows).toHaveLength(300);
      expect(summary!.results!.historyNote).toBeUndefined();
      const last = rows.find((r) => r.benchmark === 'bench-149' && r.measureSlug === 'latency');
      expect(last?.history).toEqual([159, 169, 179]);
      expect(rows.every((r) => r.history.length === 3)).toBe(true);
      // In name order, as the server pages them.
      expect(rows.map((r) => r.benchmark)).toEqual([...rows.map((r) => r.benchmark)].sort());
    },
    60_000,
  );

  it.skipIf(!hasCreateRun)('fails with a message when the benchmark command fails', async () => {
    const connection = { host: server.url, token: null, tokenSource: 'none' as const };
    const plan = buildRunPlan(['exit 3'], { project: 'cli-fails', adapter: 'json' });
    await expect(
      executeRun(plan, { client: createApiClient(connection), connection, emit: () => {} }),
    ).rejects.toThrow(/exited with code 3/);
  });
});

/** The real command line, in this process, with what it prints. */
async function cli(...args: string[]): Promise<string> {
  const program = new Command().name('benchline').exitOverride();
  for (const register of COMMANDS) register(program);
  const lines: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((...parts) => void lines.push(parts.join(' ')));
  const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => !!lines.push(String(chunk)));
  try {
    await program.parseAsync([
      'node',
      'benchline',
      ...args,
      '--host',
      server.url,
      '--token',
      server.adminToken,
    ]);
  } finally {
    log.mockRestore();
    write.mockRestore();
  }
  return lines.join('\n');
}

describe('resource commands', () => {
  it('whoami, projects, specs and runners', async () => {
    expect(await cli('auth', 'whoami')).toMatch(/^user:\s+\S+/m);
    const { organizations } = await server
      .client(server.adminToken)
      .data('{ organizations { edges { node { slug } } } }');
    let org = organizations.edges[0]?.node.slug;
    if (!org) {
      await server
        .client(server.adminToken)
        .data('mutation { createOrganization(name: "cli-org") { slug } }');
      org = 'cli-org';
    }
    expect(await cli('project', 'create', 'CLI Project', '--org', org, '--slug', 'cli-project')).toContain(
      'Created project CLI Project (cli-project, public)',
    );
    expect(await cli('project', 'list')).toMatch(/cli-project\s+CLI Project\s+public\s+yes/);
    expect(JSON.parse(await cli('project', 'view', 'cli-project', '--format', 'json'))).toMatchObject({
      slug: 'cli-project',
      url: `${server.url}/projects/cli-project`,
    });
    expect(
      await cli('spec', 'create', 'Small', '--cpu', '2', '--memory', '4GiB', '--disk', '20GiB', '--default'),
    ).toContain('Created spec Small (small), the default');
    expect(await cli('spec', 'list')).toMatch(/small \(default\)\s+Small\s+\S+\s+2\s+4GiB\s+20GiB/);
    const created = await cli('runner', 'create', 'rack-1', '--spec', 'small');
    expect(created).toMatch(/Key \(shown once; store it now\): \S+/);
    expect(await cli('runner', 'list')).toMatch(/rack-1\s+rack-1\s+small/);
  });
});

describe('--format json on every list and create command', () => {
  it('prints one JSON document each: the created record, or the listed array', async () => {
    const json = async (...args: string[]) => JSON.parse(await cli(...args, '--format', 'json'));
    const org = await json('org', 'create', 'JSON Org');
    expect(org).toMatchObject({ slug: 'json-org' });
    expect(await json('org', 'list')).toContainEqual(expect.objectContaining({ slug: 'json-org' }));
    const project = await json('project', 'create', 'JSON Project', '--org', 'json-org');
    expect(project).toMatchObject({ name: 'JSON Project', slug: 'json-project' });
    expect(await json('project', 'list')).toContainEqual(expect.objectContaining({ slug: 'json-project' }));
    const p = ['--project', 'json-project'];

    expect(await json('branch', 'create', 'main', ...p)).toMatchObject({ name: 'main', slug: 'main' });
    expect(await json('testbed', 'create', 'ci', ...p)).toMatchObject({ name: 'ci', slug: 'ci' });
    // A name whose slug is taken gets its own slug: the JSON tells the script which.
    expect(await json('benchmark', 'create', 'sort 1000', ...p)).toMatchObject({
      name: 'sort 1000',
      slug: 'sort-1000',
    });
    const twin = await json('benchmark', 'create', 'Sort 1000!', ...p);
    expect(twin.slug).toMatch(/^sort-1000-.+/);
    expect(await json('measure', 'create', 'file-size', ...p, '--units', 'bytes (B)')).toMatchObject({
      name: 'file-size',
      slug: 'file-size',
      units: 'bytes (B)',
    });
    const threshold = await json(
      'threshold',
      'create',
      ...p,
      '--branch',
      'main',
      '--testbed',
      'ci',
      '--measure',
      'file-size',
      '--test',
      'static',
      '--upper-boundary',
      '100',
    );
    expect(threshold).toMatchObject({
      id: expect.any(String),
      branch: { slug: 'main' },
      testbed: { slug: 'ci' },
      measure: { slug: 'file-size' },
      model: { test: 'STATIC', upperBoundary: 100 },
    });

    const slugs = (rows: Array<{ slug: string }>) => rows.map((r) => r.slug).sort();
    expect(slugs(await json('branch', 'list', ...p))).toEqual(['main']);
    expect(slugs(await json('testbed', 'list', ...p))).toContain('ci');
    expect(slugs(await json('benchmark', 'list', ...p))).toEqual(['sort-1000', twin.slug]);
    // Paged: a limit below the count reads only that many.
    expect(await json('benchmark', 'list', ...p, '--limit', '1')).toHaveLength(1);
    expect(await json('measure', 'list', ...p)).toEqual([
      expect.objectContaining({ name: 'file-size', units: 'bytes (B)' }),
    ]);
    expect(await json('threshold', 'list', ...p)).toEqual([threshold]);
    expect(await json('alert', 'list', ...p, '--all')).toEqual([]);
    expect(await json('job', 'list', ...p)).toEqual([]);

    expect(
      await json('spec', 'create', 'JSON Spec', '--cpu', '1', '--memory', '1GiB', '--disk', '1GiB'),
    ).toMatchObject({
      slug: 'json-spec',
    });
    expect(await json('spec', 'list')).toContainEqual(expect.objectContaining({ slug: 'json-spec' }));
    expect(await json('runner', 'create', 'json-rack', '--spec', 'json-spec')).toMatchObject({
      runner: { slug: 'json-rack' },
      key: expect.stringMatching(/^blr_/),
    });
    expect(await json('runner', 'list')).toContainEqual(expect.objectContaining({ slug: 'json-rack' }));
    expect(await json('token', 'create', 'json-ci')).toMatchObject({
      secret: expect.stringMatching(/^blu_/),
    });
    expect(await json('token', 'list')).toContainEqual(expect.objectContaining({ name: 'json-ci' }));
  }, 120_000);

  it('lists more than the server’s page of 100', async () => {
    const json = async (...args: string[]) => JSON.parse(await cli(...args, '--format', 'json'));
    await json('org', 'create', 'Paged Org');
    await json('project', 'create', 'Paged Project', '--org', 'paged-org');
    const { id: projectId } = await server.database.db
      .selectFrom('project')
      .select('id')
      .where('slug', '=', 'paged-project')
      .executeTakeFirstOrThrow();
    const names = Array.from({ length: 130 }, (_, i) => `b-${String(i).padStart(3, '0')}`);
    await server.database.db
      .insertInto('branch')
      .values(names.map((name) => ({ project_id: projectId, name, slug: name })))
      .execute();
    const p = ['--project', 'paged-project'];
    const slugs = (rows: Array<{ slug: string }>) => rows.map((r) => r.slug).sort();
    const listed = slugs(await json('branch', 'list', ...p));
    expect(listed.filter((slug) => slug.startsWith('b-'))).toEqual(names);
    expect((await cli('branch', 'list', ...p)).split('\n').filter((l) => /^b-\d{3}\b/.test(l))).toHaveLength(
      130,
    );
  });
});
