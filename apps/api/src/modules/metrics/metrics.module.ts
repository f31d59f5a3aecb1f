import { Controller, Global, Module } from '@nestjs/common';
import { PrometheusModule } from '@willsoto/nestjs-prometheus';
import { metricProviders } from './metric-definitions';
import { MetricsServer } from './metrics.server';
import { Metrics } from './metrics.service';

/**
 * Takes the place of the integration's own /metrics route, which would be served on the
 * public port: the metrics are served by MetricsServer on their own port instead.
 */
@Controller()
class NoPublicMetricsRoute {}

/** Prometheus metrics (prom-client through @willsoto/nestjs-prometheus) and their server. */
@Global()
@Module({
  imports: [
    PrometheusModule.register({
      controller: NoPublicMetricsRoute,
      // Process (CPU, memory, handles) and event-loop lag metrics.
      defaultMetrics: { enabled: true },
    }),
  ],
  providers: [...metricProviders, Metrics, MetricsServer],
  exports: [Metrics, MetricsServer],
})
export class MetricsModule {}
