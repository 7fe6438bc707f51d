/**
 * Turns of the event loop for one request's large lists. graphql-js completes a list of objects in
 * one synchronous pass: a page of 100 benchmarks × 16 measures is ~1,600 objects and ~16,000
 * fields, and while it runs no other request (not even /healthz) is answered. A resolver that
 * awaits `nextTurn(ctx)` lets every `PER_TURN`th item wait for the next turn of the loop
 * (setImmediate: after the pending I/O), so the page is completed in slices with other requests
 * served between them. The turns of one request form a chain, one slice per turn.
 */
const PER_TURN = 10;

interface Turns {
  handedOut: number;
  gate: Promise<void>;
}

const byRequest = new WeakMap<object, Turns>();
const nextLoopTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

export function nextTurn(request: object): Promise<void> {
  let turns = byRequest.get(request);
  if (!turns) {
    turns = { handedOut: 0, gate: Promise.resolve() };
    byRequest.set(request, turns);
  }
  turns.handedOut += 1;
  if (turns.handedOut % PER_TURN === 0) turns.gate = turns.gate.then(nextLoopTurn);
  return turns.gate;
}
