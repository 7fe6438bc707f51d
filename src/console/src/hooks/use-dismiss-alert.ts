import { useState } from 'react';
import type { AlertStatus } from '../../../gql/graphql.js';
import { announce } from '../announce.js';
import { ApiError, request } from '../api/client.js';
import { UpdateAlertMutation } from '../api/documents.js';

export type Dismissal = ReturnType<typeof useDismissAlert>;

/**
 * Dismisses alerts and remembers which ones changed, so every list and table on the page shows
 * the new status without a reload. A page holds one and passes it to what shows alerts.
 */
export function useDismissAlert() {
  const [changed, setChanged] = useState<Map<string, AlertStatus>>(new Map());
  const [error, setError] = useState<string | undefined>();
  const [last, setLast] = useState<string | undefined>();
  const dismiss = async (id: string, what: string) => {
    setError(undefined);
    try {
      const { updateAlert } = await request(UpdateAlertMutation, { id, status: 'DISMISSED' });
      setChanged((m) => new Map(m).set(id, updateAlert.status));
      setLast(id);
      announce(`Alert dismissed: ${what}`);
    } catch (e) {
      setError(e instanceof ApiError ? e.message : String(e));
    }
  };
  return {
    statusOf: (id: string, fallback: AlertStatus) => changed.get(id) ?? fallback,
    dismiss,
    error,
    /** The alert dismissed last, for the list to move focus from its vanished button. */
    last,
  };
}
