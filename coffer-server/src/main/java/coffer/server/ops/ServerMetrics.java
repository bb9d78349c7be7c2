package coffer.server.ops;

import coffer.server.notify.Notifier;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.IntSupplier;

/**
 * What the server measures, in Prometheus' text format at {@code /metrics}: request latency
 * histograms by method, route and status; uploads and batch commits; change hints published;
 * connections open and long-polls parked; and the JVM's memory, threads, GC and CPU.
 */
public final class ServerMetrics implements AutoCloseable {

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Counter uploads;
  private final Counter batches;
  private final Counter hints;
  private final JvmGcMetrics gc = new JvmGcMetrics();

  public ServerMetrics() {
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    gc.bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    uploads =
        Counter.builder("coffer.uploads")
            .description("Files stored by an upload (chunked commit or POST /files)")
            .register(registry);
    batches =
        Counter.builder("coffer.batch.commits")
            .description("Batch requests committed")
            .register(registry);
    hints =
        Counter.builder("coffer.notifications")
            .description("Change hints published to other devices")
            .register(registry);
  }

  /** Reports {@code value} as a gauge named {@code name}, read at each scrape. */
  public void gauge(String name, String description, IntSupplier value) {
    Gauge.builder(name, value, v -> v.getAsInt()).description(description).register(registry);
  }

  /** One finished HTTP request; {@code route} is the matched template, never a raw path. */
  public void request(String method, String route, int status, Duration took) {
    Timer.builder("coffer.http.requests")
        .description("HTTP requests by method, matched route and status")
        .tags("method", method, "route", route, "status", String.valueOf(status))
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofMillis(1))
        .maximumExpectedValue(Duration.ofSeconds(60))
        .register(registry)
        .record(took);
    if (status < 300) {
      if (method.equals("POST")
          && (route.equals("/api/v1/files") || route.equals("/api/v1/uploads/{uploadId}/commit"))) {
        uploads.increment();
      } else if (method.equals("POST") && route.equals("/api/v1/batch")) {
        batches.increment();
      }
    }
  }

  /** Hits, misses and evictions of {@code cache}, as {@code cache_*{cache="name"}}. */
  public void cache(String name, com.github.benmanes.caffeine.cache.Cache<?, ?> cache) {
    io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics.monitor(registry, cache, name);
  }

  /** {@code notifier}, counting the hints it publishes. */
  public Notifier counting(Notifier notifier) {
    return new Notifier() {
      @Override
      public void publish(String namespaceId, long seq) {
        hints.increment();
        notifier.publish(namespaceId, seq);
      }

      @Override
      public AutoCloseable subscribe(Consumer<Hint> listener) {
        return notifier.subscribe(listener);
      }

      @Override
      public void invalidate(String key) {
        notifier.invalidate(key);
      }

      @Override
      public AutoCloseable onInvalidate(Consumer<String> listener) {
        return notifier.onInvalidate(listener);
      }

      @Override
      public void close() {
        notifier.close();
      }
    };
  }

  /** Everything measured, in the Prometheus text exposition format. */
  public String scrape() {
    return registry.scrape();
  }

  @Override
  public void close() {
    gc.close();
    registry.close();
  }
}
