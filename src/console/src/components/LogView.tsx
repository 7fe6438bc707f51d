import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { LogChunk } from '../api/types.js';

/** The job log, stderr marked; it follows the tail unless the reader scrolled up. */
export function LogView({ chunks }: { chunks: LogChunk[] }) {
  const ref = useRef<HTMLPreElement>(null);
  const [follow, setFollow] = useState(true);

  useLayoutEffect(() => {
    const el = ref.current;
    if (el && follow && chunks.length) el.scrollTop = el.scrollHeight;
  }, [chunks, follow]);

  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const onScroll = () => setFollow(el.scrollHeight - el.scrollTop - el.clientHeight < 24);
    el.addEventListener('scroll', onScroll, { passive: true });
    return () => el.removeEventListener('scroll', onScroll);
  }, []);

  return (
    <div className="log-wrap">
      <pre className="log" ref={ref} data-testid="log" data-following={follow}>
        {chunks.length === 0 ? (
          <span className="muted">waiting for output…</span>
        ) : (
          chunks.map((c) => (
            <span key={c.seq} className={c.stream === 'STDERR' ? 'stderr' : 'stdout'} data-seq={c.seq}>
              {c.text}
            </span>
          ))
        )}
      </pre>
      {!follow && (
        <button type="button" className="small follow" onClick={() => setFollow(true)}>
          Follow the tail ↓
        </button>
      )}
    </div>
  );
}
