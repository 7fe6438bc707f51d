import { useEffect, useRef } from 'react';

/** Calls refetch whenever `signal` changes after the first render. */
export function useRefetchOn(signal: unknown, refetch: () => void): void {
  const first = useRef(signal);
  useEffect(() => {
    if (first.current === signal) return;
    first.current = signal;
    refetch();
  }, [signal, refetch]);
}
