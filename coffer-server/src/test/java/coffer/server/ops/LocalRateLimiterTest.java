package coffer.server.ops;

/** The in-memory adapter. */
class LocalRateLimiterTest extends RateLimiterContract {

  @Override
  protected RateLimiter newLimiter() {
    return new LocalRateLimiter();
  }
}
