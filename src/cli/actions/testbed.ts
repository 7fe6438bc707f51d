import { CreateTestbedMutation, TestbedsQuery } from '../api/documents/resources.js';
import { collectAll } from '../api/pages.js';
import type { FormatOptions } from '../command-options.js';
import { printList, printRecord } from '../output/list.js';
import { connect } from '../session.js';

export async function listTestbeds(project: string, flags: FormatOptions) {
  const { client } = await connect(flags);
  const testbeds = await collectAll<any>(
    'testbeds',
    async (first, after) =>
      ((await client.request(TestbedsQuery, { project, first, after })) as any).testbeds,
  );
  printList(
    testbeds,
    [
      { header: 'Slug', get: (t) => t.slug },
      { header: 'Name', get: (t) => t.name },
      { header: 'Spec', get: (t) => t.spec?.slug },
    ],
    flags.format,
    'No testbeds yet: `benchline run` creates them, or `benchline testbed create`.',
  );
}

export async function createTestbed(
  name: string,
  flags: FormatOptions & { project: string; slug?: string; spec?: string },
) {
  const { client } = await connect(flags, { requireToken: true });
  const input = {
    project: flags.project,
    name,
    ...(flags.slug && { slug: flags.slug }),
    ...(flags.spec && { spec: flags.spec }),
  };
  const { createTestbed } = (await client.request(CreateTestbedMutation, { input })) as any;
  if (flags.format === 'json') return printRecord(createTestbed, 'json');
  console.log(`Created testbed ${createTestbed.name} (${createTestbed.slug}).`);
}
