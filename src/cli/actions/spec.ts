import { CreateSpecMutation, SpecsQuery, UpdateSpecMutation } from '../api/documents/resources.js';
import { collectAll } from '../api/pages.js';
import type { FormatOptions } from '../command-options.js';
import { CliError } from '../errors.js';
import { printList, printRecord } from '../output/list.js';
import { connect } from '../session.js';

export interface SpecFlags extends FormatOptions {
  name?: string;
  slug?: string;
  cpu?: string;
  memory?: string;
  disk?: string;
  os?: string;
  arch?: string;
  network?: boolean;
  default?: boolean;
  archive?: boolean;
}

export async function listSpecs(flags: FormatOptions) {
  const { client } = await connect(flags);
  const specs = await collectAll<any>(
    'specs',
    async (first, after) => ((await client.request(SpecsQuery, { first, after })) as any).specs,
  );
  printList(
    specs,
    [
      { header: 'Slug', get: (s) => s.slug + (s.isDefault ? ' (default)' : '') },
      { header: 'Name', get: (s) => s.name },
      { header: 'OS/arch', get: (s) => `${s.os}/${s.architecture}` },
      { header: 'CPU', get: (s) => s.cpu, right: true },
      { header: 'Memory', get: (s) => formatBytes(s.memory), right: true },
      { header: 'Disk', get: (s) => formatBytes(s.disk), right: true },
      { header: 'Network', get: (s) => s.network },
      { header: 'Archived', get: (s) => s.archived },
    ],
    flags.format,
    'No specs yet: an admin creates one with `benchline spec create`.',
  );
}

export async function createSpec(name: string, flags: SpecFlags) {
  if (!flags.cpu || !flags.memory || !flags.disk) {
    throw new CliError('a spec needs --cpu, --memory and --disk', 'e.g. --cpu 2 --memory 4GiB --disk 20GiB');
  }
  const { client } = await connect(flags, { requireToken: true });
  const input = {
    name,
    cpu: Number(flags.cpu),
    memory: parseBytes(flags.memory),
    disk: parseBytes(flags.disk),
    ...(flags.slug && { slug: flags.slug }),
    ...(flags.os && { os: flags.os }),
    ...(flags.arch && { architecture: flags.arch }),
    ...(flags.network !== undefined && { network: flags.network }),
    ...(flags.default && { isDefault: true }),
  };
  const { createSpec } = (await client.request(CreateSpecMutation, { input })) as any;
  if (flags.format === 'json') return printRecord(createSpec, 'json');
  console.log(
    `Created spec ${createSpec.name} (${createSpec.slug})${createSpec.isDefault ? ', the default' : ''}.`,
  );
}

export async function updateSpec(slug: string, flags: SpecFlags) {
  const { client } = await connect(flags, { requireToken: true });
  const input = {
    ...(flags.name && { name: flags.name }),
    ...(flags.slug && { slug: flags.slug }),
    ...(flags.cpu && { cpu: Number(flags.cpu) }),
    ...(flags.memory && { memory: parseBytes(flags.memory) }),
    ...(flags.disk && { disk: parseBytes(flags.disk) }),
    ...(flags.os && { os: flags.os }),
    ...(flags.arch && { architecture: flags.arch }),
    ...(flags.network !== undefined && { network: flags.network }),
    ...(flags.default !== undefined && { isDefault: flags.default }),
    ...(flags.archive !== undefined && { archived: flags.archive }),
  };
  if (!Object.keys(input).length)
    throw new CliError('nothing to change', 'pass at least one option (see --help)');
  const { updateSpec } = (await client.request(UpdateSpecMutation, { slug, input })) as any;
  if (flags.format === 'json') return printRecord(updateSpec, 'json');
  console.log(`Updated spec ${updateSpec.slug}.`);
}

const UNITS: Record<string, number> = {
  '': 1,
  b: 1,
  k: 1e3,
  kb: 1e3,
  kib: 1024,
  m: 1e6,
  mb: 1e6,
  mib: 1024 ** 2,
};
Object.assign(UNITS, { g: 1e9, gb: 1e9, gib: 1024 ** 3, t: 1e12, tb: 1e12, tib: 1024 ** 4 });

/** `4GiB`, `512MB`, `1e9`: sizes as people write them. */
export function parseBytes(text: string): number {
  const match = /^\s*([\d.e+]+)\s*([a-z]*)\s*$/i.exec(text);
  const factor = match ? UNITS[match[2].toLowerCase()] : undefined;
  const n = match ? Number(match[1]) : Number.NaN;
  if (factor === undefined || !Number.isFinite(n) || n < 0) {
    throw new CliError(`cannot read size "${text}"`, 'write it like 4GiB, 512MB or 1073741824');
  }
  return Math.round(n * factor);
}

export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let i = 0;
  while (value >= 1024 && i < units.length - 1) {
    value /= 1024;
    i++;
  }
  return `${Number.isInteger(value) ? value : value.toFixed(1)}${units[i]}`;
}
