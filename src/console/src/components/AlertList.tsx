import { useEffect, useRef } from 'react';
import type { Alert } from '../api/types.js';
import { formatPercent, formatTime, measureFormat } from '../format.js';
import type { Dismissal } from '../hooks/use-dismiss-alert.js';
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
  dismissal: Dismissal;
  activeOnly?: boolean;
}) {
  const { statusOf, dismiss, error, last } = props.dismissal;
  const wrap = useRef<HTMLDivElement>(null);
  const alerts = props.alerts
    .map((a) => ({ ...a, status: statusOf(a.id, a.status) }))
    .filter((a) => !props.activeOnly || (a.status === 'ACTIVE' && a.verdict !== 'CLEARED'));
  const order = props.alerts.map((a) => a.id);

  // The Dismiss button just pressed is gone: focus the alert itself if it is still listed,
  // else the next alert's button (or the previous one's), else the list's place.
  // Only a new dismissal moves focus; a re-render from a live update leaves it be.
  useEffect(() => {
    const el = wrap.current;
    if (!last || !el) return;
    const item = el.querySelector<HTMLElement>(`[data-alert-id="${last}"]`);
    if (item) return item.focus();
    const buttons = [...el.querySelectorAll<HTMLElement>('[data-testid=dismiss-alert]')];
    const at = order.indexOf(last);
    const next = buttons.find((b) => order.indexOf(b.dataset.alertId ?? '') > at) ?? buttons.at(-1) ?? el;
    next.focus();
  }, [last]);

  return (
    <div ref={wrap} tabIndex={-1} className="alert-list" data-testid="alert-list">
      {error && (
        <div className="error" role="alert">
          {error}
        </div>
      )}
      {!alerts.length ? (
        <p className="muted" data-testid="no-alerts">
          No {props.activeOnly ? 'active ' : ''}alerts.
        </p>
      ) : (
        <ul className="alerts" data-testid="alerts">
          {alerts.map((a) => {
            const what = `${a.benchmark.name} · ${a.measure.name}`;
            const format = measureFormat([a.value, a.limit]);
            return (
              <li
                key={a.id}
                data-testid="alert"
                data-alert-id={a.id}
                data-status={a.status}
                data-verdict={a.verdict}
                className={a.verdict === 'CLEARED' ? 'alert-cleared' : undefined}
                tabIndex={-1}
              >
                <span className="alert-mark" aria-hidden="true">
                  {a.side === 'UPPER' ? '▲' : '▼'}
                </span>
                <span className="alert-text">
                  <strong>{what}</strong>: {format(a.value)} {a.measure.units}{' '}
                  {a.side === 'UPPER' ? 'above' : 'below'} the {a.side.toLowerCase()} limit {format(a.limit)}
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
                    data-alert-id={a.id}
                    aria-label={`Dismiss alert: ${what}`}
                    onClick={() => dismiss(a.id, what)}
                  >
                    Dismiss
                  </button>
                )}
              </li>
            );
          })}
        </ul>
      )}
    </div>
  );
}
