import type { Command } from 'commander';

export function register(program: Command): void {
  program
    .command('admin')
    .description('Server administration on the database directly')
    .command('token')
    .description('Create a new admin API token (prints it once)')
    .action(async () => {
      const { adminTokenCommand } = await import('../../server/main.js');
      await adminTokenCommand(process.env);
    });
}
