import type { EventBus } from './bus.js';

/**
 * One `T` per event bus, i.e. per server, made on first use, so that what hangs off the bus (the
 * waiting claims, the held heartbeats) needs no wiring of its own.
 */
export function perBus<T>(make: (events: EventBus) => T): (events: EventBus) => T {
  const made = new WeakMap<EventBus, T>();
  return (events) => {
    let value = made.get(events);
    if (value === undefined) {
      value = make(events);
      made.set(events, value);
    }
    return value;
  };
}
