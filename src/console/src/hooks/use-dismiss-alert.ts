import { useState } from 'react';
import type { AlertStatus } from '../../../gql/graphql.js';
import { ApiError, request } from '../api/client.js';
import { UpdateAlertMutation } from '../api/documents.js';

/** Dismisses alerts and remembers which ones changed, so lists update without a reload. */
export function useDismissAlert() {
  const [changed, setChanged] = useState<Map<string, AlertStatus>>(new Map());
  const [error, setError] = useState<string | undefined>();
  const dismiss = async (id: string) => {
    setError(undefined);
    try {
      const { updateAlert } = await request(UpdateAlertMutation, { id, status: 'DISMISSED' });
      setChanged((m) => new Map(m).set(id, updateAlert.status));
    } catch (e) {
      setError(e instanceof ApiError ? e.message : String(e));
    }
  };
  return { statusOf: (id: string, fallback: AlertStatus) => changed.get(id) ?? fallback, dismiss, error };
}
