import { Gauge, Registry } from 'prom-client';
import type { Extension } from '../app.js';
import type { HttpServer } from '../http/server.js';
import { collectQueueFigures } from './collect.js';

/** `/metrics` in Prometheus text format. Documented in docs/operations.md. */
export function metricsExtension(): Extension {
  let http: HttpServer | undefined;
  let registry: Registry | undefined;
  let refresh: (() => Promise<void>) | undefined;
  return {
    start(deps, server) {
      http = server;
      registry = new Registry();
      let figures: Awaited<ReturnType<typeof collectQueueFigures>> | undefined;
      refresh = async () => {
        figures = await collectQueueFigures(deps.db);
      };
      const gauge = (name: string, help: string, labelNames: string[], set: (g: Gauge) => void) =>
        new Gauge({
          name,
          help,
          labelNames,
          registers: [registry!],
          collect() {
            if (figures) set(this);
          },
        });
      gauge('benchline_queue_depth', 'Pending jobs per tier', ['tier'], (g) => {
        for (const [tier, n] of Object.entries(figures!.depth)) g.set({ tier }, n);
      });
      gauge('benchline_jobs_in_flight', 'Claimed or running jobs per tier', ['tier'], (g) => {
        for (const [tier, n] of Object.entries(figures!.inFlight)) g.set({ tier }, n);
      });
      gauge('benchline_job_claims_total', 'Jobs ever claimed by a runner', [], (g) =>
        g.set(figures!.claimsTotal),
      );
      gauge(
        'benchline_claim_latency_seconds',
        'Creation to claim over the last 5 minutes',
        ['quantile'],
        (g) => {
          const { p50, p99 } = figures!.claimLatency;
          if (p50 !== null) g.set({ quantile: '0.5' }, p50);
          if (p99 !== null) g.set({ quantile: '0.99' }, p99);
        },
      );
      gauge(
        'benchline_job_duration_seconds',
        'Start to finish over the last hour',
        ['status', 'quantile'],
        (g) => {
          for (const d of figures!.durations) {
            g.set({ status: d.status, quantile: '0.5' }, d.p50);
            g.set({ status: d.status, quantile: '0.99' }, d.p99);
          }
        },
      );
      gauge(
        'benchline_jobs_finished_last_hour',
        'Jobs finished in the last hour by status',
        ['status'],
        (g) => {
          for (const d of figures!.durations) g.set({ status: d.status }, d.count);
        },
      );
      gauge('benchline_log_bytes', 'Bytes of job logs stored', [], (g) => g.set(figures!.logBytes));
      gauge('benchline_open_subscriptions', 'GraphQL subscriptions open on this server', [], (g) =>
        g.set(http?.openSubscriptions() ?? 0),
      );
      return undefined;
    },
    routes: [
      async (req, res) => {
        if ((req.url ?? '').split('?')[0] !== '/metrics' || !registry || !refresh) return false;
        await refresh();
        res.writeHead(200, { 'content-type': registry.contentType }).end(await registry.metrics());
        return true;
      },
    ],
  };
}
