import { type ApiClient, createApiClient } from './api/client.js';
import { type Connection, resolveConnection } from './api/config.js';
import type { ConnectionOptions } from './command-options.js';
import { CliError } from './errors.js';

export interface Session {
  client: ApiClient;
  connection: Connection;
}

export async function connect(
  flags: ConnectionOptions,
  options: { requireToken?: boolean } = {},
): Promise<Session> {
  const connection = await resolveConnection(flags);
  if (options.requireToken && !connection.token) {
    throw new CliError(
      'not signed in',
      'run `benchline auth login --token <token>`, or pass --token / set BENCHLINE_TOKEN',
      'UNAUTHENTICATED',
    );
  }
  return { client: createApiClient(connection), connection };
}
