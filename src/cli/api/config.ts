import { chmod, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

export const DEFAULT_HOST = 'http://127.0.0.1:8080';

export interface SavedConfig {
  host?: string;
  token?: string;
}

export interface ConnectionFlags {
  host?: string;
  token?: string;
}

export interface Connection {
  host: string;
  token: string | null;
  /** Where the token came from, so `auth whoami` can say why it is being used. */
  tokenSource: 'flag' | 'env' | 'config' | 'none';
}

type Env = Record<string, string | undefined>;

export function configPath(env: Env = process.env): string {
  const base = env.XDG_CONFIG_HOME || join(env.HOME || homedir(), '.config');
  return join(base, 'benchline', 'config.json');
}

export async function readSavedConfig(env: Env = process.env): Promise<SavedConfig> {
  try {
    const parsed = JSON.parse(await readFile(configPath(env), 'utf8')) as SavedConfig;
    return typeof parsed === 'object' && parsed !== null ? parsed : {};
  } catch {
    return {};
  }
}

/** Written 0600 because it holds an API token; chmod also tightens a file that already existed. */
export async function saveConfig(config: SavedConfig, env: Env = process.env): Promise<string> {
  const path = configPath(env);
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  await writeFile(path, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
  await chmod(path, 0o600);
  return path;
}

export async function clearSavedConfig(env: Env = process.env): Promise<boolean> {
  const saved = await readSavedConfig(env);
  if (!saved.token) return false;
  const { token: _token, ...rest } = saved;
  if (Object.keys(rest).length) await saveConfig(rest, env);
  else await rm(configPath(env), { force: true });
  return true;
}

/** Flags win over the environment, which wins over what `auth login` saved. */
export async function resolveConnection(flags: ConnectionFlags, env: Env = process.env): Promise<Connection> {
  const saved = await readSavedConfig(env);
  const host = trimSlash(flags.host || env.BENCHLINE_HOST || saved.host || DEFAULT_HOST);
  if (flags.token) return { host, token: flags.token, tokenSource: 'flag' };
  if (env.BENCHLINE_TOKEN) return { host, token: env.BENCHLINE_TOKEN, tokenSource: 'env' };
  // A token saved for another server must not be sent to this one.
  if (saved.token && (!saved.host || trimSlash(saved.host) === host)) {
    return { host, token: saved.token, tokenSource: 'config' };
  }
  return { host, token: null, tokenSource: 'none' };
}

function trimSlash(url: string): string {
  return url.replace(/\/+$/, '');
}
