import type { Command } from 'commander';
import { collect, connectionOptions, examples } from '../command-options.js';

export function register(program: Command): void {
  const image = program
    .command('image')
    .description('Benchmark images in the server’s registry (no Docker needed)');

  examples(
    connectionOptions(
      image
        .command('push <src> <name>')
        .description(
          'Push an OCI image layout directory, OCI archive or `docker save` tarball as <project>/<name>:<tag>',
        )
        .option('--ref <ref>', 'which image of a source that holds several (its ref name or repo:tag)')
        .option('--chunk-size <MiB>', 'upload chunk size in MiB (default 16)')
        .option('--quiet', 'no progress output'),
    ),
    [
      'benchline image push ./layout my-project/bench:v1',
      'benchline image push image.tar my-project/bench:v1 --host https://bench.example.com',
    ],
  ).action(async (src: string, name: string, flags) => {
    const { pushCommand } = await import('../image/command.js');
    await pushCommand(src, name, flags);
  });

  examples(
    connectionOptions(
      image
        .command('build <dir> <name>')
        .description(
          'Pack a directory into a reproducible one-layer image and push it (or write a layout with --output)',
        )
        .option('--entrypoint <command>', 'entrypoint: a JSON array, or words split on spaces')
        .option('--cmd <command>', 'default arguments: a JSON array, or words split on spaces')
        .option('--env <KEY=VALUE>', 'environment variable (repeatable)', collect)
        .option('--workdir <dir>', 'working directory inside the image')
        .option('--path <dir>', 'where the directory lands in the image', '/')
        .option('--base <oci-layout>', 'base image: an OCI image layout directory or archive')
        .option('--base-ref <ref>', 'which image of the base layout')
        .option('--output <oci-layout-dir>', 'write an OCI image layout here instead of pushing')
        .option('--chunk-size <MiB>', 'upload chunk size in MiB (default 16)')
        .option('--quiet', 'no progress output'),
    ),
    [
      "benchline image build ./bench my-project/bench:v1 --base ./busybox-layout --entrypoint '/bench/run.sh' --path /bench",
      'benchline image build ./static-bin my-project/bench:v1 --entrypoint /bench --output ./layout',
    ],
  ).action(async (dir: string, name: string, flags) => {
    const { buildCommand } = await import('../image/command.js');
    await buildCommand(dir, name, flags);
  });
}
