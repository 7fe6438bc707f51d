import { createApiClient } from '../api/client.js';
import {
  clearSavedConfig,
  configPath,
  readSavedConfig,
  resolveConnection,
  saveConfig,
} from '../api/config.js';
import { MeQuery } from '../api/documents/account.js';
import type { ConnectionOptions } from '../command-options.js';
import { CliError } from '../errors.js';
import { printRecord } from '../output/list.js';
import { connect } from '../session.js';

interface Me {
  me: {
    id: string;
    name: string;
    slug: string;
    isAdmin: boolean;
    organizations: Array<{ slug: string; name: string; myRole?: string | null }>;
  } | null;
}

/** Verifies the token with `me` before saving it, so a typo is caught now rather than on the next run. */
export async function login(flags: ConnectionOptions, readToken: () => Promise<string>): Promise<void> {
  const resolved = await resolveConnection({ host: flags.host });
  const token = (flags.token ?? (await readToken())).trim();
  if (!token) throw new CliError('no token given', 'pass --token <token>, or paste it when asked');
  const client = createApiClient({ ...resolved, token, tokenSource: 'flag' });
  const { me } = (await client.request(MeQuery)) as Me;
  if (!me)
    throw new CliError(
      'the server did not accept this token',
      'create a new one in the console or with `createToken`',
    );
  const saved = await readSavedConfig();
  const path = await saveConfig({ ...saved, host: resolved.host, token });
  console.log(`Signed in to ${resolved.host} as ${me.name} (${me.slug}).`);
  console.log(`Token saved to ${path}.`);
}

export async function logout(): Promise<void> {
  const removed = await clearSavedConfig();
  console.log(
    removed ? `Signed out; removed the token from ${configPath()}.` : 'Not signed in: no saved token.',
  );
}

export async function whoami(flags: ConnectionOptions & { format?: string }): Promise<void> {
  const { client, connection } = await connect(flags);
  const { me } = (await client.request(MeQuery)) as Me;
  if (!me) {
    throw new CliError(
      `not signed in to ${connection.host}`,
      'run `benchline auth login --token <token>`',
      'UNAUTHENTICATED',
    );
  }
  printRecord(
    {
      user: `${me.name} (${me.slug})`,
      admin: me.isAdmin,
      organizations: me.organizations.map(
        (o) => `${o.slug}${o.myRole ? ` (${o.myRole.toLowerCase()})` : ''}`,
      ),
      host: connection.host,
      token: `from ${connection.tokenSource === 'config' ? configPath() : connection.tokenSource}`,
    },
    flags.format,
  );
}
