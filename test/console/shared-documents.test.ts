import { type DocumentNode, type FragmentDefinitionNode, Kind, print } from 'graphql';
import { describe, expect, it } from 'vitest';
import * as shared from '../../src/api/fragments.js';
import * as account from '../../src/cli/api/documents/account.js';
import * as alert from '../../src/cli/api/documents/alert.js';
import * as job from '../../src/cli/api/documents/job.js';
import * as jobStream from '../../src/cli/api/documents/job-stream.js';
import * as resources from '../../src/cli/api/documents/resources.js';
import * as run from '../../src/cli/api/documents/run.js';
import * as consoleDocuments from '../../src/console/src/api/documents.js';

// The CLI and the console ask for the same things through the same fragments: a field added to
// one of src/api/fragments.ts reaches both, and neither side keeps a copy of its own.

const fragments = (document: DocumentNode) =>
  new Map(
    document.definitions
      .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
      .map((d) => [d.name.value, print(d)]),
  );

const cli = { ...account, ...alert, ...job, ...jobStream, ...resources, ...run };

const sharedFragments = new Map(
  Object.values(shared).flatMap((document) => [...fragments(document as DocumentNode)]),
);

/** What each side sends where both show the same thing, and the fragment that must carry it. */
const pairs: Array<[string, string, unknown, unknown]> = [
  ['who is signed in', 'Viewer', cli.MeQuery, consoleDocuments.MeQuery],
  ['the projects', 'ProjectSummary', cli.ProjectsQuery, consoleDocuments.ProjectsQuery],
  ['a project', 'ProjectSummary', cli.ProjectQuery, consoleDocuments.ProjectQuery],
  ['a job', 'JobSummary', cli.JobQuery, consoleDocuments.JobQuery],
  ['the jobs', 'JobSummary', cli.JobsQuery, consoleDocuments.JobsQuery],
  ['a job as it changes', 'JobSummary', cli.JobStatusSubscription, consoleDocuments.JobStatusSubscription],
  ['a cancel', 'JobSummary', cli.CancelJobMutation, consoleDocuments.CancelJobMutation],
  ['the alerts', 'AlertSummary', cli.AlertsQuery, consoleDocuments.AlertsQuery],
  ['a report', 'IterationResults', cli.RunReportQuery, consoleDocuments.ReportQuery],
  ['a confirmation', 'AlertEvidenceFields', cli.RunReportQuery, consoleDocuments.ReportQuery],
  ["a job's noise", 'JobNoise', cli.RunReportQuery, consoleDocuments.JobNoiseQuery],
];

describe('documents the CLI and the console share', () => {
  it.each(pairs)('%s: both send the shared fragment %s', (_what, name, cliDocument, consoleDocument) => {
    const source = sharedFragments.get(name);
    expect(source, `${name} is not in src/api/fragments.ts`).toBeDefined();
    for (const document of [cliDocument, consoleDocument])
      expect(fragments(document as DocumentNode).get(name)).toBe(source);
  });
});
