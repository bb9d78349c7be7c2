package coffer.server.ops;

import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import java.time.Duration;
import java.util.Optional;

/**
 * {@link RateLimiter} shared by every server on one Redis: each key's token bucket lives in Redis
 * (compare-and-swap updates, expiring once full again), so limits hold across the cluster.
 */
public final class RedisRateLimiter implements RateLimiter {

  private final RedisClient client;
  private final StatefulRedisConnection<String, byte[]> connection;
  private final ProxyManager<String> buckets;
  private final String prefix;

  public RedisRateLimiter(String redisUrl, String prefix) {
    this.prefix = prefix;
    this.client = RedisClient.create(RedisURI.create(redisUrl));
    try {
      this.connection = client.connect(RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE));
    } catch (RuntimeException e) {
      client.shutdown();
      throw new IllegalStateException(
          "cannot connect to Redis at " + redisUrl + ": " + e.getMessage(), e);
    }
    this.buckets =
        Bucket4jLettuce.casBasedBuilder(connection)
            .expirationAfterWrite(
                ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(
                    Duration.ofSeconds(10)))
            .build();
  }

  @Override
  public Optional<Duration> take(String key, RateLimit limit) {
    BucketConfiguration configuration =
        BucketConfiguration.builder()
            .addLimit(
                l ->
                    l.capacity(limit.burst()).refillGreedy(limit.perSecond(), limit.refillPeriod()))
            .build();
    String id = prefix + key + "|" + limit.perSecond() + "/" + limit.burst();
    ConsumptionProbe probe =
        buckets.builder().build(id, () -> configuration).tryConsumeAndReturnRemaining(1);
    return probe.isConsumed()
        ? Optional.empty()
        : Optional.of(Duration.ofNanos(probe.getNanosToWaitForRefill()));
  }

  @Override
  public void close() {
    connection.close();
    client.shutdown();
  }
}
