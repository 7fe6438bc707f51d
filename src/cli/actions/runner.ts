import { CreateRunnerMutation, RunnersQuery, SpecsQuery } from '../api/documents/resources.js';
import { collectAll } from '../api/pages.js';
import type { FormatOptions } from '../command-options.js';
import { CliError } from '../errors.js';
import { printList, printRecord } from '../output/list.js';
import { connect } from '../session.js';

export async function listRunners(flags: FormatOptions) {
  const { client } = await connect(flags, { requireToken: true });
  const runners = await collectAll<any>(
    'runners',
    async (first, after) => ((await client.request(RunnersQuery, { first, after })) as any).runners,
  );
  printList(
    runners,
    [
      { header: 'Slug', get: (r) => r.slug },
      { header: 'Name', get: (r) => r.name },
      { header: 'Specs', get: (r) => r.specs.map((s: { slug: string }) => s.slug) },
      { header: 'Last seen', get: (r) => r.lastSeenAt },
      { header: 'Archived', get: (r) => r.archived },
    ],
    flags.format,
    'No runners yet: an admin creates one with `benchline runner create <name>` (--spec <slug> for other than the default spec).',
  );
}

export async function createRunner(name: string, flags: FormatOptions & { slug?: string; spec?: string[] }) {
  const { client } = await connect(flags, { requireToken: true });
  let specs = flags.spec ?? [];
  if (specs.length === 0) {
    // The default spec, as the first start makes it: a first runner needs no spec setup.
    const all = await collectAll<{ slug: string; isDefault: boolean }>(
      'specs',
      async (first, after) => ((await client.request(SpecsQuery, { first, after })) as any).specs,
    );
    const fallback = all.find((s) => s.isDefault);
    if (!fallback) throw new CliError('there is no default spec', 'pass --spec <slug> (repeatable)');
    specs = [fallback.slug];
  }
  const { createRunner } = (await client.request(CreateRunnerMutation, {
    name,
    slug: flags.slug ?? null,
    specs,
  })) as any;
  if (flags.format === 'json') return printRecord(createRunner, 'json');
  console.log(`Created runner ${createRunner.runner.name} (${createRunner.runner.slug}).`);
  console.log(`Key (shown once; store it now): ${createRunner.key}`);
  console.log('Start `benchline runner up` on the runner machine with this key.');
}
