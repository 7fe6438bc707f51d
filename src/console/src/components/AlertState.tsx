import type { AlertSide, AlertStatus } from '../../../gql/graphql.js';

/**
 * A metric's alert state in words as well as colour: "▲ alert" (active, red), "▲ dismissed"
 * (grey), "✓ ok" — so it reads the same without colour and to a screen reader.
 */
export function AlertState({
  alert,
}: {
  alert: { side: AlertSide; status: AlertStatus } | null | undefined;
}) {
  if (!alert) return <span className="ok">✓ ok</span>;
  const arrow = alert.side === 'UPPER' ? '▲' : '▼';
  const active = alert.status === 'ACTIVE';
  return (
    <span
      className={active ? 'alert-mark' : 'alert-settled'}
      title={`${alert.side.toLowerCase()} limit crossed`}
      data-alert-status={alert.status}
    >
      <span role="img" aria-label={alert.side === 'UPPER' ? 'upper' : 'lower'}>
        {arrow}
      </span>{' '}
      {active ? 'alert' : alert.status.toLowerCase()}
    </span>
  );
}
