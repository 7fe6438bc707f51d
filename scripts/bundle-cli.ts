// `npm run build`'s last CLI step: tsc's output of the CLI bundled by esbuild into dist/cli/, one entry
// file and a chunk per lazily loaded part (each command's action, the Ink view, the subscriptions).
// Node spends most of the CLI's start-up resolving, reading and compiling modules one by one — ~250
// small files for `benchline run`, graphql and ws as CommonJS among them; bundled, that is a handful.
// The server and the runner stay tsc's files (they find migrations, the console and binaries next to
// themselves), and so do packages other than the few the client side needs: the bundle imports them
// from dist/src and node_modules as before. bin/benchline.js runs the bundle when it is not older than
// tsc's output, else tsc's output. Numbers: docs/figures.md (bench/cli.ts).
import { rmSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const compiled = join(root, 'dist/src');
const outdir = join(root, 'dist/cli');

/** Packages bundled in: what `benchline run` and the plain commands load on every call. */
const BUNDLED = new Set(['commander', 'graphql', 'graphql-ws', 'ws']);
/** Directories of dist/src that stay files of their own (they locate things relative to themselves). */
const SEPARATE = ['server', 'runner'].map((dir) => join(compiled, dir) + '/');

function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] as string);
}

const boundaries: Plugin = {
  name: 'benchline-boundaries',
  setup(bundle) {
    bundle.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.path.startsWith('node:') || !BUNDLED.has(packageName(args.path))) {
        return { path: args.path, external: true };
      }
      return undefined;
    });
    bundle.onResolve({ filter: /^\.\.?\// }, (args) => {
      const target = resolve(args.resolveDir, args.path);
      if (!SEPARATE.some((dir) => target.startsWith(dir))) return undefined;
      // From a file in dist/cli/ (entry and chunks alike) to tsc's file.
      const path = relative(outdir, target);
      return { path: path.startsWith('.') ? path : `./${path}`, external: true };
    });
  },
};

// Chunk names carry content hashes: last build's would pile up.
rmSync(outdir, { recursive: true, force: true });
const result = await build({
  entryPoints: { benchline: join(compiled, 'cli/main.js') },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // graphql's ES modules: only what the CLI calls (the printer) comes in, not the whole library.
  mainFields: ['module', 'main'],
  // ws is CommonJS and requires Node's modules and its optional native helpers (absent: it tries them).
  banner: {
    js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
  },
  external: ['bufferutil', 'utf-8-validate'],
  plugins: [boundaries],
  minifySyntax: true,
  minifyWhitespace: true,
  legalComments: 'none',
  sourcemap: 'linked',
  metafile: true,
  logLevel: 'warning',
});

const outputs = Object.entries(result.metafile.outputs).filter(([file]) => file.endsWith('.js'));
const bytes = outputs.reduce((sum, [, output]) => sum + output.bytes, 0);
const entry = join(outdir, 'benchline.js');
console.log(
  `bundled the CLI: ${relative(root, dirname(entry))}/ (${outputs.length} files, ${(bytes / 1024).toFixed(0)} KiB), ` +
    `${statSync(entry).size} bytes of entry`,
);
