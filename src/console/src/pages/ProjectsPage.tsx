import { ProjectsQuery } from '../api/documents.js';
import { useQuery } from '../api/use-query.js';
import { Loading, PageError } from '../components/Feedback.js';
import { PageHeading } from '../components/PageHeading.js';
import { Link, paths } from '../router.js';

export function ProjectsPage() {
  const { data, error, loading } = useQuery(ProjectsQuery, {});
  if (error) return <PageError title="Projects not shown" error={error} />;
  if (loading && !data) return <Loading />;
  const projects = data?.projects.edges.map((e) => e.node) ?? [];
  return (
    <section>
      <PageHeading title="Projects" />
      {projects.length === 0 ? (
        <p className="muted" data-testid="no-projects">
          No projects to show. Private projects appear once you sign in.
        </p>
      ) : (
        <ul className="cards" data-testid="projects">
          {projects.map((p) => (
            <li key={p.id} className="card" data-testid="project-card" data-slug={p.slug}>
              <Link to={paths.project(p.slug)} className="card-title">
                {p.name}
              </Link>
              <span className="muted">{p.slug}</span>
              <span className={`badge visibility-${p.visibility.toLowerCase()}`}>{p.visibility}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
