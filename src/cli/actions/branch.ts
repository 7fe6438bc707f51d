import { BranchesQuery, CreateBranchMutation } from '../api/documents/resources.js';
import { collectAll } from '../api/pages.js';
import type { FormatOptions } from '../command-options.js';
import { CliError } from '../errors.js';
import { printList, printRecord } from '../output/list.js';
import { connect } from '../session.js';

export async function listBranches(project: string, flags: FormatOptions) {
  const { client } = await connect(flags);
  const branches = await collectAll<any>(
    'branches',
    async (first, after) =>
      ((await client.request(BranchesQuery, { project, first, after })) as any).branches,
  );
  printList(
    branches,
    [
      { header: 'Slug', get: (b) => b.slug },
      { header: 'Name', get: (b) => b.name },
      { header: 'Start point', get: (b) => b.startPoint?.slug },
      { header: 'Start hash', get: (b) => b.startPointHash },
    ],
    flags.format,
    'No branches yet: `benchline run` creates them, or `benchline branch create`.',
  );
}

export async function createBranch(
  name: string,
  flags: FormatOptions & { project: string; slug?: string; startPoint?: string; startPointHash?: string },
) {
  // The server ignores a hash without the branch it is on: say so rather than drop it.
  if (flags.startPointHash && !flags.startPoint) {
    throw new CliError('--start-point-hash needs --start-point', 'name the branch the commit is on');
  }
  if (flags.startPointHash && !/^[0-9a-f]{7,64}$/i.test(flags.startPointHash)) {
    throw new CliError(`--start-point-hash ${flags.startPointHash} is not a git commit hash`, 'pass a sha');
  }
  const { client } = await connect(flags, { requireToken: true });
  const input = {
    project: flags.project,
    name,
    ...(flags.slug && { slug: flags.slug }),
    ...(flags.startPoint && { startPoint: flags.startPoint }),
    ...(flags.startPointHash && { startPointHash: flags.startPointHash }),
  };
  const { createBranch } = (await client.request(CreateBranchMutation, { input })) as any;
  if (flags.format === 'json') return printRecord(createBranch, 'json');
  console.log(`Created branch ${createBranch.name} (${createBranch.slug}).`);
}
