import { useCallback, useEffect, useState, useSyncExternalStore } from 'react';
import { ApiError, request } from './client.js';
import type { Document } from './document.js';
import { getToken, onTokenChange } from './token.js';

export interface QueryState<TResult> {
  data: TResult | undefined;
  error: ApiError | undefined;
  loading: boolean;
  refetch(): void;
}

export function useToken(): string | null {
  return useSyncExternalStore(onTokenChange, getToken, () => null);
}

/** Runs a query when its variables (or the signed-in token) change; keeps the last data while reloading. */
export function useQuery<TResult, TVariables>(
  document: Document<TResult, TVariables>,
  variables: TVariables,
  options: { skip?: boolean } = {},
): QueryState<TResult> {
  const token = useToken();
  const key = JSON.stringify(variables);
  const [state, setState] = useState<{ data?: TResult; error?: ApiError; loading: boolean }>({
    loading: !options.skip,
  });
  const [generation, setGeneration] = useState(0);

  useEffect(() => {
    if (options.skip) return;
    let live = true;
    setState((s) => ({ ...s, loading: true }));
    request(document, JSON.parse(key) as TVariables).then(
      (data) => live && setState({ data, loading: false }),
      (error: unknown) =>
        live &&
        setState({
          error: error instanceof ApiError ? error : new ApiError(String(error), undefined),
          loading: false,
        }),
    );
    return () => {
      live = false;
    };
  }, [document, key, token, generation, options.skip]);

  const refetch = useCallback(() => setGeneration((g) => g + 1), []);
  return { data: state.data, error: state.error, loading: state.loading, refetch };
}
