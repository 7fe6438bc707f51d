import { type ReactNode, useEffect, useRef } from 'react';
import { takePageFocus } from '../page-focus.js';

/** The page's <h1>: names the browser tab and takes focus after a navigation. */
export function PageHeading(props: { title: string; children?: ReactNode; className?: string }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${props.title} · Benchline`;
  }, [props.title]);
  useEffect(() => {
    if (takePageFocus()) ref.current?.focus();
  }, []);
  return (
    <h1 ref={ref} tabIndex={-1} className={props.className} data-testid="page-heading">
      {props.children ?? props.title}
    </h1>
  );
}
