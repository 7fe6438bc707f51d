import type { ReactNode } from 'react';

/**
 * A wide table scrolls inside its own box on a narrow screen instead of pushing the page
 * sideways; the box is focusable (and named) so the keyboard can scroll it too.
 */
export function TableScroll({ label, children }: { label: string; children: ReactNode }) {
  return (
    <section className="table-scroll" aria-label={label} tabIndex={0}>
      {children}
    </section>
  );
}
