import type { CodegenConfig } from '@graphql-codegen/cli';

// Typed documents for every operation the CLI, the runner and the console send; src/api holds
// the fragments the CLI and the console share.
const config: CodegenConfig = {
  schema: 'schema.graphql',
  documents: [
    'src/api/**/*.ts',
    'src/cli/**/*.{ts,tsx}',
    'src/runner/**/*.ts',
    'src/console/src/**/*.{ts,tsx}',
    '!src/gql/**',
  ],
  ignoreNoDocuments: true,
  importExtension: '.js',
  generates: {
    [process.env.CODEGEN_OUT ?? 'src/gql/']: {
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: {
        useTypeImports: true,
        enumsAsTypes: true,
        scalars: { DateTime: 'string', UUID: 'string', JSON: 'unknown' },
      },
    },
  },
};

export default config;
