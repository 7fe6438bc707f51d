import type { ReactNode } from 'react';
import { Layout } from './components/Layout.js';
import { PageHeading } from './components/PageHeading.js';
import { JobPage } from './pages/JobPage.js';
import { LoginPage } from './pages/LoginPage.js';
import { PerfPage } from './pages/PerfPage.js';
import { ProjectPage } from './pages/ProjectPage.js';
import { ProjectsPage } from './pages/ProjectsPage.js';
import { ReportPage } from './pages/ReportPage.js';
import { RunnerPage } from './pages/RunnerPage.js';
import { Link, match, paths, useLocation } from './router.js';

export function App() {
  const { path } = useLocation();
  const route = match(path);
  let page: ReactNode;
  switch (route.name) {
    case 'projects':
      page = <ProjectsPage />;
      break;
    case 'login':
      page = <LoginPage />;
      break;
    case 'project':
      page = <ProjectPage key={route.slug} slug={route.slug} />;
      break;
    case 'job':
      page = <JobPage key={route.id} slug={route.slug} id={route.id} />;
      break;
    case 'report':
      page = <ReportPage key={route.id} slug={route.slug} id={route.id} />;
      break;
    case 'runner':
      page = <RunnerPage key={route.slug} slug={route.slug} />;
      break;
    case 'perf':
      page = <PerfPage key={route.slug} slug={route.slug} />;
      break;
    default:
      page = (
        <section data-testid="not-found">
          <PageHeading title="Not found" />
          <p>
            Nothing lives at <code>{path}</code>. <Link to={paths.projects()}>Back to the projects.</Link>
          </p>
        </section>
      );
  }
  return <Layout>{page}</Layout>;
}
