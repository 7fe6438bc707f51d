// After an in-app navigation the old page's element is gone and focus would fall to <body>:
// the next page's heading takes it, so keyboard and screen reader users start at the new page.
// A replace (the perf selection rewriting its URL) is not a new page and keeps focus.

let pending = false;

export function requestPageFocus(): void {
  pending = true;
}

export function takePageFocus(): boolean {
  const was = pending;
  pending = false;
  return was;
}
