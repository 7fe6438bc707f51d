import type { Command } from 'commander';
import { register as admin } from './admin.js';
import { register as server } from './server.js';

/** Every top-level command registers itself here; registration is cheap, loading happens on use. */
export const COMMANDS: Array<(program: Command) => void> = [server, admin];
