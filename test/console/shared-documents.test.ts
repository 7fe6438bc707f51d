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
const pairs: Array<[string, unknown, unknown, string]> = [
  ['who is signed in', cli.MeQuery, consoleDocuments.MeQuery, 'Viewer'],
  ['the projects', cli.ProjectsQuery, consoleDocuments.ProjectsQuery, 'ProjectSummary'],
  ['a project', cli.ProjectQuery, consoleDocuments.ProjectQuery, 'ProjectSummary'],
  ['a job', cli.JobQuery, consoleDocuments.JobQuery, 'JobSummary'],
  ['the jobs', cli.JobsQuery, consoleDocuments.JobsQuery, 'JobSummary'],
  ['a job as it changes', cli.JobStatusSubscription, consoleDocuments.JobStatusSubscription, 'JobSummary'],
  ['a cancel', cli.CancelJobMutation, consoleDocuments.CancelJobMutation, 'JobSummary'],
  ['the alerts', cli.AlertsQuery, consoleDocuments.AlertsQuery, 'AlertSummary'],
  ['a report', cli.RunReportQuery, consoleDocuments.ReportQuery, 'ReportResults'],
  ['a confirmation', cli.RunReportQuery, consoleDocuments.ReportQuery, 'AlertEvidenceFields'],
  ["a job's noise", cli.RunReportQuery, consoleDocuments.JobNoiseQuery, 'JobNoise'],
];

describe('documents the CLI and the console share', () => {
  it.each(pairs)('%s: both send the shared fragment %s', (_what, cliDocument, consoleDocument, name) => {
    const source = sharedFragments.get(name);
    expect(source, `${name} is not in src/api/fragments.ts`).toBeDefined();
    for (const document of [cliDocument, consoleDocument])
      expect(fragments(document as DocumentNode).get(name)).toBe(source);
  });
});
