import type { ArchivedLogSource } from '../live/log-chunks.js';

/**
 * Seams to other parts of the server that resolvers call but GraphQL does not own:
 * the registry (tag → digest, pull tokens). Filled in by the server's wiring; tests may stub nothing.
 */
export interface Services {
  registry?: {
    /** Resolves `repository:tag` or `repository@digest` inside this server's registry; null when unknown. */
    resolveImage(
      projectId: string,
      reference: string,
    ): Promise<{ repository: string; digest: string } | null>;
    /** A short-lived token that may pull one repository. */
    /** A pull-only token for one or more repositories (a confirmation pulls its baseline images too). */
    issuePullToken(repository: string | readonly string[], seconds: number): Promise<string>;
  };
  /** Reads finished jobs' logs that the archive sweep moved into the blob store (src/server/logs/). */
  logArchive?: ArchivedLogSource;
  /** An organization gained its first owner: its pending jobs move to a higher tier. */
  onOrganizationClaimed?(organizationId: string): Promise<void>;
}
