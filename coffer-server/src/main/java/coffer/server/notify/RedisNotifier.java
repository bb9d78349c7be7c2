package coffer.server.notify;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link Notifier} over Redis pub/sub, so a commit on one server wakes long-polls held by every
 * other. One channel carries every hint; each server keeps one subscription and fans hints out to
 * its local listeners. Hints published while Redis is unreachable are lost, which only delays a
 * client until its next poll: the journal, not the hint, is the truth.
 */
public final class RedisNotifier implements Notifier {

  private static final Logger LOG = LoggerFactory.getLogger(RedisNotifier.class);

  private final RedisClient client;
  private final StatefulRedisConnection<String, String> publisher;
  private final StatefulRedisPubSubConnection<String, String> subscriber;
  private final String channel;
  private final String invalidationChannel;
  private final Set<Consumer<Hint>> listeners = new CopyOnWriteArraySet<>();
  private final Set<Consumer<String>> invalidations = new CopyOnWriteArraySet<>();

  /** Connects to {@code redisUrl} (such as {@code redis://127.0.0.1:6379}); fails fast if down. */
  public RedisNotifier(String redisUrl, String channel) {
    this.channel = channel;
    this.invalidationChannel = channel + ":invalidate";
    RedisURI uri = RedisURI.create(redisUrl);
    uri.setTimeout(Duration.ofSeconds(5));
    this.client = RedisClient.create(uri);
    try {
      this.publisher = client.connect();
      this.subscriber = client.connectPubSub();
    } catch (RuntimeException e) {
      client.shutdown();
      throw new IllegalStateException(
          "cannot connect to Redis at " + redisUrl + ": " + e.getMessage(), e);
    }
    subscriber.addListener(
        new RedisPubSubAdapter<>() {
          @Override
          public void message(String from, String message) {
            if (from.equals(invalidationChannel)) {
              invalidations.forEach(listener -> listener.accept(message));
              return;
            }
            Hint hint = parse(message);
            if (hint != null) {
              listeners.forEach(listener -> listener.accept(hint));
            }
          }
        });
    subscriber.sync().subscribe(channel, invalidationChannel);
  }

  @Override
  public void publish(String namespaceId, long seq) {
    publishQuietly(channel, namespaceId + ":" + seq, "a change hint");
  }

  /** Asynchronous: a commit or a sign-out never waits for Redis, and never fails because of it. */
  private void publishQuietly(String to, String message, String what) {
    publisher
        .async()
        .publish(to, message)
        .exceptionally(
            e -> {
              LOG.warn("cannot publish {} to Redis: {}", what, e.getMessage());
              return 0L;
            });
  }

  @Override
  public AutoCloseable subscribe(Consumer<Hint> listener) {
    Consumer<Hint> own = listener::accept;
    listeners.add(own);
    return () -> listeners.remove(own);
  }

  @Override
  public void invalidate(String key) {
    publishQuietly(invalidationChannel, key, "a cache invalidation");
  }

  @Override
  public AutoCloseable onInvalidate(Consumer<String> listener) {
    Consumer<String> own = listener::accept;
    invalidations.add(own);
    return () -> invalidations.remove(own);
  }

  @Override
  public void close() {
    listeners.clear();
    invalidations.clear();
    subscriber.close();
    publisher.close();
    client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
  }

  private static Hint parse(String message) {
    int colon = message.lastIndexOf(':');
    try {
      return new Hint(message.substring(0, colon), Long.parseLong(message.substring(colon + 1)));
    } catch (RuntimeException e) {
      LOG.debug("ignoring a malformed hint: {}", message);
      return null;
    }
  }
}
