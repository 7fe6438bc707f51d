import { useEffect, useState } from 'react';

/** The current time, refreshed every `intervalMs`, so elapsed times tick; a fixed `now` freezes it (tests). */
export function useNow(fixed?: number, intervalMs = 100): number {
  const [now, setNow] = useState(() => fixed ?? Date.now());
  useEffect(() => {
    if (fixed !== undefined) return;
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [fixed, intervalMs]);
  return fixed ?? now;
}
