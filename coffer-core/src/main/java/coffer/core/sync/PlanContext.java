package coffer.core.sync;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.time.ZoneId;

/**
 * What the planner needs beyond the three trees: it names conflicted copies after this device and
 * this moment, in the user's time zone.
 *
 * @param deviceName the name of this device, as the user knows it
 * @param now the time a conflicted copy is stamped with
 * @param zone the zone the stamp is written in
 */
public record PlanContext(String deviceName, Instant now, ZoneId zone) {

  public PlanContext {
    requireNonNull(deviceName, "deviceName is null");
    requireNonNull(now, "now is null");
    requireNonNull(zone, "zone is null");
  }
}
