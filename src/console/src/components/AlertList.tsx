import type { Alert } from '../api/types.js';
import { formatNumber, formatPercent, formatTime } from '../format.js';
import { useDismissAlert } from '../hooks/use-dismiss-alert.js';
import { Link, paths } from '../router.js';
import { StripPlot } from './StripPlot.js';

/** The verdict's badge and, once decided, the confirmed change with its interval and both arms. */
function Verdict({ alert }: { alert: Alert }) {
  const e = alert.evidence;
  const bound = (v: number | null | undefined) => (v === null || v === undefined ? '?' : formatPercent(v));
  return (
    <span className="verdict" data-testid="verdict" data-verdict={alert.verdict}>
      <span className={`badge verdict-${alert.verdict.toLowerCase()}`}>
        {alert.verdict.replace('_', ' ')}
      </span>
      {e && e.changePercent !== null && e.changePercent !== undefined && (
        <span className="verdict-change" data-testid="verdict-change">
          {' '}
          {formatPercent(e.changePercent)} [{bound(e.lowerPercent)}, {bound(e.upperPercent)}]
          <span className="muted">
            {' '}
            p = {e.adjustedPValue?.toPrecision(2)} · {e.test === 'WILCOXON' ? 'signed-rank' : 'Mann–Whitney'}{' '}
            · {e.rounds} rounds
          </span>
        </span>
      )}
      {e && <StripPlot head={e.head} base={e.base} />}
    </span>
  );
}

/** Alerts with a dismiss button for the active ones (when the caller may write). */
export function AlertList(props: {
  alerts: Alert[];
  project: string;
  canWrite: boolean;
  activeOnly?: boolean;
}) {
  const { statusOf, dismiss, error } = useDismissAlert();
  const alerts = props.alerts
    .map((a) => ({ ...a, status: statusOf(a.id, a.status) }))
    .filter((a) => !props.activeOnly || (a.status === 'ACTIVE' && a.verdict !== 'CLEARED'));
  if (!alerts.length)
    return (
      <p className="muted" data-testid="no-alerts">
        No {props.activeOnly ? 'active ' : ''}alerts.
      </p>
    );
  return (
    <>
      {error && <div className="error">{error}</div>}
      <ul className="alerts" data-testid="alerts">
        {alerts.map((a) => (
          <li
            key={a.id}
            data-testid="alert"
            data-alert-id={a.id}
            data-status={a.status}
            data-verdict={a.verdict}
            className={a.verdict === 'CLEARED' ? 'alert-cleared' : undefined}
          >
            <span className={`alert-mark side-${a.side.toLowerCase()}`}>
              {a.side === 'UPPER' ? '▲' : '▼'}
            </span>
            <span className="alert-text">
              <strong>{a.benchmark.name}</strong> · {a.measure.name}: {formatNumber(a.value)}{' '}
              {a.measure.units} {a.side === 'UPPER' ? 'above' : 'below'} the {a.side.toLowerCase()} limit{' '}
              {formatNumber(a.limit)}
              <span className="muted">
                {' '}
                on {a.branch.name} / {a.testbed.name} · {formatTime(a.createdAt)}
              </span>
              {a.report && (
                <>
                  {' · '}
                  <Link to={paths.report(props.project, a.report.id)}>report</Link>
                </>
              )}
            </span>
            <Verdict alert={a} />
            <span className={`badge alert-${a.status.toLowerCase()}`}>{a.status}</span>
            {props.canWrite && a.status === 'ACTIVE' && (
              <button
                type="button"
                className="small"
                data-testid="dismiss-alert"
                onClick={() => dismiss(a.id)}
              >
                Dismiss
              </button>
            )}
          </li>
        ))}
      </ul>
    </>
  );
}
