import type { Command } from 'commander';
import { connectionOptions, examples, formatOption } from '../command-options.js';

export function register(program: Command): void {
  const auth = program.command('auth').description('Sign in with an API token, sign out, show who you are');

  const login = auth
    .command('login')
    .description('Check an API token with the server and save it (mode 0600) for later commands')
    .option('--host <url>', 'Benchline server (env BENCHLINE_HOST, default http://127.0.0.1:8080)')
    .option('--token <token>', 'the API token (asked for when left out)');
  examples(login, [
    'benchline auth login --token bl_…',
    'benchline auth login --host https://bench.example.com',
  ]);
  login.action(async (flags) => {
    const [{ login: run }, { readSecret }] = await Promise.all([
      import('../actions/auth.js'),
      import('../prompt.js'),
    ]);
    await run(flags, () => readSecret('API token: '));
  });

  examples(auth.command('logout').description('Forget the saved token'), ['benchline auth logout']).action(
    async () => {
      const { logout } = await import('../actions/auth.js');
      await logout();
    },
  );

  const whoami = formatOption(
    connectionOptions(auth.command('whoami').description('Show the signed-in user')),
  );
  examples(whoami, ['benchline auth whoami', 'BENCHLINE_TOKEN=… benchline auth whoami --format json']);
  whoami.action(async (flags) => {
    const { whoami: run } = await import('../actions/auth.js');
    await run(flags);
  });
}
