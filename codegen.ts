import type { CodegenConfig } from '@graphql-codegen/cli';

// Typed documents for every operation the CLI, the runner and the console send.
const config: CodegenConfig = {
  schema: 'schema.graphql',
  documents: ['src/cli/**/*.{ts,tsx}', 'src/runner/**/*.ts', 'src/console/src/**/*.{ts,tsx}', '!src/gql/**'],
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
