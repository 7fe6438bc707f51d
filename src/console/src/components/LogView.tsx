import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { LogChunk } from '../api/types.js';

/** The job log, stderr marked (not by colour alone); it follows the tail unless the reader scrolled up. */
export function LogView({ chunks, finished }: { chunks: LogChunk[]; finished: boolean }) {
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
      <p className="log-key muted">
        <span className="stderr-key">stderr</span> is shown in italics with a bar,{' '}
        <span className="stdout-key">stdout</span> upright.
      </p>
      {/* role=log names it and lets the keyboard scroll it; aria-live off: reading every line
          aloud as it arrives would drown everything else. */}
      <pre
        className="log"
        ref={ref}
        data-testid="log"
        data-following={follow}
        role="log"
        aria-live="off"
        aria-label="Job log"
        tabIndex={0}
      >
        {chunks.length === 0 ? (
          <span className="log-waiting">{finished ? 'The job wrote no output.' : 'waiting for output…'}</span>
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
